/**
 * Issue 14, "Snapshots": the exchange's restart time with and without a snapshot (goal:
 * restart ≤ 2 s at 10^6 entries). A signed log of the 2021 scenario repeated to about
 * `entries` entries is stored in a SQLite file; the sequencer is then loaded (what
 * `startExchange` does before it listens) three ways:
 *   - `--full-replay`: every entry parsed, signature-checked and applied;
 *   - from a snapshot at the log's end: the tree read from the snapshot, the state decoded;
 *   - from a snapshot 1,000 entries back: the same, plus a tail of 1,000 entries replayed;
 *   - from the chain of that snapshot and the delta written after the tail.
 * It also times writing that delta against writing the whole snapshot at the end (issue 14: a
 * periodic snapshot must not cost what the history costs).
 * As in a running exchange, a signed head (log_head) is stored at the log's end: the leaves it
 * covers are vouched for by its root, so none is read again (snapshot-keeper.ts).
 * Run: node --import tsx packages/server/bench/restart.bench.ts [entries]
 * The figure at 10^4 is measured; the one beside the 10^6 goal is a linear extrapolation
 * (the state's size, which a start decodes whole, grows linearly), to be replaced by the
 * growth table's measurement at 10^6.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AuthorKeyring, JsonLines, MerkleTree, ReplayLineReader, treeFromEntries } from '@evenhand/log';
import { openStore, listSnapshots, swapCheckpoint, type Store } from '@evenhand/store';
import { ORIGIN, report, scenarioKeys } from '@evenhand/testing';
import { Sequencer } from '../src/exchange/sequencer.ts';
import { openSnapshotData } from '../src/replay/record-blocks.ts';
import { SnapshotKeeper } from '../src/replay/snapshot-keeper.ts';
import { LOG_START, signedLog, storeEntries } from '../test/snapshot-log.ts';

const target = Number(process.argv[2] ?? 10_000);
const TAIL = 1_000;
const keys = scenarioKeys();
const log = signedLog(keys, Math.ceil(target / 30));
const dir = mkdtempSync(join(tmpdir(), 'evenhand-restart-bench-'));

async function load(store: Store, fullReplay: boolean): Promise<{ seconds: number; replayed: number; sequencer: Sequencer; keeper: SnapshotKeeper }> {
  let replayed = 0;
  const keeper = new SnapshotKeeper(store, { service: 'exchange', secret: keys.log.seed, fullReplay, onReplayed: () => replayed++, warn: (message) => console.error(message) });
  const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
  const start = process.hrtime.bigint();
  const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => LOG_START, snapshots: keeper });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, replayed, sequencer, keeper };
}

/** How long a snapshot takes to write, and how long it holds the event loop at a time: what an append waits at worst. */
async function snapshotWrite(write: () => Promise<void>): Promise<{ seconds: number; longestHoldMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = process.hrtime.bigint();
  await write();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  delay.disable();
  return { seconds, longestHoldMs: delay.max / 1e6 };
}

try {
  const store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
  await storeEntries(store, log.slice(0, log.length - TAIL));
  // A snapshot 1,000 entries before the end (the full replay writes it), then the rest of the log.
  const early = await load(store, true);
  await early.keeper.flush();
  await storeEntries(store, log.slice(log.length - TAIL));
  await swapCheckpoint(store.db, 'log_head', undefined, { origin: ORIGIN, size: log.length, root: treeFromEntries(log).root(), note: 'restart benchmark', updatedAt: LOG_START });
  const withTail = await load(store, false);
  // The next snapshot of that exchange: a delta holding the tail's changes, not the whole state again.
  const { seconds: deltaSeconds, longestHoldMs: deltaHoldMs } = await snapshotWrite(() => withTail.sequencer.snapshotNow());
  const [deltaRow] = await listSnapshots(store.db, 'exchange');
  if (!deltaRow?.base) throw new Error('the snapshot after the tail was not written as a delta');
  const fromChain = await load(store, false);
  // A full replay, which writes a fresh snapshot at the end (timed before the write starts).
  const full = await load(store, true);
  const { seconds: writeSeconds, longestHoldMs } = await snapshotWrite(() => full.keeper.flush());
  const [snapshot] = await listSnapshots(store.db, 'exchange');
  const fromSnapshot = await load(store, false);
  // Where a start from a snapshot spends its time, phase by phase (a second, warm, run).
  const phases: [string, number][] = [];
  const timed = async <T>(name: string, body: () => T | Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    const value = await body();
    phases.push([name, Number(process.hrtime.bigint() - start) / 1e6]);
    return value;
  };
  // Its records kept apart in blocks (record-blocks.ts): read here from their blocks and checked, as a start does for records of another version.
  const opened = openSnapshotData(snapshot!.data);
  if (typeof opened === 'string') throw new Error(opened);
  const json = await timed('gunzip of the lines', () => gunzipSync(opened.lines));
  const cutter = new JsonLines();
  const lines = await timed('lines cut', () => [...cutter.pushBytes(json), ...cutter.endBytes()]);
  await timed('checked and decoded (records decompressed from their blocks, zod, maps rebuilt)', () => {
    const reader = new ReplayLineReader(undefined, opened.blocks);
    const parse = new JsonLines();
    for (const line of lines) {
      const taken = reader.lineBytes(line, (each) => parse.value(each));
      if (!taken.ok) throw new Error(`a line is refused: ${taken.error.message}`);
    }
    if (!reader.reader?.finish().ok) throw new Error('the snapshot is refused');
  });
  await timed('read the tree', () => MerkleTree.fromLevelBytes(snapshot!.size, snapshot!.tree ?? new Uint8Array()));
  await store.close();

  const n = log.length;
  console.log(`log: ${n.toLocaleString('en-US')} entries; snapshot at the end: ${(snapshot!.data.length / 1024).toFixed(0)} KiB gzipped, written in ${writeSeconds.toFixed(3)} s off the append path, holding the event loop at most ${longestHoldMs.toFixed(1)} ms at a time`);
  console.log(`the next snapshot, ${TAIL.toLocaleString('en-US')} entries later: a delta of ${(deltaRow.data.length / 1024).toFixed(0)} KiB gzipped, written in ${deltaSeconds.toFixed(3)} s, holding the event loop at most ${deltaHoldMs.toFixed(1)} ms at a time`);
  console.log(`restart from the chain (the snapshot ${TAIL.toLocaleString('en-US')} entries back and that delta): ${fromChain.seconds.toFixed(3)} s (${fromChain.replayed} replayed)`);
  console.log(`restart with --full-replay: ${full.seconds.toFixed(3)} s (${full.replayed.toLocaleString('en-US')} entries replayed)`);
  console.log(`restart from a snapshot at the end: ${fromSnapshot.seconds.toFixed(3)} s (${fromSnapshot.replayed} replayed)`);
  console.log(`restart from a snapshot ${TAIL.toLocaleString('en-US')} entries back: ${withTail.seconds.toFixed(3)} s (${withTail.replayed.toLocaleString('en-US')} replayed)`);
  console.log(`a start from a snapshot, warm, by phase: ${phases.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join('; ')}`);
  const scale = 1_000_000 / n;
  report('exchange restart from a snapshot, extrapolated to 10^6 entries', fromSnapshot.seconds * scale, 's', 2, 'lower', `measured ${fromSnapshot.seconds.toFixed(3)} s at ${n.toLocaleString('en-US')} × ${scale.toFixed(0)}`);
  report('writing the next snapshot after 1,000 entries (a delta), at this size', deltaSeconds, 's', writeSeconds, 'lower', `the whole snapshot took ${writeSeconds.toFixed(3)} s; the goal is that the delta's cost does not grow with the log`);
  report('exchange restart with --full-replay, extrapolated to 10^6 entries', full.seconds * scale, 's', 2, 'lower', `measured ${full.seconds.toFixed(3)} s at ${n.toLocaleString('en-US')} × ${scale.toFixed(0)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
