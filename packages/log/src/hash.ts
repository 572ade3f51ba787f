import { sha256, sha256Parts } from '@evenhand/crypto';

/** A SHA-256 Merkle tree hash: always 32 bytes. */
export type Hash = Uint8Array;
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 6962 §2.1 (= RFC 9162 §2.1.1): MTH({d0}) = SHA-256(0x00 ‖ d0). */
export function leafHash(data: Uint8Array): Hash {
  return sha256Parts(LEAF_PREFIX, data);
}

/** RFC 6962 §2.1: an interior node is SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256Parts(NODE_PREFIX, left, right);
}

/** RFC 6962 §2.1: MTH({}) = SHA-256(""), the root of the empty tree. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));
