import { err, ok, type Result } from '@evenhand/core';
import { bytesEqual, toBase64 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, nodeHash, type Hash } from './hash.ts';
import { isPowerOfTwo, splitPoint } from './tree-math.ts';

/*
 * Proof verification transcribed from RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
 * (consistency). Sizes are numbers below 2^53; "right-shift" is floor division by two.
 */

const half = (n: number): number => Math.floor(n / 2);
const lsb = (n: number): boolean => n % 2 === 1;

function checkHashes(what: string, hashes: readonly Hash[]): LogError | undefined {
  for (let i = 0; i < hashes.length; i++) {
    const hash = hashes[i];
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      return logError('PROOF_MALFORMED', `${what}[${i}]: expected a ${HASH_SIZE}-byte hash, found ${hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash}`);
    }
  }
  return undefined;
}

function validSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** RFC 9162 §2.1.3.2 steps 1–2: the root implied by `leaf` at `index` and its audit path. */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Result<Hash, LogError> {
  if (!validSize(index) || !validSize(size) || index >= size) {
    return err(logError('PROOF_INDEX_OUT_OF_RANGE', `index: expected 0 ≤ index < size ${size}, found ${index}`));
  }
  const bad = checkHashes('proof', proof) ?? checkHashes('leaf', [leaf]);
  if (bad) return err(bad);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too long for index ${index} in a tree of ${size}`));
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0)) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too short for index ${index} in a tree of ${size}`));
  return ok(r);
}

/** RFC 9162 §2.1.3.2: accepts only when the recomputed root equals `root`. */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): Result<true, LogError> {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!computed.ok) return computed;
  if (!bytesEqual(computed.value, root)) {
    return err(logError('ROOT_MISMATCH', `root: the inclusion proof for index ${index} gives ${toBase64(computed.value)}, the tree of ${size} has ${root instanceof Uint8Array ? toBase64(root) : 'no root'}`));
  }
  return ok(true);
}

/** RFC 9162 §2.1.4.2: whether the tree (size1, root1) is a prefix of (size2, root2). */
export function verifyConsistency(size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): Result<true, LogError> {
  if (!validSize(size1) || !validSize(size2)) return err(logError('PROOF_MALFORMED', `size: expected non-negative integers, found ${size1} and ${size2}`));
  if (size2 < size1) return err(logError('PROOF_SIZE_ORDER', `size1: the old size ${size1} is larger than the new size ${size2}`));
  const bad = checkHashes('proof', proof);
  if (bad) return err(bad);
  if (size1 === size2) {
    // Same tree: the only proof is the empty one, and the roots must agree.
    if (proof.length !== 0) return err(logError('PROOF_WRONG_LENGTH', `proof: expected no hashes between equal sizes ${size1}, found ${proof.length}`));
    if (!bytesEqual(root1, root2)) return err(logError('ROOT_MISMATCH', `root: two different roots for the same size ${size1}`));
    return ok(true);
  }
  if (size1 === 0) {
    // The empty tree is a prefix of every tree (RFC 9162 §2.1.4: proofs are defined for 0 < m < n).
    if (proof.length !== 0) return err(logError('PROOF_WRONG_LENGTH', `proof: expected no hashes from size 0, found ${proof.length}`));
    return ok(true);
  }
  // Step 1: an empty proof cannot link two different non-empty trees.
  if (proof.length === 0) return err(logError('PROOF_WRONG_LENGTH', `proof: expected hashes between sizes ${size1} and ${size2}, found none`));
  // Step 2: when the old size is a power of two, the old root is the first node of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // Steps 3–4.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Hash;
    if (sn === 0) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too long from ${size1} to ${size2}`));
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0)) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too short from ${size1} to ${size2}`));
  if (!bytesEqual(fr, root1)) return err(logError('ROOT_MISMATCH', `root1: the proof gives ${toBase64(fr)} for size ${size1}, expected ${toBase64(root1)}`));
  if (!bytesEqual(sr, root2)) return err(logError('ROOT_MISMATCH', `root2: the proof gives ${toBase64(sr)} for size ${size2}, expected ${toBase64(root2)}`));
  return ok(true);
}

/**
 * The root implied by the leaf hashes of D[from:from+leaves.length] and a range proof (tree-math
 * `rangePath`): the same walk of the RFC 9162 recursion, taking each subtree outside the range
 * from the proof, in order. Every hash of the proof must be used, and none may be missing.
 */
export function rootFromRangeProof(from: number, size: number, leaves: readonly Hash[], proof: readonly Hash[]): Result<Hash, LogError> {
  const to = from + leaves.length;
  if (!validSize(from) || !validSize(size) || leaves.length === 0 || to > size) {
    return err(logError('PROOF_INDEX_OUT_OF_RANGE', `range: expected 0 ≤ from < to ≤ size ${size}, found ${from}..${to}`));
  }
  const bad = checkHashes('proof', proof) ?? checkHashes('leaves', leaves);
  if (bad) return err(bad);
  let used = 0;
  const walk = (start: number, count: number): Hash | undefined => {
    if (start + count <= from || start >= to) return proof[used++];
    if (count === 1) return leaves[start - from];
    const k = splitPoint(count);
    const left = walk(start, k);
    const right = left && walk(start + k, count - k);
    return left && right && nodeHash(left, right);
  };
  const root = walk(0, size);
  if (!root) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too short for entries ${from}..${to - 1} in a tree of ${size}`));
  if (used !== proof.length) return err(logError('PROOF_WRONG_LENGTH', `proof: ${proof.length} hashes is too long for entries ${from}..${to - 1} in a tree of ${size}; ${used} are used`));
  return ok(root);
}
