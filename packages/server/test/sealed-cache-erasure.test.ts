import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '@evenhand/core';
import { openStore } from '@evenhand/store';
import { ORIGIN, scenarioKeys } from '@evenhand/testing';
import { BoundedCache } from '../src/gateway/bounded-cache.ts';
import type { GatewayContext } from '../src/gateway/context.ts';
import { sealedSearchText } from '../src/gateway/request-views.ts';
import { storeEntries } from './snapshot-log.ts';
import { signEntry } from '@evenhand/log';

/**
 * A sealed member opened while the gateway destroys a case key (its retention ended) must not
 * be cached: the erasure forgets the case's cached plaintexts, and one written back after that
 * would be served for good, by the request's page and by the search, since entries never
 * change. The case keeper is a stand-in whose `open` destroys a key while it runs.
 */
describe("the cache of opened members and a case key destroyed meanwhile", () => {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-sealed-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what was opened while no key was destroyed, and not what was opened while one was', async () => {
    const store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway.db') });
    try {
      const keys = scenarioKeys();
      const seen = { size: 0, root: Buffer.alloc(32).toString('base64') };
      const signed = signEntry({ v: 1, log: ORIGIN, author: 'US', seq: 1, prev: '', seen, time: 1, type: 'request.note', body: { request: 'US-1', sealed: { jwe: 'stand-in' } } }, keys.authors.get('US')!.seed);
      await storeEntries(store, [signed.bytes]);
      let erasures = 0;
      let eraseWhileOpening = false;
      const caseKeys = {
        get erasures() {
          return erasures;
        },
        async open() {
          if (eraseWhileOpening) erasures += 1;
          return { statement: 'the facts' };
        },
      };
      const openedSealed = new BoundedCache<number, unknown>(10);
      const context = { store, openedSealed, caseKeys } as unknown as GatewayContext;
      const record = { id: 'US-1', history: [{ index: 0, type: 'request.note', time: 1, author: 'US' }] } as unknown as RequestRecord;

      eraseWhileOpening = true;
      assert.equal((await sealedSearchText(context, record))?.text, 'the facts', 'the reader still gets what it opened');
      assert.equal(openedSealed.has(0), false, 'opened while a key was destroyed: not cached');

      eraseWhileOpening = false;
      await sealedSearchText(context, record);
      assert.equal(openedSealed.has(0), true, 'opened with no erasure meanwhile: cached');
    } finally {
      await store.close();
    }
  });
});
