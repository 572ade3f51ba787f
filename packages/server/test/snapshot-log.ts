import { bytesAt, deadlinesView, encodeState, requestsPage, statisticsView, tradesPage, type AnyDomainEntry, type State } from '@evenhand/core';
import { gunzipSync, gzipSync } from 'node:zlib';
import { EMPTY_ROOT, JsonLines, leafHash, linesApart, parseEntry, toBase64, treeFromEntries, type MerkleTree } from '@evenhand/log';
import { repeatedScenario, treatyWithKeys, ORIGIN, type ScenarioKeys } from '@evenhand/testing';
import { appendEntries, listSnapshots, type Store, type StoredSnapshot } from '@evenhand/store';
import { sqliteEngine } from '../../store/test/dialects.ts';
import { openSnapshotData, RecordBlockWriter } from '../src/replay/record-blocks.ts';
import { snapshotDigest, snapshotKey } from '../src/replay/snapshot-digest.ts';
import { AuthorWriter } from '../src/signing/author-writer.ts';

/** Where the generated logs start: entry times are seconds from here on (deadlines read at `LOG_START + …`). */
export const LOG_START = 1_700_000_000;

/**
 * A signed log of the 2021 scenario repeated `copies` times (testing long-scenario.ts), each
 * entry citing a checkpoint a few entries back as `seen`, as authors do: the tests of issue 14
 * restart from a snapshot inside it and replay the rest, and every check (chains, `seen`,
 * times) must hold across the cut.
 */
export function signedLog(keys: ScenarioKeys, copies: number, start = LOG_START): Uint8Array[] {
  const entries = repeatedScenario(treatyWithKeys(keys), start, copies);
  const writers = new Map<string, AuthorWriter>();
  const out: Uint8Array[] = [];
  let tree: MerkleTree = treeFromEntries([]);
  for (const [index, item] of entries.entries()) {
    let writer = writers.get(item.author);
    if (!writer) {
      writer = new AuthorWriter(item.author, ORIGIN, keys.authors.get(item.author)!.seed);
      writers.set(item.author, writer);
    }
    const seenSize = Math.floor(index / 16) * 16;
    const signed = writer.sign(item, { size: seenSize, root: toBase64(seenSize === 0 ? EMPTY_ROOT : tree.root(seenSize)) });
    writer.commit(signed);
    tree.append(signed.bytes);
    out.push(signed.bytes);
  }
  return out;
}

/** Stores entries as a log's own (the exchange's, or a gateway's verified mirror). */
export async function storeEntries(store: Store, entries: readonly Uint8Array[]): Promise<void> {
  for (let from = 0; from < entries.length; from += 256) {
    const rows = entries.slice(from, from + 256).map((bytes) => {
      const parsed = parseEntry(bytes);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return { bytes, leafHash: leafHash(bytes), author: parsed.value.author, authorSeq: parsed.value.seq, type: parsed.value.type, time: parsed.value.time };
    });
    const written = await appendEntries(store.db, rows);
    if (!written.ok) throw new Error(`the test log was not stored: ${written.code}`);
  }
}

/** What anyone reads of a state (core public views), as JSON, and the state itself as data. */
export function viewsOf(state: State): unknown {
  const at = LOG_START + 3 * 365 * 86_400;
  return JSON.parse(JSON.stringify({ requests: requestsPage(state, 0, 200), trades: tradesPage(state, 0, 200), statistics: statisticsView(state, at), deadlines: deadlinesView(state, at), state: encodeState(state) }));
}

/**
 * A sound whole snapshot of another log (`entries`, such as the same acts an hour later), under
 * the test's own key: what a mix-up of databases, or a log rewritten under the service, leaves.
 * Written by `replayFully` (a full replay with the test's keeper) on a throwaway SQLite store,
 * whatever the engine under test: only its row is copied over (`plantSnapshots`).
 */
export async function otherHistorySnapshot(entries: readonly Uint8Array[], replayFully: (store: Store) => Promise<unknown>): Promise<StoredSnapshot> {
  const engine = sqliteEngine();
  const other = await engine.open();
  try {
    await storeEntries(other, entries);
    await replayFully(other);
    const [row] = await listSnapshots(other.db, 'exchange');
    if (!row) throw new Error('the full replay of the other history wrote no snapshot');
    return row;
  } finally {
    await other.close();
    await engine.cleanup();
  }
}

/** Replaces every stored snapshot with `rows`, as they were read (links included). */
export async function plantSnapshots(store: Store, rows: readonly StoredSnapshot[]): Promise<void> {
  await store.db.deleteFrom('replay_snapshots').execute();
  for (const row of rows) {
    await store.db
      .insertInto('replay_snapshots')
      .values({ service: row.service, size: row.size, root: row.root, data: row.data, digest: row.digest, created_at: row.createdAt, tree: row.tree ?? null, base_size: row.base?.size ?? null, base_digest: row.base?.digest ?? null })
      .execute();
  }
}

/**
 * The values of a stored snapshot's lines (log replay-snapshot.ts): a whole one's header and
 * pairs, or a delta. A whole one's records, kept apart in blocks (record-blocks.ts), are read
 * back into their lines: `[key, record]`, as `linesData` takes them.
 */
export function snapshotLines(data: Uint8Array): any[] {
  const opened = openSnapshotData(data);
  if (typeof opened === 'string') throw new Error(opened);
  const lines: any[] = [...new JsonLines().all(gunzipSync(opened.lines))];
  const blocks = opened.blocks;
  if (!blocks) return lines;
  const records = lines[0].state.requests as number;
  return lines.map((line, i) => (i >= 1 && i <= records ? [line[0], JSON.parse(Buffer.from(bytesAt(blocks(line[1])!, line[2], line[3])).toString('utf8'))] : line));
}

/**
 * Rewrites the latest snapshot of `service` with the data `write` makes from it, signed again
 * under the key the service derives from `secret` (a test that edits a snapshot the service
 * would take as its own). The latest snapshot as it was.
 */
export async function rewriteLatestSnapshot(store: Store, service: string, secret: Uint8Array, write: (latest: StoredSnapshot) => Uint8Array | Promise<Uint8Array>): Promise<StoredSnapshot> {
  const [latest] = await listSnapshots(store.db, service);
  if (!latest?.tree) throw new Error(`${service} has no snapshot with its tree to rewrite`);
  const data = await write(latest);
  const digest = snapshotDigest(snapshotKey(secret), service, { ...latest, data, tree: latest.tree });
  await store.db.updateTable('replay_snapshots').set({ data, digest }).where('service', '=', service).where('size', '=', latest.size).where('digest', '=', latest.digest).execute();
  return latest;
}

/** Stored data of `values` as lines, header first, its records kept apart as the keeper writes them (for a test that edits a snapshot). */
export function linesData(values: readonly unknown[]): Promise<Buffer> {
  const records = new RecordBlockWriter();
  return records.pack(oneLinePerValue(linesApart(values, (text) => records.keep(text))));
}

/** Stored data of `values` as lines, none kept apart: a delta, or a whole snapshot as written before records were kept apart. */
export function oneLinePerValue(values: Iterable<unknown>): Buffer {
  return gzipSync(Array.from(values, (value) => `${JSON.stringify(value)}\n`).join(''));
}

/**
 * `count` filings of the log's first, `perSecond` a second from a second after its last entry,
 * each with a request of its own (`US-<tag>-n`): a log that grew while a gateway was away.
 */
export function filingsAfter(log: readonly AnyDomainEntry[], count: number, tag: string, perSecond = 1): AnyDomainEntry[] {
  const filing = log.find((entry) => entry.type === 'request.file')!;
  const last = log[log.length - 1]!.time;
  return Array.from({ length: count }, (_, n) => ({ ...filing, time: last + 1 + Math.floor(n / perSecond), body: { ...filing.body, request: `US-${tag}-${n}` } }) as AnyDomainEntry);
}
