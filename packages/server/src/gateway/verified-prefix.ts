import { apply, genesis, skewOf, type AnyDomainEntry, type State } from '@evenhand/core';
import { StateShelving } from '../replay/state-shelving.ts';
import {
  archivePageOf, archivePagePath, AuthorKeyring, bytesEqual, CaseIndex, declaredKeys, domainPart, EntryVerifier, ownWitnessKeyProblem, parseEntry, toBase64, TreatyHistory, treatyPolicy,
  verifyCheckpoint, witnessedTime, WitnessedTimeline, type Entry, type EntryTimeContext, type LogError, type MerkleTree, type NoteVerifier, type Policy, type ReplayParts,
} from '@evenhand/log';
import { err, ok, type Result } from '@evenhand/core';
import { entryProblem, type Problem } from './mirror-problems.ts';
import type { SnapshotKeeper, UsableSnapshot } from '../replay/snapshot-keeper.ts';
import { processTreeChunks } from '../replay/tree-chunk-file.ts';

/** What `parseEntry` answers for an entry's bytes. */
export type ParsedEntry = ReturnType<typeof parseEntry>;

/** Who this gateway is, which every entry of its mirror is checked against. */
export interface PrefixOptions {
  readonly origin: string;
  readonly policy: Policy;
  /** This state's witness name in the policy: its cosignature is required (DESIGN.md "Cosignatures"). */
  readonly ownWitness: string;
  readonly party: string;
  /** This state's entry public key, to detect a treaty that substitutes it (or an amendment this gateway has not followed). */
  readonly ownKey: Uint8Array;
  /** Every entry key this state has held: each entry authored as this state, from the first, must be signed by one. */
  readonly ownKeyHistory: readonly Uint8Array[];
  readonly now: () => number;
  /** Request records kept in the heap before older ones go to the shelf (replay/record-shelving.ts HOT_RECORDS by default). */
  readonly hotRecords?: number | undefined;
}

/**
 * The entries a gateway has verified, replayed: their tree, the domain state, the treaty in
 * force at each size and the case index, which advance only together, entry by entry, once
 * an entry passes every check (signature, author chain, `seen`, the time rules, this state's
 * own keys, and core `apply`). The mirror (mirror.ts) decides which entries to offer and when
 * to store them; this decides whether each one is part of the log this state can stand on.
 */
export class VerifiedPrefix {
  /** The log key, which signs the exchange's checkpoints and receipts. */
  readonly logKey: NoteVerifier;
  private readonly keyring: AuthorKeyring;
  private readonly verifier: EntryVerifier;
  private domain: State = genesis();
  /** The treaty in force at each size: the witnesses and quorum a checkpoint of that size needs. */
  private readonly treaties = new TreatyHistory();
  /** What a case proof needs beyond the state, by log index, kept as entries apply (log case-index.ts). */
  private readonly caseIndex = new CaseIndex();
  /** Puts on shelves, out of the heap, the request records no recent entry made and the figure index's cold nodes (replay/state-shelving.ts). */
  private readonly shelving: StateShelving;
  /** The witnessed times of the exchange's archived checkpoints (the time rules, log time-rules.ts). */
  private readonly timeline: WitnessedTimeline;
  /** The archive pages an extension needs, fetched before any entry is replayed: no network mid-replay. */
  private archivePages = new Map<string, Uint8Array | undefined>();

  constructor(private readonly options: PrefixOptions) {
    const logKey = options.policy.logs.find((log) => log.key.name === options.origin)?.key;
    if (!logKey) throw new Error(`the witness policy has no log key named ${options.origin}`);
    this.logKey = logKey;
    this.shelving = new StateShelving(options.hotRecords);
    this.keyring = new AuthorKeyring(logKey.publicKey);
    // Keys follow the log: each entry is checked against the treaty in force before it.
    this.verifier = new EntryVerifier(options.origin, (author, entry) => this.keyring.keyOf(author, this.domain, entry), processTreeChunks());
    this.timeline = new WitnessedTimeline(async (path) => this.archivePages.get(path), (note, size) => this.checkArchived(note, size));
  }

  get size(): number {
    return this.verifier.tree.size;
  }

  get tree(): MerkleTree {
    return this.verifier.tree;
  }

  get state(): State {
    return this.domain;
  }

  /** Request records put on the shelf since this prefix began (replay/record-shelving.ts). */
  get shelvedRecords(): number {
    return this.shelving.records.shelved;
  }

  /** Stops what shelves this prefix's states without a state told (replay/state-shelving.ts): the mirror made another prefix. */
  close(): void {
    this.shelving.close();
  }

  /** Nodes of the figure index put on the shelf since this prefix began (replay/bag-shelving.ts). */
  get shelvedBagNodes(): number {
    return this.shelving.bags.shelved;
  }

  get cases(): CaseIndex {
    return this.caseIndex;
  }

  /** What a snapshot captures besides the state (log replay-snapshot.ts). */
  get replayParts(): ReplayParts {
    return { verifier: this.verifier, treaties: this.treaties, cases: this.caseIndex };
  }

  /** The treaty in force at `size`. */
  treatyAt(size: number): ReturnType<TreatyHistory['at']> {
    return this.treaties.at(size);
  }

  /** Whether this prefix holds the tree of `size` with `root`. */
  holds(size: number, root: Uint8Array): boolean {
    return size <= this.size && bytesEqual(this.verifier.tree.root(size), root);
  }

  /** Takes a snapshot's prefix as this one's (the keeper checks it against the tree it carries). */
  adopt(keeper: SnapshotKeeper, usable: UsableSnapshot): void {
    this.domain = keeper.adopt(usable, this.replayParts);
    this.shelving.observe(this.domain);
  }

  /**
   * An archived checkpoint is believed only when the log signed it, the quorum of the treaty
   * in force at its size cosigned it (none from the future), and its root is this prefix's.
   */
  private checkArchived(note: string, size: number): Result<number, LogError> {
    const treaty = this.treaties.at(size);
    const policy = treatyPolicy(this.options.policy, treaty, this.options.ownWitness);
    if (!policy.ok) return policy;
    const checked = verifyCheckpoint(note, policy.value, null, { now: this.options.now(), skewSeconds: skewOf(treaty) });
    if (!checked.ok) return checked;
    if (!bytesEqual(checked.value.checkpoint.root, this.verifier.tree.root(size))) return err({ code: 'ROOT_MISMATCH', message: `its root is not the root this gateway replayed at size ${size}` });
    return ok(witnessedTime(checked.value));
  }

  /**
   * Fetches the archive pages that entries `parsed`, to follow this prefix, need: those beside
   * them, and those of the checkpoints they have seen. Fetched before replay begins: once it
   * begins the tree moves, and only a restart could undo that.
   */
  async fetchArchivePages(parsed: readonly ParsedEntry[], tile: (path: string) => Promise<Uint8Array | undefined>): Promise<void> {
    const own = this.size;
    const pages = new Set<number>();
    for (let n = archivePageOf(own + 1); n <= archivePageOf(own + parsed.length); n++) pages.add(n);
    for (const entry of parsed) {
      if (entry.ok && !this.timeline.knows(entry.value.seen.size) && entry.value.seen.size <= own) pages.add(archivePageOf(entry.value.seen.size));
    }
    this.archivePages = new Map();
    for (const n of pages) this.archivePages.set(archivePagePath(n), await tile(archivePagePath(n)));
    // The archive's last page grows between extensions: read it afresh.
    this.timeline.forgetPages();
  }

  /** Lets go of the pages `fetchArchivePages` read, once their entries are replayed. */
  releaseArchivePages(): void {
    this.archivePages = new Map();
  }

  /**
   * Checks and replays one entry from the exchange, with the witnessed time of the checkpoint
   * it has seen (rule 1), then covers the entries so far when an archived checkpoint of the
   * new size exists (rule 2, log time-rules.ts). `parsed` is `parseEntry(bytes)`.
   */
  async acceptWitnessed(bytes: Uint8Array, parsed: ParsedEntry): Promise<Problem | undefined> {
    const index = this.verifier.tree.size;
    if (!parsed.ok) return { code: 'INCONSISTENT', message: `entry ${index}: ${parsed.error.message}` };
    const seen = await this.timeline.witnessedAt(parsed.value.seen.size, this.verifier.tree.size);
    if (!seen.ok) return { code: 'INCONSISTENT', message: `entry ${index}: seen: ${seen.error.message}` };
    const problem = this.accept(bytes, seen.value, parsed);
    if (problem) return problem;
    const covering = await this.timeline.witnessedAt(this.verifier.tree.size);
    if (!covering.ok) return { code: 'INCONSISTENT', message: covering.error.message };
    if (covering.value === undefined) return undefined;
    return this.cover(this.verifier.tree.size, covering.value);
  }

  /** Rule 2 (log time-rules.ts): no entry up to `size` is dated after `witnessedAt` and the skew. */
  cover(size: number, witnessedAt: number): Problem | undefined {
    const covered = this.verifier.times.cover(size, witnessedAt, skewOf(this.domain.treaty));
    return covered.ok ? undefined : entryProblem(covered.error);
  }

  /** Checks and replays one entry; the tree and state advance only together. `parsed`, when given, is `parseEntry(bytes)`. */
  accept(bytes: Uint8Array, seenWitnessedAt: EntryTimeContext['seenWitnessedAt'], parsed: ParsedEntry = parseEntry(bytes)): Problem | undefined {
    const index = this.verifier.tree.size;
    if (!parsed.ok) return { code: 'INCONSISTENT', message: `entry ${index}: ${parsed.error.message}` };
    const time: EntryTimeContext = { skewSeconds: skewOf(this.domain.treaty), seenWitnessedAt };
    if (index === 0) {
      const declared = declaredKeys(parsed.value);
      if (!declared.ok) return { code: 'INCONSISTENT', message: `entry 0: ${declared.error.message}` };
    }
    const checked = this.verifier.check(bytes, time, parsed.value);
    if (!checked.ok) return entryProblem(checked.error, bytes, index);
    // Entry by entry, not only the key in force at the end: a history opened or amended with
    // keys this state never held is not this state's, whatever a later amendment restores.
    if (parsed.value.author === this.options.party) {
      const key = this.keyring.keyOf(parsed.value.author, this.domain, parsed.value as Entry);
      if (!key || !this.options.ownKeyHistory.some((own) => bytesEqual(own, key))) {
        return {
          code: 'KEY_SUBSTITUTED',
          message: `entry ${index} (${parsed.value.type}, seq ${parsed.value.seq}) is authored as ${this.options.party} but signed with a key ${this.options.party} never held: the log holds history ${this.options.party} did not make. If ${this.options.party} changed its entry key, list its earlier keys in the gateway's key history file`,
          evidence: { entryIndex: String(index), entry: toBase64(bytes) },
        };
      }
    }
    const applied = apply(this.domain, domainPart(parsed.value as Entry) as AnyDomainEntry);
    // This gateway's restored state at fault, not the exchange's entry: the mirror halts without blaming the exchange.
    if (!applied.ok && applied.error.code === 'SNAPSHOT_VALUE_REFUSED') return { code: 'SNAPSHOT_BROKEN', message: `entry ${index}: ${applied.error.message}` };
    if (!applied.ok) return { code: 'INCONSISTENT', message: `entry ${index}: the exchange sequenced ${parsed.value.type} by ${parsed.value.author}, which the treaty and lifecycle refuse (${applied.error.code}: ${applied.error.message})` };
    // Checked above on this very prefix, with nothing appended since: `add` would check it
    // again, and every mirrored or replayed entry's signature was verified twice (issue 14:
    // half the entry-signature time in a gateway's profile under the sustained run).
    const added = this.verifier.appendChecked(bytes, checked.value);
    this.domain = applied.value;
    this.treaties.observe(applied.value);
    this.shelving.observe(applied.value);
    this.caseIndex.observe(added.index, parsed.value, applied.value);
    return undefined;
  }

  /**
   * The key the log now expects from this state (the treaty in force, or the opening one)
   * must be the key this gateway holds: otherwise entries "by" this state are not its own.
   * Checked on the log as it stands, not entry by entry, so that a replay through an
   * amendment that changed this state's key passes once the gateway holds the new key.
   */
  ownKeyProblem(): Problem | undefined {
    const { party, ownKey } = this.options;
    const witness = ownWitnessKeyProblem(this.options.policy, this.domain.treaty, this.options.ownWitness);
    if (witness) return { code: 'KEY_SUBSTITUTED', message: `${witness}. Compare the treaty text with the one ${party} proposed or ratified` };
    // A log that lists no key for this state (yet) cannot speak for it: nothing to compare. A
    // key this state held before (a mirror that has not reached the amendment that changed
    // it) is its own; any other is not.
    const { held, treaty } = this.keyring.compareHeldKey(party, ownKey, this.domain);
    if (held !== 'other') return undefined;
    if (this.options.ownKeyHistory.some((key) => this.keyring.compareHeldKey(party, key, this.domain).held === 'expected')) return undefined;
    return {
      code: 'KEY_SUBSTITUTED',
      message: `${treaty} gives ${party} an entry key ${party} never held: entries "by ${party}" would not be ours. If ${party} changed its key by amendment, restart this gateway with the new key in entryKeyFile; otherwise stop filing, and compare the treaty text with the one ${party} proposed or ratified`,
    };
  }
}
