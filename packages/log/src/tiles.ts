import { err, ok, type Result } from '@evenhand/core';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, leafHash, nodeHash, type Hash } from './hash.ts';
import type { MerkleTree } from './tree.ts';
import { consistencyPath, inclusionPath, rangePath, rootAt, type SubtreeReader } from './tree-math.ts';

/**
 * C2SP tlog-tiles. A tile at level L holds up to 256 hashes of tree level 8·L; entry bundles
 * hold up to 256 entries with big-endian uint16 length prefixes. Paths:
 * `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N in 3-digit groups (`x001/x234/067`).
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** tlog-tiles: "index 1234067 will be encoded as x001/x234/067". */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`encodeTileIndex: expected a non-negative integer, found ${n}`);
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function suffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new Error(`tile width must be 1..256, found ${width}`);
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

export function tilePath(level: number, n: number, width: number = TILE_WIDTH): string {
  return `tile/${level}/${encodeTileIndex(n)}${suffix(width)}`;
}

export function entriesPath(n: number, width: number = TILE_WIDTH): string {
  return `tile/entries/${encodeTileIndex(n)}${suffix(width)}`;
}

/** How many hashes tile `n` of level `level` has in a tree of `size` (0 if none). */
export function tileWidth(level: number, n: number, size: number): number {
  const count = Math.floor(size / TILE_WIDTH ** level);
  return Math.max(0, Math.min(TILE_WIDTH, count - n * TILE_WIDTH));
}

export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const entry of entries) {
    if (entry.length > 0xffff) throw new Error(`entry bundle: an entry of ${entry.length} bytes exceeds the uint16 limit`);
    length += 2 + entry.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const entry of entries) {
    out[at] = entry.length >>> 8;
    out[at + 1] = entry.length & 0xff;
    out.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return out;
}

export function decodeBundle(bytes: Uint8Array, expected: number): Result<Uint8Array[], LogError> {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length && entries.length <= TILE_WIDTH) {
    if (at + 2 > bytes.length) return err(logError('BUNDLE_MALFORMED', `entry bundle: truncated length prefix at byte ${at}`));
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (at + 2 + length > bytes.length) return err(logError('BUNDLE_MALFORMED', `entry bundle: entry ${entries.length} runs past the end`));
    entries.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length !== expected) return err(logError('BUNDLE_MALFORMED', `entry bundle: expected ${expected} entries, found ${entries.length}`));
  return ok(entries);
}

/**
 * Every tile and entry bundle of `tree` (path → bytes), pure. `entry(i)` returns entry i's
 * bytes. With `fromSize`, tiles that were already full at that size are left out, since
 * tiles are immutable once full; partial tiles for the new size are always written.
 */
export function writeTiles(tree: MerkleTree, entry: (index: number) => Uint8Array, fromSize = 0): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const size = tree.size;
  for (let level = 0; level < 8 && Math.floor(size / TILE_WIDTH ** level) > 0; level++) {
    const count = Math.floor(size / TILE_WIDTH ** level);
    const first = Math.floor(Math.floor(fromSize / TILE_WIDTH ** level) / TILE_WIDTH);
    const last = Math.ceil(count / TILE_WIDTH) - 1;
    for (let n = first; n <= last; n++) {
      const width = tileWidth(level, n, size);
      files.set(tilePath(level, n, width), tree.hashesAt(TILE_HEIGHT * level, n * TILE_WIDTH, n * TILE_WIDTH + width).slice());
      if (level === 0) {
        const entries: Uint8Array[] = [];
        for (let i = 0; i < width; i++) entries.push(entry(n * TILE_WIDTH + i));
        files.set(entriesPath(n, width), encodeBundle(entries));
      }
    }
  }
  return files;
}

/** Looks a tile up by its path; undefined when the source does not have it. */
export type TileFetch = (path: string) => Uint8Array | undefined;

class TileFault {
  constructor(readonly error: LogError) {}
}

/**
 * Computes roots and proofs for a tree of `size` from tiles alone (tlog-tiles: "clients can
 * fetch all the tiles they need ... and compute any desired proof"). Intermediate levels
 * inside a tile are recomputed by hashing. The results are only as good as the tiles: a
 * caller compares the root with a verified checkpoint before trusting anything else.
 */
export class TileReader {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly fetch: TileFetch,
    readonly size: number,
  ) {}

  private tile(level: number, n: number): Uint8Array {
    const width = tileWidth(level, n, this.size);
    const path = tilePath(level, n, width);
    const cached = this.cache.get(path);
    if (cached) return cached;
    const bytes = width > 0 ? this.fetch(path) : undefined;
    if (!bytes) throw new TileFault(logError('TILE_MISSING', `tile ${path}: not found`));
    if (bytes.length !== width * HASH_SIZE) throw new TileFault(logError('TILE_MALFORMED', `tile ${path}: expected ${width * HASH_SIZE} bytes, found ${bytes.length}`));
    this.cache.set(path, bytes);
    return bytes;
  }

  private readonly read: SubtreeReader = (level, index) => {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level % TILE_HEIGHT);
    const start = index * span; // position among the tile level's hashes
    const tile = this.tile(tileLevel, Math.floor(start / TILE_WIDTH));
    const offset = start % TILE_WIDTH;
    const hashes: Hash[] = [];
    for (let i = 0; i < span; i++) {
      const at = (offset + i) * HASH_SIZE;
      if (at + HASH_SIZE > tile.length) throw new Error(`tile read past its width: level ${level} index ${index} in size ${this.size}`);
      hashes.push(tile.subarray(at, at + HASH_SIZE));
    }
    // The levels between tile rows: hash pairs up to the requested level.
    let row = hashes;
    while (row.length > 1) {
      const next: Hash[] = [];
      for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i] as Hash, row[i + 1] as Hash));
      row = next;
    }
    return row[0] as Hash;
  };

  private run<T>(compute: () => T): Result<T, LogError> {
    try {
      return ok(compute());
    } catch (cause) {
      if (cause instanceof TileFault) return err(cause.error);
      throw cause;
    }
  }

  root(size: number = this.size): Result<Hash, LogError> {
    if (size > this.size || size < 0) return err(logError('PROOF_INDEX_OUT_OF_RANGE', `size: expected at most ${this.size}, found ${size}`));
    return this.run(() => rootAt(this.read, size).slice());
  }

  leafHash(index: number): Result<Hash, LogError> {
    if (index < 0 || index >= this.size) return err(logError('PROOF_INDEX_OUT_OF_RANGE', `index: expected below ${this.size}, found ${index}`));
    return this.run(() => this.read(0, index).slice());
  }

  inclusionProof(index: number, size: number = this.size): Result<Hash[], LogError> {
    if (size > this.size || index < 0 || index >= size) return err(logError('PROOF_INDEX_OUT_OF_RANGE', `index: expected 0 ≤ ${index} < ${size} ≤ ${this.size}`));
    return this.run(() => inclusionPath(this.read, index, size).map((hash) => hash.slice()));
  }

  /** The hashes that prove the leaves D[from:to] in the tree of `size` (tree-math `rangePath`). */
  rangeProof(from: number, to: number, size: number = this.size): Result<Hash[], LogError> {
    if (size > this.size || from < 0 || from >= to || to > size) return err(logError('PROOF_INDEX_OUT_OF_RANGE', `range: expected 0 ≤ ${from} < ${to} ≤ ${size} ≤ ${this.size}`));
    return this.run(() => rangePath(this.read, from, to, size).map((hash) => hash.slice()));
  }

  consistencyProof(oldSize: number, size: number = this.size): Result<Hash[], LogError> {
    if (size > this.size || oldSize < 0 || oldSize > size) return err(logError('PROOF_SIZE_ORDER', `oldSize: expected 0 ≤ ${oldSize} ≤ ${size} ≤ ${this.size}`));
    return this.run(() => consistencyPath(this.read, oldSize, size).map((hash) => hash.slice()));
  }

  /** The entries of bundle `n`, each checked against its leaf hash in the level-0 tile. */
  entries(n: number): Result<Uint8Array[], LogError> {
    const width = tileWidth(0, n, this.size);
    if (width === 0) return err(logError('PROOF_INDEX_OUT_OF_RANGE', `entry bundle ${n}: beyond the tree of ${this.size}`));
    const path = entriesPath(n, width);
    const bytes = this.fetch(path);
    if (!bytes) return err(logError('TILE_MISSING', `entry bundle ${path}: not found`));
    const decoded = decodeBundle(bytes, width);
    if (!decoded.ok) return decoded;
    return this.run(() => {
      const tile = this.tile(0, n);
      decoded.value.forEach((entry, i) => {
        const expected = tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
        const actual = leafHash(entry);
        for (let b = 0; b < HASH_SIZE; b++) {
          if (actual[b] !== expected[b]) throw new TileFault(logError('ENTRY_HASH_MISMATCH', `entry ${n * TILE_WIDTH + i}: its bytes do not hash to its leaf in tile ${tilePath(0, n, width)}`));
        }
      });
      return decoded.value;
    });
  }
}
