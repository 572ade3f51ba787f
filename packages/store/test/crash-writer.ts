// A writer process for crash.test.ts: it appends entries one by one and prints the index of
// each append as soon as the store acknowledges it, until it is killed.
import { createHash } from 'node:crypto';
import { appendEntries, openStore, type StoreConfig } from '../src/index.ts';

const config = JSON.parse(process.argv[2]!) as StoreConfig;
const author = process.argv[3]!;
const store = await openStore(config);
for (let seq = 1; seq <= 100_000; seq++) {
  const bytes = new TextEncoder().encode(`{"author":"${author}","seq":${seq}}`);
  const result = await appendEntries(store.db, [{ bytes, leafHash: createHash('sha256').update(bytes).digest(), author, authorSeq: seq, type: 'test', time: seq }]);
  if (!result.ok) throw new Error(`append refused: ${result.code}`);
  process.stdout.write(`${result.firstIndex}\n`);
}
await store.close();
