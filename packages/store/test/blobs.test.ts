import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getBlob, putBlob, type Store } from '../src/index.ts';
import { ENGINES } from './dialects.ts';

for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`blobs on ${engine.name}`, { skip: engine.skip }, () => {
    let store: Store;
    before(async () => {
      store = await engine.open();
    });
    after(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('stores bytes by hash, keeps the first copy, and finds nothing for an unknown hash', async () => {
      const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
      await putBlob(store.db, { hash: 'h1', bytes, author: 'US', createdAt: 1 });
      await putBlob(store.db, { hash: 'h1', bytes: new Uint8Array([1]), author: 'RU', createdAt: 2 });
      assert.deepEqual(await getBlob(store.db, 'h1'), bytes);
      assert.equal(await getBlob(store.db, 'h2'), undefined);
    });
  });
}
