/**
 * What a restart from a snapshot costs before a single record is parsed (issue 14, "restart
 * ≤ 2 s at 10^6"): the part of the restart that no way of parsing the records, eager or on
 * demand, takes away. A whole snapshot keeps its records apart, in blocks left compressed
 * (replay/record-blocks.ts), so its lines are decompressed and cut here, not its records.
 * Measured on the exchange's store between its full replay and its restart (growth.bench.ts):
 *   - rows: the snapshot chain read from the store (its data and tree columns);
 *   - gunzip: the lines decompressed, their bytes counted and nothing else;
 *   - lines: the same, with each line cut into its key and the raw text of its value, what a
 *     state holding its records as text until read would keep;
 *   - bytes: the same cut made in the decompressed bytes themselves, keeping each line's key
 *     as a string and its value as where it starts and ends in those bytes, what a state
 *     holding its records as bytes until read would keep (no string per record);
 *   - map: the state's map of those keys to their places, built once they are cut;
 *   - tree: the Merkle tree rebuilt from the stored levels.
 * `lines` and `bytes` decompress again, so the floor is rows + lines + tree, or rows + bytes +
 * map + tree for records kept as bytes; `gunzip` alone shows how much of each the
 * decompression is. Left out, so the floor is if anything low: the snapshot's digest (an
 * HMAC over its data and tree), which a restart checks before it decompresses a byte
 * (replay/snapshot-keeper.ts).
 */
import { createGunzip, gunzipSync } from 'node:zlib';
import { mapFromEntries } from '@evenhand/core';
import { MerkleTree, pairKeyEnd } from '@evenhand/log';
import { openStore, readSnapshotChain } from '@evenhand/store';
import { openSnapshotData } from '../src/replay/record-blocks.ts';

export interface RestartFloor {
  readonly rowsSeconds: number;
  readonly gunzipSeconds: number;
  readonly linesSeconds: number;
  readonly bytesSeconds: number;
  /** Building the state's map of those keys to their places (core persistent-map.ts). */
  readonly mapSeconds: number;
  readonly treeSeconds: number;
  readonly jsonBytes: number;
  readonly lines: number;
}

const seconds = (from: number) => (performance.now() - from) / 1000;

async function* gunzipped(data: Uint8Array): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  gunzip.end(data);
  yield* gunzip as AsyncIterable<Buffer>;
}

/** Each line of `data` (gzipped JSON lines, `[key, value]` after a header) cut into its key and its value's text; how many lines. */
async function cutLines(data: Uint8Array, keys: string[], values: string[]): Promise<number> {
  const decoder = new TextDecoder();
  let rest = '';
  let lines = 0;
  for await (const chunk of gunzipped(data)) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      // `["key",value]`: the key up to its closing quote (ids hold no escapes), the value to the last bracket.
      const close = text.indexOf('",', start + 2);
      if (close > start && close < end) {
        keys.push(text.slice(start + 2, close));
        values.push(text.slice(close + 2, end - 1));
      }
      lines++;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  return lines + (rest.length > 0 ? 1 : 0);
}

/** The newline byte that ends each JSON line. */
const NEWLINE = 0x0a;

/** What a state keeping its records as bytes would hold: the keys, the decompressed bytes, and each value's start and end in them. */
interface Places {
  readonly keys: string[];
  readonly buffers: Buffer[];
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

/**
 * How long cutting every row takes, what it keeps held until the end, and how many lines it
 * found. What it keeps is dropped on return, so that one way of cutting does not weigh on the
 * collections of the next.
 */
async function timedCut<Kept>(rows: readonly { readonly data: Uint8Array }[], cut: (data: Uint8Array, kept: Kept) => Promise<number>, keep: () => Kept): Promise<{ lines: number; seconds: number; kept: Kept }> {
  const from = performance.now();
  const kept = keep();
  let lines = 0;
  for (const row of rows) lines += await cut(row.data, kept);
  return { lines, seconds: seconds(from), kept };
}

/**
 * Each line of `data` cut in its decompressed bytes: the key read as a string (ids are ASCII),
 * the value's place kept as two offsets in growing typed arrays; how many lines. Nothing is
 * decoded but the keys, which a map of the records needs.
 */
function placeLines(data: Uint8Array, places: Places): number {
  const bytes = gunzipSync(data);
  // Kept, as such a state would keep them: each value's place is in these bytes.
  places.buffers.push(bytes);
  let lines = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    // The key's closing quote, where a restart finds it (log replay-snapshot.ts `pairKeyEnd`).
    const close = pairKeyEnd({ source: bytes, start, end });
    if (close >= 0) {
      places.keys.push(bytes.toString('latin1', start + 2, close));
      if (places.count === places.starts.length) {
        const grown = { starts: new Int32Array(places.count * 2), ends: new Int32Array(places.count * 2) };
        grown.starts.set(places.starts);
        grown.ends.set(places.ends);
        places.starts = grown.starts;
        places.ends = grown.ends;
      }
      places.starts[places.count] = close + 2;
      places.ends[places.count] = end - 1;
      places.count++;
    }
    lines++;
    start = end + 1;
  }
  return lines;
}

export async function measureRestartFloor(file: string, service: string): Promise<RestartFloor> {
  const store = await openStore({ engine: 'sqlite', file });
  try {
    let from = performance.now();
    const stored = await readSnapshotChain(store.db, service);
    const rowsSeconds = seconds(from);
    if (stored.length === 0 || stored.some((row) => !row.tree)) throw new Error(`no snapshot chain with its tree for ${service} in ${file}`);
    // Each row's lines: a whole snapshot keeps its records apart, in blocks that a restart leaves compressed (record-blocks.ts).
    const rows = stored.map((row) => {
      const opened = openSnapshotData(row.data);
      if (typeof opened === 'string') throw new Error(`the snapshot at ${row.size} does not open: ${opened}`);
      return { ...row, data: opened.lines };
    });
    from = performance.now();
    let jsonBytes = 0;
    for (const row of rows) for await (const chunk of gunzipped(row.data)) jsonBytes += chunk.length;
    const gunzipSeconds = seconds(from);
    const { lines, seconds: linesSeconds } = await timedCut(rows, async (data, kept) => cutLines(data, kept.keys, kept.values), () => ({ keys: [] as string[], values: [] as string[] }));
    const placing = await timedCut(rows, async (data, kept) => placeLines(data, kept), () => ({ keys: [] as string[], buffers: [] as Buffer[], starts: new Int32Array(1024), ends: new Int32Array(1024), count: 0 }));
    if (placing.lines !== lines) throw new Error(`the bytes gave ${placing.lines} lines, the text ${lines}`);
    const bytesSeconds = placing.seconds;
    // The state's map of every key to its value's place (a small integer, as a leaf keeps a number in place).
    from = performance.now();
    mapFromEntries(placing.kept.keys.map((key, place) => [key, place] as const));
    const mapSeconds = seconds(from);
    from = performance.now();
    const tree = MerkleTree.fromLevelPieces(rows.map((row) => ({ size: row.size, bytes: row.tree! })));
    const treeSeconds = seconds(from);
    if (!tree.ok) throw new Error(`the stored tree does not read: ${tree.error.message}`);
    return { rowsSeconds, gunzipSeconds, linesSeconds, bytesSeconds, mapSeconds, treeSeconds, jsonBytes, lines };
  } finally {
    await store.close();
  }
}
