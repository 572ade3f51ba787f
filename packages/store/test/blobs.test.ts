import { it } from 'node:test';
import assert from 'node:assert/strict';
import { getBlob, putBlob } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

describeOnEachEngine('blobs', (context) => {
  it('stores bytes by hash, keeps the first copy, and finds nothing for an unknown hash', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    await putBlob(context.store.db, { hash: 'h1', bytes, author: 'US', createdAt: 1 });
    await putBlob(context.store.db, { hash: 'h1', bytes: new Uint8Array([1]), author: 'RU', createdAt: 2 });
    assert.deepEqual(await getBlob(context.store.db, 'h1'), bytes);
    assert.equal(await getBlob(context.store.db, 'h2'), undefined);
  });
});
