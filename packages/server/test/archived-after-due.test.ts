import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely, KyselyPlugin } from 'kysely';
import { archiveCheckpoint, openStore, type Database, type Store } from '@evenhand/store';
import { archivedAfterDue } from '../src/exchange/archived-after-due.ts';

/** The archive as the exchange keeps it: [size, witnessed time] of each checkpoint, 20,000 of them, times rising with ties. */
const ARCHIVED: readonly (readonly [number, number])[] = Array.from({ length: 20_000 }, (_, i) => [3 * (i + 1), 1_000 + Math.floor(i / 2)]);

/** The answer of the walk this search replaced: the first checkpoint of the range witnessed after `due`. */
const byWalk = (minSize: number, size: number, due: number) => ARCHIVED.find(([at, time]) => at >= minSize && at <= size && time > due)?.[0];

/** The store with a plugin that counts the statements sent through it. */
function counted(db: Kysely<Database>): { db: Kysely<Database>; sent: () => number } {
  let sent = 0;
  const counter: KyselyPlugin = { transformQuery: ({ node }) => (sent++, node), transformResult: async ({ result }) => result };
  return { db: db.withPlugin(counter), sent: () => sent };
}

describe('the exchange\'s checkpoint after a due date, from its archive (issue 13; by halves since issue 14)', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-archive-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
    await store.db.transaction().execute(async (trx) => {
      for (const [size, witnessedAt] of ARCHIVED) await archiveCheckpoint(trx, { size, root: new Uint8Array(32), note: `note ${size}`, witnessedAt });
    });
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers what the walk answers, in about log2 of the range in queries where the walk read thousands of rows', async () => {
    const head = 3 * ARCHIVED.length;
    for (const [minSize, due] of [[1, 999], [1, 1_000], [1, 5_432], [30_001, 5_000], [30_001, 12_000], [59_998, 10_998], [2, 10_999], [1, 11_000]] as const) {
      const { db, sent } = counted(store.db);
      const found = await archivedAfterDue(db, minSize, head, due);
      assert.equal(found?.size, byWalk(minSize, head, due), `from ${minSize}, due ${due}`);
      if (found) assert.equal(found.note, `note ${found.size}`);
      assert.ok(sent() <= Math.ceil(Math.log2(head - minSize + 2)) + 2, `${sent()} queries from ${minSize}`);
    }
  });

  it('stays inside the range it is given: nothing beyond `size`, nothing before `minSize`', async () => {
    assert.equal((await archivedAfterDue(store.db, 1, 3_000, 1_000))?.size, 9, 'the first after the date');
    assert.equal(await archivedAfterDue(store.db, 1, 3_000, 1_499), undefined, 'the one after the date is past the range');
    assert.equal((await archivedAfterDue(store.db, 3_001, 60_000, 0))?.size, 3_003, 'the first from minSize');
    assert.equal(await archivedAfterDue(store.db, 10, 9, 0), undefined, 'an empty range');
    // Beyond the last archived size nothing answers a question: it must send the search back, not on.
    assert.equal((await archivedAfterDue(store.db, 1, 1_000_000, 10_998))?.size, 59_997, 'a range whose end is not archived');
    assert.equal(await archivedAfterDue(store.db, 1, 1_000_000, 10_999), undefined, 'none after the date');
  });
});
