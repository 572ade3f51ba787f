import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { State } from '@evenhand/core';
import { captureReplay, JsonLines, jsonLinePieces, MerkleTree, ReplayLineReader, replaySnapshotLines, type DecodedReplay, type ReplayParts } from '@evenhand/log';

/**
 * The replay `verify` keeps between runs, beside its state file (issue 14: a daily audit must
 * not cost what the whole history costs). It is what a replay of the accepted checkpoint's
 * entries built (log replay-snapshot.ts) and the Merkle tree's stored levels, so that the next
 * run checks and replays only the entries after that checkpoint.
 *
 * It is the verifier's own file, as its state file and mirror are: nothing in it is taken on
 * the exchange's word. The next run uses it only if its tree gives the root of the checkpoint
 * accepted then (whose note is verified again), if it was made for the same party with the
 * same keys, if every hash of its tree follows from the leaves, and if it decodes to exactly the
 * shape written; otherwise every entry is replayed.
 *
 * Layout: a magic line, a JSON header line, then the gzipped snapshot's lines (log
 * replay-snapshot.ts: its header, then its state's pairs, one to a line) and the tree bytes.
 */
const MAGIC = 'evenhand-verify-replay/v2';

/**
 * What the prefix was checked under, which a run must share to go on from it: the verifying
 * party (--as) and its entry keys (--key, --key-history, sorted), the log's origin, the
 * policy's text (a witness key replaced after a compromise changes every archived quorum's
 * check) by its SHA-256, and the version of evenhand (a release may change how entries apply).
 */
export interface ReplayBinding {
  readonly party: string;
  readonly keys: readonly string[];
  readonly origin: string;
  readonly policy: string;
  readonly version: string;
}

export interface ReplayFileHeader extends ReplayBinding {
  readonly size: number;
  readonly json: number;
  readonly tree: number;
}

export interface KeptReplay {
  readonly header: ReplayFileHeader;
  readonly decoded: DecodedReplay;
  readonly tree: MerkleTree;
}

/** Writes the replay atomically (write, then rename): a crash leaves the last one whole. */
export function writeReplay(path: string, binding: ReplayBinding, parts: ReplayParts, state: State): void {
  // The lines a thousand at a time: the state's text is never one string.
  const pieces = Array.from(jsonLinePieces(replaySnapshotLines(captureReplay(parts), state), 1_000), (piece) => Buffer.from(piece, 'utf8'));
  const json = gzipSync(Buffer.concat(pieces), { level: 1 });
  const tree = parts.verifier.tree.joinedLevelBytesSince(0);
  const header: ReplayFileHeader = { ...binding, keys: [...binding.keys].sort(), size: parts.verifier.tree.size, json: json.length, tree: tree.length };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`), json, tree]));
  renameSync(temporary, path);
}

/** The replay kept at `path`: undefined when there is none; a reason when it cannot be used. */
export function readReplay(path: string): KeptReplay | string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const bytes = readFileSync(path);
    const magicEnd = bytes.indexOf(10);
    const headerEnd = bytes.indexOf(10, magicEnd + 1);
    if (magicEnd < 0 || headerEnd < 0 || bytes.subarray(0, magicEnd).toString('utf8') !== MAGIC) return 'not a replay file of this version';
    const header = JSON.parse(bytes.subarray(magicEnd + 1, headerEnd).toString('utf8')) as ReplayFileHeader;
    const texts = [header.party, header.origin, header.policy, header.version];
    if (!texts.every((text) => typeof text === 'string') || !Array.isArray(header.keys) || !header.keys.every((key) => typeof key === 'string')) return 'its header is not of this version';
    const start = headerEnd + 1;
    const lengths = [header.size, header.json, header.tree];
    if (!lengths.every((length) => Number.isSafeInteger(length) && length >= 0) || start + header.json + header.tree !== bytes.length) return 'its lengths do not match the file';
    const lines = new ReplayLineReader();
    for (const line of new JsonLines().all(gunzipSync(bytes.subarray(start, start + header.json)))) {
      const read = lines.line(line);
      if (!read.ok) return `${read.error.code}: ${read.error.message}`;
    }
    if (!lines.reader) return 'it holds no snapshot';
    const decoded = lines.reader.finish();
    if (!decoded.ok) return `${decoded.error.code}: ${decoded.error.message}`;
    if (decoded.value.size !== header.size) return `it says ${header.size} entries, its data ${decoded.value.size}`;
    const tree = MerkleTree.fromLevelBytes(header.size, bytes.subarray(start + header.json));
    if (!tree.ok) return `${tree.error.code}: ${tree.error.message}`;
    // Every stored hash must follow from the leaves below it, so that the root, which the
    // accepted checkpoint vouches for, vouches for all of them (the receipts are checked against its leaves).
    const node = tree.value.firstInconsistentNode();
    if (node) return `its tree's hash ${node.index} at level ${node.level} is not its children's`;
    return { header, decoded: decoded.value, tree: tree.value };
  } catch (error) {
    return `it does not read back (${error instanceof Error ? error.message : String(error)})`;
  }
}
