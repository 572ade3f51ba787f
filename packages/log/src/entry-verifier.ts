import { err, ok, type Result } from '@evenhand/core';
import { parseEntry, verifyEntrySignature, type Entry } from './entry.ts';
import { AuthorChains, checkOrigin, checkSeen } from './entry-chain.ts';
import { bytesEqual, toHex } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { leafHash } from './hash.ts';
import type { ChunkStore } from './hash-levels.ts';
import { MerkleTree } from './tree.ts';
import { EntryTimes, type EntryTimeContext } from './time-rules.ts';

/**
 * Resolves the raw Ed25519 public key that must have signed `entry` by `author`, or undefined
 * when none is known. The keys may change along the log (AuthorKeyring: treaty amendments).
 */
export type AuthorKeys = (author: string, entry: Entry) => Uint8Array | undefined;

export interface AcceptedEntry {
  readonly index: number;
  readonly entry: Entry;
  readonly bytes: Uint8Array;
  /** The entry's RFC 6962 leaf hash, as appended to the tree. */
  readonly leafHash: Uint8Array;
}

/**
 * Checks a log's entries in order, as the exchange does when it sequences them and as any
 * verifier does when it replays a mirror: strict parsing, origin, author signature, author
 * chain, `seen`, and the entry's time against the log's and its witnesses' (time-rules.ts),
 * then appends the leaf. Errors carry the entry index in the message. Rule 2 of the time
 * rules, which needs the first checkpoint covering an entry, is the caller's: `times.cover`.
 */
export class EntryVerifier {
  private merkle: MerkleTree;
  readonly chains = new AuthorChains();
  readonly times = new EntryTimes();
  private readonly seenRoots = new Map<number, string>();

  /** `treeChunks`: where the tree keeps most of its hashes (hash-levels.ts); in memory without it. */
  constructor(
    readonly origin: string,
    private readonly keys: AuthorKeys,
    treeChunks?: ChunkStore,
  ) {
    this.merkle = new MerkleTree(treeChunks);
  }

  get tree(): MerkleTree {
    return this.merkle;
  }

  /**
   * Starts from a tree rebuilt from stored leaf hashes, whose root was checked (a restart from
   * a snapshot, replay-snapshot.ts): only before anything was added, since the chains and
   * times must be restored with it to describe the same prefix.
   */
  adoptTree(tree: MerkleTree): void {
    if (this.merkle.size !== 0) throw new Error(`adoptTree: the verifier holds ${this.merkle.size} entries already`);
    this.merkle = tree;
  }

  /**
   * Parses and checks without appending (the exchange's admission check). `parsed`, when
   * given, must be `parseEntry(bytes)`'s value: it saves parsing twice. `verifiedUnder`, when
   * given, is a key under which the signature over these very bytes was already found valid
   * (the exchange verifies ahead, on another thread): the check is skipped only if it is the
   * key the entry must be signed with now, since a treaty amendment may have changed it.
   */
  check(bytes: Uint8Array, time: EntryTimeContext, parsed?: Entry, verifiedUnder?: Uint8Array): Result<Entry, LogError> {
    const index = this.tree.size;
    const at = (error: LogError): Result<never, LogError> => err({ code: error.code, message: `entry ${index}: ${error.message}` });
    let entry = parsed;
    if (!entry) {
      const result = parseEntry(bytes);
      if (!result.ok) return at(result.error);
      entry = result.value;
    }
    const origin = checkOrigin(entry, this.origin);
    if (!origin.ok) return at(origin.error);
    const key = this.keys(entry.author, entry);
    if (!key) return at(logError('ENTRY_UNKNOWN_AUTHOR', `author: no key is known for ${entry.author}`));
    if (!(verifiedUnder && bytesEqual(verifiedUnder, key))) {
      const signature = verifyEntrySignature(entry, key, bytes);
      if (!signature.ok) return at(signature.error);
    }
    const chain = this.chains.check(entry);
    if (!chain.ok) return at(chain.error);
    const seen = checkSeen(entry, index, this.tree, this.seenRoots);
    if (!seen.ok) return at(seen.error);
    const times = this.times.check(entry, index, time);
    if (!times.ok) return at(times.error);
    return ok(entry);
  }

  /** Checks the entry and, if it passes, appends it to the tree and the author's chain. */
  add(bytes: Uint8Array, time: EntryTimeContext, parsed?: Entry): Result<AcceptedEntry, LogError> {
    const checked = this.check(bytes, time, parsed);
    return checked.ok ? ok(this.appendChecked(bytes, checked.value)) : checked;
  }

  /**
   * Appends an entry that `check` has just passed on this very prefix, with nothing appended
   * in between: the exchange checks an entry, applies it to the state, and only then appends
   * it, and checking it a second time would verify its signature twice (a sixth of an
   * append's time, issue 14).
   */
  appendChecked(bytes: Uint8Array, entry: Entry): AcceptedEntry {
    const hash = leafHash(bytes);
    const index = this.tree.appendLeafHash(hash);
    this.chains.record(entry, toHex(hash));
    this.times.record(entry, index);
    return { index, entry, bytes, leafHash: hash };
  }
}
