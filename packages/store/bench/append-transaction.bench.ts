/**
 * One append transaction of the store (log-repo.ts appendEntries) with 200 entries of about
 * the size a filing has, on SQLite and, when EVENHAND_PG_URL is set, on PostgreSQL: the
 * store's share of an append (issue 14, appends on PostgreSQL). No goal of its own; the
 * append benchmark (server/bench/append.bench.ts) judges the whole path.
 * Run: node --import tsx packages/store/bench/append-transaction.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { appendEntries } from '../src/index.ts';
import { postgresEngine, sqliteEngine } from '../test/dialects.ts';

const ENTRIES = 200;
const TRANSACTIONS = 40;

for (const engine of [sqliteEngine(), postgresEngine()]) {
  if (engine.skip) {
    console.log(`${engine.name}: skipped (${engine.skip})`);
    continue;
  }
  const store = await engine.open();
  try {
    const times: number[] = [];
    for (let t = 0; t < TRANSACTIONS; t++) {
      const first = t * ENTRIES;
      const rows = Array.from({ length: ENTRIES }, (_, i) => ({ bytes: randomBytes(1_300), leafHash: randomBytes(32), author: `A${i % 16}`, authorSeq: first + i + 1, type: 'request.file', time: 1_700_000_000 }));
      const start = performance.now();
      const written = await appendEntries(store.db, rows);
      times.push(performance.now() - start);
      if (!written.ok || written.firstIndex !== first) throw new Error(`${engine.name}: the append at ${first} was refused or misplaced`);
    }
    times.sort((a, b) => a - b);
    const median = times[TRANSACTIONS >> 1]!;
    console.log(`${engine.name}: an append transaction of ${ENTRIES} entries takes ${median.toFixed(1)} ms (median of ${TRANSACTIONS}; least ${times[0]!.toFixed(1)} ms), ${((median * 1000) / ENTRIES).toFixed(0)} µs per entry`);
  } finally {
    await store.close();
    await engine.cleanup();
  }
}
