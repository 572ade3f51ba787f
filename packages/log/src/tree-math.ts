import { EMPTY_ROOT, nodeHash, type Hash } from './hash.ts';

/**
 * The RFC 9162 tree algorithms written once over a reader of *complete* subtrees, so that
 * the in-memory tree and the tile reader compute identical roots and proofs.
 *
 * `read(level, index)` returns MTH(D[index·2^level : (index+1)·2^level]). Sizes and indexes
 * are JavaScript numbers (safe up to 2^53); arithmetic avoids 32-bit bit operators.
 */
export type SubtreeReader = (level: number, index: number) => Hash;

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

export function log2Exact(n: number): number {
  let level = 0;
  let p = 1;
  while (p < n) {
    p *= 2;
    level++;
  }
  return level;
}

/** RFC 9162 §2.1.1: "k is the largest power of two smaller than n" (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start : start+count]) where `start` is aligned as every RFC 9162 recursion aligns it. */
export function subtreeHash(read: SubtreeReader, start: number, count: number): Hash {
  if (count < 1) throw new Error(`subtreeHash: empty range at ${start}`);
  if (isPowerOfTwo(count)) {
    if (start % count !== 0) throw new Error(`subtreeHash: unaligned subtree ${start}+${count}`);
    return read(log2Exact(count), start / count);
  }
  const k = splitPoint(count);
  return nodeHash(subtreeHash(read, start, k), subtreeHash(read, start + k, count - k));
}

/** MTH(D[0:size]); the empty tree hashes to SHA-256("") (RFC 9162 §2.1.1). */
export function rootAt(read: SubtreeReader, size: number): Hash {
  return size === 0 ? EMPTY_ROOT : subtreeHash(read, 0, size);
}

/**
 * RFC 9162 §2.1.3.1 PATH(m, D[n]): the audit path of leaf `index` in the tree of `size`,
 * leaf-side first. Callers check 0 ≤ index < size.
 */
export function inclusionPath(read: SubtreeReader, index: number, size: number): Hash[] {
  const path: Hash[] = [];
  let m = index;
  let start = 0;
  let n = size;
  // Walk down from the root, collecting siblings root-side first, then reverse.
  for (let depth = 0; n > 1 && depth < 64; depth++) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(subtreeHash(read, start + k, n - k));
      n = k;
    } else {
      path.push(subtreeHash(read, start, k));
      m -= k;
      start += k;
      n -= k;
    }
  }
  return path.reverse();
}

/**
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) for 0 < m < n; empty when
 * m = 0 or m = n. Callers check 0 ≤ m ≤ n.
 */
export function consistencyPath(read: SubtreeReader, m: number, n: number): Hash[] {
  if (m === 0 || m === n) return [];
  const path: Hash[] = [];
  let start = 0;
  let count = n;
  let remaining = m;
  let complete = true; // the RFC's flag b: whether D[start:start+remaining] is the old tree itself
  for (let depth = 0; depth < 64; depth++) {
    if (remaining === count) {
      if (!complete) path.push(subtreeHash(read, start, count));
      break;
    }
    const k = splitPoint(count);
    if (remaining <= k) {
      path.push(subtreeHash(read, start + k, count - k));
      count = k;
    } else {
      path.push(subtreeHash(read, start, k));
      remaining -= k;
      start += k;
      count -= k;
      complete = false;
    }
  }
  return path.reverse();
}

/**
 * A range proof: the hashes that, with the leaves D[from:to], recompute MTH(D[0:size]). The
 * RFC 9162 recursion (§2.1.1) is walked from the root; every subtree that lies wholly outside
 * the range contributes its hash, left to right, and every other subtree is split further.
 * It is the multi-leaf generalisation of an audit path (at most two hashes per level), so a
 * contiguous run of entries is proved with about 2·log2(size) hashes instead of one path each.
 * Callers check 0 ≤ from < to ≤ size.
 */
export function rangePath(read: SubtreeReader, from: number, to: number, size: number): Hash[] {
  const out: Hash[] = [];
  const walk = (start: number, count: number): void => {
    if (start + count <= from || start >= to) {
      out.push(subtreeHash(read, start, count));
      return;
    }
    if (count === 1) return; // a leaf of the range: the verifier has it
    const k = splitPoint(count);
    walk(start, k);
    walk(start + k, count - k);
  };
  walk(0, size);
  return out;
}
