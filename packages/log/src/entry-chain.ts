import { err, ok, type Result } from '@evenhand/core';
import { toBase64 } from './encoding.ts';
import type { Entry } from './entry.ts';
import { logError, type LogError } from './errors.ts';
import type { MerkleTree } from './tree.ts';

/**
 * The checks of an entry against the log it is in: its origin, its author's chain (seq and
 * prev, see entry.ts), and its `seen` checkpoint, which must be a prefix of the log before
 * the entry. Pure bookkeeping: one Map entry per author.
 */
export class AuthorChains {
  private readonly last = new Map<string, { seq: number; link: string }>();

  /** What the author's next entry must carry. */
  expected(author: string): { seq: number; prev: string } {
    const prior = this.last.get(author);
    return { seq: (prior?.seq ?? 0) + 1, prev: prior?.link ?? '' };
  }

  check(entry: Entry): Result<true, LogError> {
    const prior = this.last.get(entry.author);
    const { seq, prev } = this.expected(entry.author);
    if (entry.seq < seq) {
      return err(logError('ENTRY_REPLAYED', `seq: ${entry.author} already used seq ${entry.seq} (its last entry is seq ${prior?.seq ?? 0}): a replayed entry`));
    }
    if (entry.seq > seq) {
      return err(logError('ENTRY_CHAIN_BROKEN', `seq: expected ${seq} after ${entry.author}'s seq ${seq - 1}, found ${entry.seq}: an entry of ${entry.author} is missing or out of order`));
    }
    if (entry.prev !== prev) {
      return err(logError('ENTRY_CHAIN_BROKEN', `prev: expected ${prev || '""'} (the leaf hash of ${entry.author}'s seq ${seq - 1}), found ${entry.prev || '""'}`));
    }
    return ok(true);
  }

  record(entry: Entry, link: string): void {
    this.last.set(entry.author, { seq: entry.seq, link });
  }

  authors(): string[] {
    return [...this.last.keys()];
  }

  /** Each author's last seq and leaf hash (hex), for a replay snapshot (replay-snapshot.ts). */
  toData(): [string, { seq: number; link: string }][] {
    return [...this.last].map(([author, last]) => [author, { ...last }]);
  }

  /** Takes the chains of a checked snapshot, replacing any recorded so far. */
  load(data: readonly (readonly [string, { readonly seq: number; readonly link: string }])[]): void {
    this.last.clear();
    for (const [author, last] of data) this.last.set(author, { seq: last.seq, link: last.link });
  }
}

export function checkOrigin(entry: Entry, origin: string): Result<true, LogError> {
  if (entry.log !== origin) return err(logError('ENTRY_WRONG_ORIGIN', `log: expected ${origin}, found ${entry.log}`));
  return ok(true);
}

/** `seen` must name a tree this log had before the entry: size ≤ index, same root. */
export function checkSeen(entry: Entry, index: number, tree: MerkleTree, roots?: Map<number, string>): Result<true, LogError> {
  const { size, root } = entry.seen;
  if (size > index || size > tree.size) {
    return err(logError('ENTRY_SEEN_NOT_PREFIX', `seen.size: the author claims to have seen ${size} entries, but the entry is at index ${index}`));
  }
  // Authors mostly cite the same few published checkpoints: remember their roots (base64).
  let expected = roots?.get(size);
  if (expected === undefined) {
    expected = toBase64(tree.root(size));
    if (roots) {
      if (roots.size >= 1024) roots.clear();
      roots.set(size, expected);
    }
  }
  if (root !== expected) {
    return err(logError('ENTRY_SEEN_NOT_PREFIX', `seen.root: the author saw a tree of ${size} with another root than this log's: a split view`));
  }
  return ok(true);
}
