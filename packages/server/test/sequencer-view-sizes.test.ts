import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorKeyring } from '@evenhand/log';
import { openStore } from '@evenhand/store';
import { ORIGIN, scenarioKeys } from '@evenhand/testing';
import { Sequencer } from '../src/exchange/sequencer.ts';
import { ServiceError } from '../src/errors.ts';
import { LOG_START, signedLog, storeEntries } from './snapshot-log.ts';

/**
 * Issue 14, "no request touches the whole log": a public view may be asked at any size, and a
 * size the exchange does not keep is replayed from the nearest state it keeps, but never more
 * than `maxViewReplay` entries; further back is refused with VIEW_SIZE_NOT_KEPT (410).
 */
describe('views at an older size (exchange/sequencer.ts stateAt)', () => {
  it('replays a bounded tail from a kept state, and refuses a size further back', async () => {
    const keys = scenarioKeys();
    const log = signedLog(keys, 4);
    const dir = mkdtempSync(join(tmpdir(), 'evenhand-view-sizes-'));
    const store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
    try {
      await storeEntries(store, log);
      const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
      const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => LOG_START });
      assert.equal(sequencer.size, log.length);
      sequencer.recent.maxViewReplay = 20;
      // The log's start is kept (genesis), so a size within the budget of it replays.
      assert.equal((await sequencer.stateAt(15))?.size, 15);
      assert.equal((await sequencer.stateAt(log.length))?.size, log.length, 'the head is kept');
      await assert.rejects(sequencer.stateAt(log.length - 1), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.code, 'VIEW_SIZE_NOT_KEPT');
        assert.match(error.message, /query\.size: views are served at the recent sizes/);
        return true;
      });
      sequencer.recent.maxViewReplay = log.length;
      assert.equal((await sequencer.stateAt(log.length - 1))?.size, log.length - 1, 'within a larger budget it replays');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
