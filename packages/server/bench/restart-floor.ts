/**
 * What a restart from a snapshot costs before a single record is parsed (issue 14, "restart
 * ≤ 2 s at 10^6"): the part of the restart that no way of parsing the records, eager or on
 * demand, takes away, as long as the records are one compressed text read whole at the start.
 * Measured on the exchange's store between its full replay and its restart (growth.bench.ts):
 *   - rows: the snapshot chain read from the store (its data and tree columns);
 *   - gunzip: the data decompressed, its bytes counted and nothing else;
 *   - lines: the same, with each line cut into its key and the raw text of its value, what a
 *     state holding its records as text until read would keep;
 *   - tree: the Merkle tree rebuilt from the stored levels.
 * `lines` decompresses again, so the floor is rows + lines + tree; `gunzip` alone shows how
 * much of `lines` the decompression is. Left out, so the floor is if anything low: the
 * snapshot's digest (an HMAC over its data and tree), which a restart checks before it
 * decompresses a byte (replay/snapshot-keeper.ts).
 */
import { createGunzip } from 'node:zlib';
import { MerkleTree } from '@evenhand/log';
import { openStore, readSnapshotChain } from '@evenhand/store';

export interface RestartFloor {
  readonly rowsSeconds: number;
  readonly gunzipSeconds: number;
  readonly linesSeconds: number;
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

export async function measureRestartFloor(file: string, service: string): Promise<RestartFloor> {
  const store = await openStore({ engine: 'sqlite', file });
  try {
    let from = performance.now();
    const rows = await readSnapshotChain(store.db, service);
    const rowsSeconds = seconds(from);
    if (rows.length === 0 || rows.some((row) => !row.tree)) throw new Error(`no snapshot chain with its tree for ${service} in ${file}`);
    from = performance.now();
    let jsonBytes = 0;
    for (const row of rows) for await (const chunk of gunzipped(row.data)) jsonBytes += chunk.length;
    const gunzipSeconds = seconds(from);
    from = performance.now();
    const keys: string[] = [];
    const values: string[] = [];
    let lines = 0;
    for (const row of rows) lines += await cutLines(row.data, keys, values);
    const linesSeconds = seconds(from);
    from = performance.now();
    const tree = MerkleTree.fromLevelPieces(rows.map((row) => ({ size: row.size, bytes: row.tree! })));
    const treeSeconds = seconds(from);
    if (!tree.ok) throw new Error(`the stored tree does not read: ${tree.error.message}`);
    return { rowsSeconds, gunzipSeconds, linesSeconds, treeSeconds, jsonBytes, lines };
  } finally {
    await store.close();
  }
}
