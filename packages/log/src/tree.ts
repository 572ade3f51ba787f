import { err, ok, type Result } from '@evenhand/core';
import { bytesEqual } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash, type Hash } from './hash.ts';
import { CHUNK_HASHES, HashLevels, type ChunkStore } from './hash-levels.ts';
import { consistencyPath, inclusionPath, rangePath, rootAt, type SubtreeReader } from './tree-math.ts';

/**
 * An append-only RFC 6962 tree. Level l stores the hash of every complete subtree of 2^l
 * leaves, in chunks of contiguous bytes (hash-levels.ts; no per-hash objects), which is exactly
 * what tlog-tiles publishes and what any root or proof needs. Given a ChunkStore, it keeps
 * most of them there, out of the heap; without one, all of them in memory.
 */
export class MerkleTree {
  private readonly levels: HashLevels;

  constructor(store?: ChunkStore) {
    this.levels = new HashLevels(store);
  }

  get size(): number {
    return this.levels.count(0);
  }

  /** Appends an entry: hashes it as an RFC 6962 leaf. Returns the leaf's index. */
  append(data: Uint8Array): number {
    return this.appendLeafHash(leafHash(data));
  }

  appendLeafHash(hash: Hash): number {
    if (hash.length !== HASH_SIZE) throw new Error(`appendLeafHash: expected ${HASH_SIZE} bytes, found ${hash.length}`);
    const index = this.size;
    let current = hash;
    // Each completed pair of subtrees at level l completes one subtree at level l+1.
    for (let level = 0; level < 64; level++) {
      this.levels.pushBytes(level, current);
      const count = this.levels.count(level);
      if (count % 2 !== 0) break;
      current = nodeHash(this.hashAt(level, count - 2), this.hashAt(level, count - 1));
    }
    return index;
  }

  /**
   * The root the tree would have with `leafHashes` appended, without appending them (RFC 6962
   * §2.1). Equal to a signed root, it shows that tree extends this one by exactly these leaves:
   * a mirror checks fetched entries so before its own tree moves. It keeps only the peaks (the
   * complete subtrees of the size's binary decomposition, largest first): O(log n) hashes held
   * whatever the number of leaves, and the root is the peaks folded from the right, since
   * RFC 6962 splits a tree at the largest power of two below its size.
   */
  rootWith(leafHashes: readonly Hash[]): Hash {
    const peaks: { level: number; hash: Hash }[] = [];
    let start = 0;
    for (let level = 63; level >= 0; level--) {
      const span = 2 ** level;
      if (this.size - start < span) continue;
      peaks.push({ level, hash: this.hashAt(level, start / span) });
      start += span;
    }
    for (const leaf of leafHashes) {
      if (leaf.length !== HASH_SIZE) throw new Error(`rootWith: expected ${HASH_SIZE}-byte leaf hashes, found ${leaf.length}`);
      let current = { level: 0, hash: leaf };
      // Two peaks of one level are the two halves of a complete subtree one level up.
      while (peaks.length > 0 && peaks[peaks.length - 1]!.level === current.level) current = { level: current.level + 1, hash: nodeHash(peaks.pop()!.hash, current.hash) };
      peaks.push(current);
    }
    if (peaks.length === 0) return EMPTY_ROOT.slice();
    let root = peaks[peaks.length - 1]!.hash;
    for (let i = peaks.length - 2; i >= 0; i--) root = nodeHash(peaks[i]!.hash, root);
    return root.slice();
  }

  /** The hash of the complete subtree of 2^level leaves at position `index` on that level. */
  hashAt(level: number, index: number): Hash {
    return this.hashesAt(level, index, index + 1);
  }

  /**
   * The hashes of the complete subtrees of 2^level leaves from position `from` to `to`
   * (exclusive) on that level, one after another: a tile's, or a bundle's leaves, in one read.
   */
  hashesAt(level: number, from: number, to: number): Uint8Array {
    const count = this.levels.count(level);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > count || from >= to) {
      throw new Error(`hashesAt(${level}, ${from}, ${to}): no such complete subtrees in a tree of ${this.size}`);
    }
    return this.levels.range(level, from, to);
  }

  /** Number of complete subtrees stored at `level`. */
  countAt(level: number): number {
    return this.levels.count(level);
  }

  readonly reader: SubtreeReader = (level, index) => this.hashAt(level, index);

  /** The root of the tree as it was at `size` (default: now). */
  root(size: number = this.size): Hash {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new Error(`root(${size}): tree has ${this.size} leaves`);
    return rootAt(this.reader, size).slice();
  }

  inclusionProof(index: number, size: number = this.size): Result<Hash[], LogError> {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      return err(logError('PROOF_INDEX_OUT_OF_RANGE', `size: expected at most the tree size ${this.size}, found ${size}`));
    }
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      return err(logError('PROOF_INDEX_OUT_OF_RANGE', `index: expected 0 ≤ index < ${size}, found ${index}`));
    }
    return ok(inclusionPath(this.reader, index, size).map((hash) => hash.slice()));
  }

  /** The hashes that prove the leaves D[from:to] in the tree of `size` (tree-math `rangePath`). */
  rangeProof(from: number, to: number, size: number = this.size): Result<Hash[], LogError> {
    if (!Number.isSafeInteger(size) || size > this.size || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from >= to || to > size) {
      return err(logError('PROOF_INDEX_OUT_OF_RANGE', `range: expected 0 ≤ from ${from} < to ${to} ≤ size ${size} ≤ ${this.size}`));
    }
    return ok(rangePath(this.reader, from, to, size).map((hash) => hash.slice()));
  }

  consistencyProof(oldSize: number, newSize: number = this.size): Result<Hash[], LogError> {
    if (!Number.isSafeInteger(newSize) || newSize < 0 || newSize > this.size) {
      return err(logError('PROOF_INDEX_OUT_OF_RANGE', `newSize: expected at most the tree size ${this.size}, found ${newSize}`));
    }
    if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > newSize) {
      return err(logError('PROOF_SIZE_ORDER', `oldSize: expected 0 ≤ oldSize ≤ ${newSize}, found ${oldSize}`));
    }
    return ok(consistencyPath(this.reader, oldSize, newSize).map((hash) => hash.slice()));
  }

  /**
   * The stored subtree hashes of the tree as it was at `size`, level by level: at level l the
   * first ⌊size / 2^l⌋ hashes. What a tree of that size stored never changes as it grows, so
   * they may be read later (a snapshot written in the background).
   */
  levelBytes(size: number = this.size): Uint8Array[] {
    return this.levelBytesSince(0, size);
  }

  /**
   * What the tree stored between sizes `from` and `size`, level by level: at level l the
   * hashes from ⌊from / 2^l⌋ to ⌊size / 2^l⌋. Levels are append-only, so these bytes and
   * `levelBytes(from)` are together `levelBytes(size)`: a snapshot stored as a delta keeps only
   * them (issue 14: what it writes grows with the entries since the last one, not with the log).
   */
  levelBytesSince(from: number, size: number = this.size): Uint8Array[] {
    this.checkSpan(from, size);
    const levels: Uint8Array[] = [];
    for (let level = 0; subtreesAt(size, level) > 0; level++) levels.push(this.levels.range(level, subtreesAt(from, level), subtreesAt(size, level)));
    return levels;
  }

  /**
   * `levelBytesSince(from, size)` concatenated, copied once into one buffer a chunk at a time:
   * what a snapshot stores (server snapshot-keeper.ts), without a copy of each level first.
   */
  joinedLevelBytesSince(from: number, size: number = this.size): Uint8Array {
    this.checkSpan(from, size);
    const out = new Uint8Array(levelOffset(from, size, Infinity));
    for (let level = 0; subtreesAt(size, level) > 0; level++) this.levels.copyRange(level, subtreesAt(from, level), subtreesAt(size, level), out, levelOffset(from, size, level));
    return out;
  }

  /** Throws unless 0 ≤ `from` ≤ `size` ≤ the tree's size: the sizes between which the level bytes are asked for. */
  private checkSpan(from: number, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new Error(`levelBytes(${size}): tree has ${this.size} leaves`);
    if (!Number.isSafeInteger(from) || from < 0 || from > size) throw new Error(`levelBytesSince(${from}, ${size}): expected 0 ≤ from ≤ size`);
  }

  /**
   * The first of `leafHashes`, given for the leaves from `from` on, that is not this tree's leaf
   * there: its place among them, or -1 when each one is. The leaves are read in one range.
   */
  firstDifferentLeaf(from: number, leafHashes: readonly Hash[]): number {
    if (leafHashes.length === 0) return -1;
    const held = this.hashesAt(0, from, from + leafHashes.length);
    return leafHashes.findIndex((hash, offset) => !bytesEqual(hash, held.subarray(offset * HASH_SIZE, (offset + 1) * HASH_SIZE)));
  }

  /**
   * The tree of `size` leaves whose stored subtree hashes are `bytes`, as `levelBytes` gives
   * them, concatenated. Only the length is checked: that each hash is its children's is not
   * (that would hash the whole tree again). So the bytes must come from where only this tree's
   * owner writes, as a snapshot under its own key (server snapshot-keeper.ts), and its root be
   * compared with a signed one.
   */
  static fromLevelBytes(size: number, bytes: Uint8Array, store?: ChunkStore): Result<MerkleTree, LogError> {
    return MerkleTree.fromLevelPieces([{ size, bytes }], store);
  }

  /**
   * The tree whose stored hashes are given in pieces, each what `levelBytesSince` gave from
   * the size of the piece before it (0 for the first) to its own `size`, concatenated. Checked
   * as `fromLevelBytes`: the length of each piece only. The tree keeps its hashes in `store`
   * when one is given (hash-levels.ts).
   */
  static fromLevelPieces(pieces: readonly { readonly size: number; readonly bytes: Uint8Array }[], store?: ChunkStore): Result<MerkleTree, LogError> {
    let from = 0;
    for (const { size, bytes } of pieces) {
      if (!Number.isSafeInteger(size) || size < from) return err(logError('TREE_LEVELS_INVALID', `the stored tree's sizes must be whole numbers that do not decrease, found ${size} after ${from}`));
      const expected = levelOffset(from, size, Infinity);
      if (bytes.length !== expected) {
        return err(logError('TREE_LEVELS_INVALID', `the stored tree from ${from} to ${size} leaves should be ${expected} bytes, found ${bytes.length}`));
      }
      from = size;
    }
    const tree = new MerkleTree(store);
    // Level by level, so that each level's chunks fill in order; the pieces are views, never kept.
    for (let level = 0; subtreesAt(from, level) > 0; level++) {
      let before = 0;
      for (const { size: after, bytes } of pieces) {
        const start = levelOffset(before, after, level);
        tree.levels.pushBytes(level, bytes.subarray(start, start + (subtreesAt(after, level) - subtreesAt(before, level)) * HASH_SIZE));
        before = after;
      }
    }
    return ok(tree);
  }

  /**
   * The first stored inner hash that is not its two children's (RFC 6962 §2.1), or undefined
   * when every one is: what binds every stored hash, the leaves included, to the root. Hashes
   * each inner node once (about `size` hashes); for a tree read from a file no key protects
   * (the verifier's kept replay), where `fromLevelBytes` checks the length alone.
   */
  firstInconsistentNode(): { readonly level: number; readonly index: number } | undefined {
    for (let level = 1; this.levels.count(level) > 0; level++) {
      // A chunk's worth of parents at a time, each read with its children in one range.
      for (let from = 0; from < this.levels.count(level); from += CHUNK_HASHES) {
        const to = Math.min(this.levels.count(level), from + CHUNK_HASHES);
        const parents = this.levels.range(level, from, to);
        const children = this.levels.range(level - 1, 2 * from, 2 * to);
        for (let index = from; index < to; index++) {
          const at = (index - from) * 2 * HASH_SIZE;
          const expected = nodeHash(children.subarray(at, at + HASH_SIZE), children.subarray(at + HASH_SIZE, at + 2 * HASH_SIZE));
          const stored = parents.subarray((index - from) * HASH_SIZE, (index - from + 1) * HASH_SIZE);
          if (!bytesEqual(expected, stored)) return { level, index };
        }
      }
    }
    return undefined;
  }
}

/** How many complete subtrees of 2^level leaves the first `size` leaves hold. */
function subtreesAt(size: number, level: number): number {
  return Math.floor(size / 2 ** level);
}

/** Where level `level` begins in what `levelBytesSince(from, size)` gives, concatenated; with Infinity, its length. */
function levelOffset(from: number, size: number, level: number): number {
  let offset = 0;
  for (let below = 0; below < level && subtreesAt(size, below) > 0; below++) offset += (subtreesAt(size, below) - subtreesAt(from, below)) * HASH_SIZE;
  return offset;
}

/** Builds a tree from entries (convenience for tests, tools and benchmarks). */
export function treeFromEntries(entries: Iterable<Uint8Array>): MerkleTree {
  const tree = new MerkleTree();
  for (const entry of entries) tree.append(entry);
  return tree;
}
