import { apply, genesis, skewOf, type AnyDomainEntry, type State } from '@evenhand/core';
import {
  archivePageOf, archivePagePath, AuthorKeyring, bytesEqual, CaseIndex, declaredKeys, domainPart, EMPTY_ROOT, EntryVerifier, leafHash, logAndOwnWitness, ownWitnessKeyProblem, parseEntry, toBase64,
  TileWindow, TreatyHistory, treatyPolicy, verifyCheckpoint, witnessedTime, WitnessedTimeline, type Entry, type EntryTimeContext, type LogError, type Policy, type ReplayParts,
  type Hash, type NoteVerifier, type SeenCheckpoint, type VerifiedCheckpoint,
} from '@evenhand/log';
import { err, ok, type Result } from '@evenhand/core';
import { appendEntries, assertStoredLeaf, countEntries, readCheckpoint, receiptsBetween, storedEntriesFrom, swapCheckpoint, type Store, type StoredCheckpoint } from '@evenhand/store';
import type { Alarms } from './alarms.ts';
import type { CheckpointOffer } from '../witness/witness-app.ts';
import { ExchangeUnreachable, type ExchangeClient } from './exchange-client.ts';
import { CatchUp, type CatchUpProgress, type CatchUpStatus } from './catch-up.ts';
import { EXTENSION_CHUNK, freshEntries, freshEntriesInChunks, tilesRootProblem } from './fresh-entries.ts';
import { entryProblem, raiseProblem, raiseTimeAlarm, type Problem } from './mirror-problems.ts';
import { withheldBy } from './withheld.ts';
import type { SnapshotKeeper } from '../replay/snapshot-keeper.ts';
import { GATEWAY_REMEDY, replayRootProblem, signedUnder, storeContradictsSigned, vouchedSize } from '../replay/signed-head.ts';

/** What `parseEntry` answers for an entry's bytes. */
type ParsedEntry = ReturnType<typeof parseEntry>;

export interface MirrorOptions {
  readonly store: Store;
  readonly origin: string;
  readonly policy: Policy;
  /** This state's witness name in the policy: its cosignature is required (DESIGN.md "Cosignatures"). */
  readonly ownWitness: string;
  readonly party: string;
  /** This state's entry public key, to detect a treaty that substitutes it (or an amendment this gateway has not followed). */
  readonly ownKey: Uint8Array;
  /** Every entry key this state has held: each entry authored as this state, from the first, must be signed by one. */
  readonly ownKeyHistory: readonly Uint8Array[];
  /** How old the first checkpoint a gateway without one accepts may be (24 hours by default). */
  readonly maxCheckpointAgeSeconds?: number;
  readonly exchange: ExchangeClient;
  readonly alarms: Alarms;
  readonly now: () => number;
  /** Where snapshots of the replay are kept (issue 14): a restart replays only what follows the latest. */
  readonly snapshots?: SnapshotKeeper | undefined;
  /** Told how a long extension, taken in chunks, goes (catch-up.ts). */
  readonly catchUp?: CatchUpProgress | undefined;
}

/**
 * The gateway's own copy of the log (DESIGN.md "Gateway": it "mirrors the log and replays
 * it to recompute all state"). It grows only to trees whose root a log-signed checkpoint
 * names, after proving that the new tree extends its own (fresh-entries.ts: its own tree
 * with the new entries gives the signed root, or else the tiles say where they part),
 * checking every entry (signature, author chain, `seen`) and replaying it
 * through core `apply`. Entries are stored only once verified, so a restart reloads a
 * trusted prefix. One operation at a time: the periodic sync and the embedded witness share it.
 */
export class LogMirror {
  private verifier: EntryVerifier;
  private readonly keyring: AuthorKeyring;
  private domain: State = genesis();
  /** The treaty in force at each size: the witnesses and quorum a checkpoint of that size needs. */
  private treaties = new TreatyHistory();
  /** What a case proof needs beyond the state, by log index, kept as entries apply (log case-index.ts). */
  private caseIndex = new CaseIndex();
  private latest: VerifiedCheckpoint | undefined;
  /**
   * When `latest` was last verified with its quorum while this mirror held its tree (undefined
   * if it never was): a pull that is served the same note again need not verify it again
   * (`pull`), unless the clock has since gone back.
   */
  private latestQuorumCheckedAt: number | undefined;
  private consistencyCheckedAt: number | undefined;
  private haltedBecause: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** A sync queued that has not begun: later callers share it (`sync`). */
  private waitingSync: Promise<void> | undefined;
  /** The witnessed times of the exchange's archived checkpoints (the time rules, log time-rules.ts). */
  private readonly timeline: WitnessedTimeline;
  /** The archive pages an extension needs, fetched before any entry is replayed: no network mid-replay. */
  private archivePages = new Map<string, Uint8Array | undefined>();
  /** Told the size of each checkpoint verified beyond the last one (the console's live updates). */
  private readonly verifiedListeners = new Set<(size: number) => void>();
  /** The log key, which signs the exchange's receipts. */
  private readonly logVerifier: NoteVerifier;
  /** Entries an extension takes at once at most (EXTENSION_CHUNK; tests lower it). */
  extensionChunk = EXTENSION_CHUNK;
  /** A long extension in progress, chunk by chunk. */
  private readonly catchUp: CatchUp;

  constructor(private readonly options: MirrorOptions) {
    const logVerifier = options.policy.logs.find((log) => log.key.name === options.origin)?.key;
    if (!logVerifier) throw new Error(`the witness policy has no log key named ${options.origin}`);
    this.logVerifier = logVerifier;
    this.keyring = new AuthorKeyring(logVerifier.publicKey);
    this.verifier = this.freshVerifier();
    this.timeline = new WitnessedTimeline(async (path) => this.archivePages.get(path), (note, size) => this.checkArchived(note, size));
    this.catchUp = new CatchUp(options.catchUp, options.now);
  }

  /**
   * An archived checkpoint is believed only when the log signed it, the quorum of the treaty
   * in force at its size cosigned it (none from the future), and its root is this mirror's.
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

  /** Keys follow the log: each entry is checked against the treaty in force before it. */
  private freshVerifier(): EntryVerifier {
    return new EntryVerifier(this.options.origin, (author, entry) => this.keyring.keyOf(author, this.domain, entry));
  }

  get size(): number {
    return this.verifier.tree.size;
  }

  /** The long extension this mirror is taking chunk by chunk, if any: how far it is (catch-up.ts). */
  get catchingUp(): CatchUpStatus | undefined {
    return this.catchUp.status;
  }

  /** What a case proof needs beyond the state, by log index (log case-index.ts). */
  get cases(): CaseIndex {
    return this.caseIndex;
  }

  /** What a snapshot captures besides the state (log replay-snapshot.ts). */
  private get replayParts(): ReplayParts {
    return { verifier: this.verifier, treaties: this.treaties, cases: this.caseIndex };
  }

  get state(): State {
    return this.domain;
  }

  get verified(): VerifiedCheckpoint | undefined {
    return this.latest;
  }

  /** Calls `listener` with the size of every larger checkpoint verified from now on; returns the way to stop. */
  onVerified(listener: (size: number) => void): () => void {
    this.verifiedListeners.add(listener);
    return () => this.verifiedListeners.delete(listener);
  }

  get lastConsistencyCheck(): number | undefined {
    return this.consistencyCheckedAt;
  }

  get halted(): string | undefined {
    return this.haltedBecause;
  }

  /** The `seen` of this state's next entry: the latest checkpoint it verified (DESIGN.md "The log"). */
  get seen(): SeenCheckpoint {
    return this.latest ? { size: this.latest.checkpoint.size, root: toBase64(this.latest.checkpoint.root) } : { size: 0, root: toBase64(EMPTY_ROOT) };
  }

  rootAt(size: number): Uint8Array {
    return this.verifier.tree.root(size);
  }

  leafHashAt(index: number): Uint8Array {
    return this.verifier.tree.hashAt(0, index);
  }

  /** The range proof of the mirrored entries from..to-1 in the tree of `size`: a case proof's runs (issue 13). */
  rangeProof(from: number, to: number, size: number): Result<Hash[], LogError> {
    return this.verifier.tree.rangeProof(from, to, size);
  }

  /** Serialises mirror operations: two syncs must never append the same entries twice. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(task);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Rebuilds the mirror from its own store: entries were verified before they were stored.
   * With a sound snapshot (issue 14) only the entries after it are replayed; one whose replay
   * does not give the root of the checkpoint this gateway last verified is dropped, and the
   * whole mirror replayed, as it is without a snapshot or under `--full-replay`. The start
   * fails, naming the store, when the whole mirror does not give that checkpoint either, or
   * holds fewer entries than it (STORE_CONTRADICTS_SIGNED_CHECKPOINT); a row whose note does
   * not verify vouches for nothing.
   */
  async load(): Promise<void> {
    const { store, origin, snapshots: keeper } = this.options;
    // The checkpoint last verified, once its note verifies again (log key and this state's own
    // witness), vouches for the snapshot's prefix (signedRootProblem compares their roots).
    const stored = await readCheckpoint(store.db, 'log_published', origin);
    const vouched = vouchedSize(stored, signedUnder(this.options.policy, this.options.ownWitness));
    // Entries are stored before the checkpoint that reaches them (`extendTo`, then `pull`), so a
    // store holding fewer than its verified checkpoint lost entries it had verified. Mirrored
    // again, they would extend the prefix it still holds, which no signed checkpoint vouches
    // for any more: a prefix edited as well would then be blamed on the exchange. The
    // exchange's start refuses a signed head beyond its entries alike (sequencer.ts).
    const held = await countEntries(store.db);
    if (vouched !== undefined && vouched > held) throw storeContradictsSigned('this gateway', 'log_published', vouched, `the checkpoint it verified has ${vouched} entries, the store ${held}`, GATEWAY_REMEDY);
    const usable = keeper && (await keeper.latest(vouched));
    let restored = false;
    if (keeper && usable) {
      try {
        this.domain = keeper.adopt(usable, this.replayParts);
        await this.replayStored(usable.decoded.size, held);
        // A row whose note does not verify vouches for nothing (every leaf was compared instead): its root, edited, would refuse every snapshot.
        const problem = vouched === undefined ? undefined : this.signedRootProblem(stored);
        if (problem) throw new Error(`SNAPSHOT_ROOT_MISMATCH: ${problem}`);
        restored = true;
      } catch (error) {
        keeper.refuse(usable.decoded.size, error instanceof Error ? error.message : String(error));
        this.domain = genesis();
        this.verifier = this.freshVerifier();
        this.treaties = new TreatyHistory();
        this.caseIndex = new CaseIndex();
      }
    }
    if (!restored) {
      await this.replayStored(0, held);
      // Entries this gateway verified under its own witness's cosignature no longer give that
      // checkpoint: its store was edited. Started, it would find the exchange's next checkpoint
      // inconsistent and blame the exchange.
      if (vouched !== undefined) {
        const unheld = this.signedRootProblem(stored);
        if (unheld) throw storeContradictsSigned('this gateway', 'log_published', vouched, unheld, GATEWAY_REMEDY);
      }
      // A full replay writes a fresh snapshot (always under --full-replay), so the next start is short.
      if (keeper?.wanted(this.size)) void keeper.save(this.replayParts, this.domain);
    }
    const substituted = this.ownKeyProblem();
    if (substituted) raiseProblem(this.options.alarms, this.halt(substituted));
    if (stored) {
      const checked = this.verifyQuorum(stored.note, stored.size);
      if (checked.ok) this.latest = checked.value;
      // A row beyond the stored entries (one that vouched for nothing, so the start went on) was checked without the treaty in force at its size.
      if (checked.ok && stored.size <= this.size) this.latestQuorumCheckedAt = this.options.now();
    }
  }

  /** Replays the stored entries from `from` to `held`, the store's count. */
  private async replayStored(from: number, held: number): Promise<void> {
    this.options.snapshots?.replaying(from, held);
    for await (const row of storedEntriesFrom(this.options.store.db, from)) {
      // Checked against witnessed time when they were mirrored; rule 3 runs again, to know the latest time.
      const problem = this.accept(row.bytes, 'unchecked');
      if (problem) throw new Error(`the gateway's stored mirror no longer verifies at entry ${row.index}: ${problem.message}`);
      assertStoredLeaf(row, this.verifier.tree.hashAt(0, row.index));
      this.options.snapshots?.replayed(row.index);
    }
  }

  /** Why the replay does not hold the checkpoint this gateway last verified (log_published), if it does not. */
  private signedRootProblem(stored: StoredCheckpoint | undefined): string | undefined {
    return replayRootProblem(this.verifier.tree, stored, 'the checkpoint this gateway verified');
  }

  /**
   * Writes a snapshot of the mirror as it stands, when it grew since the last one: on a clean
   * shutdown (issue 14), between mirror operations, so the parts describe one verified tree.
   */
  snapshotNow(): Promise<void> {
    return this.exclusive(async () => {
      const keeper = this.options.snapshots;
      if (!keeper) return;
      await keeper.flush();
      if (this.size !== keeper.lastSnapshotSize) await keeper.save(this.replayParts, this.domain);
    });
  }

  /**
   * Checks and replays one entry from the exchange, with the witnessed time of the checkpoint
   * it has seen (rule 1), then covers the entries so far when an archived checkpoint of the
   * new size exists (rule 2, log time-rules.ts). `parsed` is `parseEntry(bytes)`.
   */
  private async acceptWitnessed(bytes: Uint8Array, parsed: ParsedEntry): Promise<Problem | undefined> {
    const index = this.verifier.tree.size;
    if (!parsed.ok) return { code: 'INCONSISTENT', message: `entry ${index}: ${parsed.error.message}` };
    const seen = await this.timeline.witnessedAt(parsed.value.seen.size, this.verifier.tree.size);
    if (!seen.ok) return { code: 'INCONSISTENT', message: `entry ${index}: seen: ${seen.error.message}` };
    const problem = this.accept(bytes, seen.value, parsed);
    if (problem) return problem;
    const covering = await this.timeline.witnessedAt(this.verifier.tree.size);
    if (!covering.ok) return { code: 'INCONSISTENT', message: covering.error.message };
    if (covering.value === undefined) return undefined;
    const covered = this.verifier.times.cover(this.verifier.tree.size, covering.value, skewOf(this.domain.treaty));
    return covered.ok ? undefined : entryProblem(covered.error);
  }

  /** Checks and replays one entry; the tree and state advance only together. `parsed`, when given, is `parseEntry(bytes)`. */
  private accept(bytes: Uint8Array, seenWitnessedAt: EntryTimeContext['seenWitnessedAt'], parsed: ParsedEntry = parseEntry(bytes)): Problem | undefined {
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
    if (!applied.ok) return { code: 'INCONSISTENT', message: `entry ${index}: the exchange sequenced ${parsed.value.type} by ${parsed.value.author}, which the treaty and lifecycle refuse (${applied.error.code}: ${applied.error.message})` };
    // Checked above on this very prefix, with nothing appended since: `add` would check it
    // again, and every mirrored or replayed entry's signature was verified twice (issue 14:
    // half the entry-signature time in a gateway's profile under the sustained run).
    const added = this.verifier.appendChecked(bytes, checked.value);
    this.domain = applied.value;
    this.treaties.observe(applied.value);
    this.caseIndex.observe(added.index, parsed.value, applied.value);
    return undefined;
  }

  /**
   * The full check of a checkpoint of `size` (whose entries this mirror holds): the log's
   * signature, this state's own witness, and the quorum of the treaty in force at that size.
   */
  private verifyQuorum(note: string, size: number, firstTime = false) {
    const treaty = this.treaties.at(size);
    const policy = treatyPolicy(this.options.policy, treaty, this.options.ownWitness);
    if (!policy.ok) return policy;
    // Cosignatures from the future do not count; a gateway with no verified checkpoint yet (a
    // new or rebuilt one) accepts only a fresh one, or an old view could be passed off as current.
    const maxAgeSeconds = firstTime ? (this.options.maxCheckpointAgeSeconds ?? 86_400) : undefined;
    return verifyCheckpoint(note, policy.value, this.options.ownWitness, { now: this.options.now(), skewSeconds: skewOf(treaty), maxAgeSeconds });
  }

  /** Whether this mirror, not halted, holds the tree of `checkpoint`: the same root at its size. */
  private holds(checkpoint: { readonly size: number; readonly root: Uint8Array }): boolean {
    return !this.haltedBecause && checkpoint.size <= this.verifier.tree.size && bytesEqual(this.verifier.tree.root(checkpoint.size), checkpoint.root);
  }

  /** The exchange's checkpoint passed with its quorum: what a failed pull raised about it no longer holds. */
  private verifiedAgain(): void {
    for (const code of ['QUORUM_MISSING', 'COSIGNED_IN_FUTURE', 'CHECKPOINT_STALE'] as const) this.options.alarms.clear(code);
    this.consistencyCheckedAt = this.options.now();
  }

  /**
   * Grows the mirror to the tree of `size` with `root` (already signed by the log key), from
   * the exchange's tiles. `witnessedAt` is when that tree was witnessed (its own witness's
   * cosignature, or this gateway's clock as its witness cosigns or as it compares with a peer):
   * no entry of it may be dated later than that, plus the skew. A finite instant: the entries
   * no archived checkpoint covers are checked against it (rule 2, log time-rules.ts). Answers
   * why not, or undefined once the mirror holds that tree.
   */
  private async extendTo(size: number, root: Uint8Array, witnessedAt: number, note = ''): Promise<Problem | undefined> {
    if (this.haltedBecause) return { code: 'INCONSISTENT', message: `the mirror stopped: ${this.haltedBecause}` };
    const own = this.verifier.tree.size;
    if (size <= own) {
      if (bytesEqual(this.verifier.tree.root(size), root)) return undefined;
      return { code: 'SPLIT_VIEW', message: `the log signed a tree of size ${size} whose root differs from the one this gateway replayed at that size` };
    }
    try {
      // A long extension (a gateway stopped a while, or started on an empty database) is taken
      // a chunk at a time, each checked against the hash tiles of the signed tree, replayed and
      // stored before the next is fetched: held whole, it grew with the log (fresh-entries.ts).
      if (size - own > this.extensionChunk) {
        const problem = await this.catchUp.run(own, size, (advance) =>
          freshEntriesInChunks(this.options.exchange, this.verifier.tree, size, root, this.extensionChunk, async (fresh) => {
            const refused = await this.takeFresh(fresh, size, root, witnessedAt, note);
            if (!refused) advance(this.size);
            return refused;
          }),
        );
        if (problem) return problem;
      } else {
        const got = await freshEntries(this.options.exchange, this.verifier.tree, size, root);
        if (!got.ok) return got.problem;
        const problem = await this.takeFresh(got.entries, size, root, witnessedAt, note);
        if (problem) return problem;
      }
      const substituted = this.ownKeyProblem();
      return substituted ? this.halt(substituted) : undefined;
    } catch (error) {
      if (error instanceof ExchangeUnreachable) return { code: 'UNREACHABLE', message: error.message };
      throw error;
    }
  }

  /**
   * Checks, replays and stores `fresh`, the entries that follow this tree in the signed tree of
   * `size` and `root`, witnessed at `witnessedAt`: all of them, or a chunk. Each chunk meets the
   * time rule against that checkpoint before it is stored, so no stored entry escapes it; the
   * last gives the signed root before it is stored.
   */
  private async takeFresh(fresh: Uint8Array[], size: number, root: Uint8Array, witnessedAt: number, note: string): Promise<Problem | undefined> {
    const own = this.verifier.tree.size;
    const end = own + fresh.length;
    // This state's receipts in the new range: the exchange promised each of its entries at
    // that index, and a tree holding another entry there is censorship (issue 12).
    for (const submission of await receiptsBetween(this.options.store.db, own, end)) {
      const bytes = fresh[submission.index - own];
      if (bytes && bytesEqual(leafHash(bytes), submission.leafHash)) continue;
      return this.halt({
        code: 'CENSORED',
        message: `the tree of size ${size} holds another entry at index ${submission.index}, where the exchange's signed receipt put this state's ${submission.type}`,
        evidence: { receipt: submission.receipt ?? '', entryIndex: String(submission.index), ...(note ? { 'offered-checkpoint': note } : {}) },
      });
    }
    // The archive pages beside the new entries, and those of the checkpoints they have seen,
    // fetched now: once replay begins the tree moves, and only a restart could undo that.
    const pages = new Set<number>();
    for (let n = archivePageOf(own + 1); n <= archivePageOf(end); n++) pages.add(n);
    // Each entry parsed once here, for the pages, the checks and the rows (it was four times).
    const parsed = fresh.map((bytes) => parseEntry(bytes));
    for (const entry of parsed) {
      if (entry.ok && !this.timeline.knows(entry.value.seen.size) && entry.value.seen.size <= own) pages.add(archivePageOf(entry.value.seen.size));
    }
    this.archivePages = new Map();
    for (const n of pages) this.archivePages.set(archivePagePath(n), await this.options.exchange.tile(archivePagePath(n)));
    // The archive's last page grows between extensions: read it afresh.
    this.timeline.forgetPages();
    for (const [i, bytes] of fresh.entries()) {
      const problem = await this.acceptWitnessed(bytes, parsed[i]!);
      if (problem) return this.halt(problem);
    }
    this.archivePages = new Map();
    const covered = this.verifier.times.cover(size, witnessedAt, skewOf(this.domain.treaty));
    if (!covered.ok) return this.halt(entryProblem(covered.error));
    // The entries built the signed root before replay (fresh-entries.ts); the tree replay built must give it too.
    if (end === size && !bytesEqual(this.verifier.tree.root(), root)) return this.halt({ code: 'INCONSISTENT', message: `the entries served for size ${size} do not build the signed root` });
    const rows = fresh.map((bytes, i) => {
      const entry = parsed[i]!;
      if (!entry.ok) throw new Error('an accepted entry does not parse');
      return { bytes, leafHash: leafHash(bytes), author: entry.value.author, authorSeq: entry.value.seq, type: entry.value.type, time: entry.value.time };
    });
    const written = await appendEntries(this.options.store.db, rows);
    if (!written.ok || written.firstIndex !== own) return this.halt({ code: 'INCONSISTENT', message: `the gateway's store did not take the mirrored entries at ${own}` });
    return undefined;
  }

  /**
   * The key the log now expects from this state (the treaty in force, or the opening one)
   * must be the key this gateway holds: otherwise entries "by" this state are not its own.
   * Checked on the log as it stands, not entry by entry, so that a replay through an
   * amendment that changed this state's key passes once the gateway holds the new key.
   */
  private ownKeyProblem(): Problem | undefined {
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

  /**
   * After a failure mid-replay the in-memory tree may be ahead of the stored one: stop
   * growing and cosigning until a restart reloads the verified prefix (fail-stop).
   */
  private halt(problem: Problem): Problem {
    this.haltedBecause = problem.message;
    return problem;
  }

  /**
   * The witnesses of the treaty in force at this mirror's size, with their addresses: the
   * other parties this state compares views with (`comparePeer`).
   */
  peers(): { name: string; url: string }[] {
    const policy = treatyPolicy(this.options.policy, this.treaties.at(this.size), this.options.ownWitness);
    const witnesses = policy.ok ? policy.value.witnesses.values() : this.options.policy.witnesses.values();
    return [...witnesses].filter((witness) => witness.name !== this.options.ownWitness && witness.url !== undefined).map((witness) => ({ name: witness.name, url: witness.url! }));
  }

  /**
   * The exchange's hash tiles at the verified size must give the verified root. Extensions
   * trust the entry bundles alone when they build the signed root (fresh-entries.ts), but the
   * tiles are what `evenhand verify`, case proofs and public mirrors read: tiles that lie are
   * raised here, as an extension raised them before. Run with the peers' comparison, so at
   * most every peerCheckSeconds and a few tiles each time.
   */
  checkServedTiles(): Promise<void> {
    return this.exclusive(async () => {
      const verified = this.latest;
      if (!verified || this.haltedBecause) return;
      const { size, root } = verified.checkpoint;
      let message: string | undefined;
      try {
        message = await tilesRootProblem(new TileWindow((path) => this.options.exchange.tile(path), size), size, root);
      } catch (error) {
        if (error instanceof ExchangeUnreachable) return;
        throw error;
      }
      if (message) raiseProblem(this.options.alarms, { code: 'INCONSISTENT', message }, { checkpoint: verified.note });
    });
  }

  /**
   * Another party's latest cosigned checkpoint against this state's view (issue 12, "split
   * views across parties"): signed by the log, it must be a tree this mirror holds or can
   * verifiably reach from the exchange's tiles. A log that shows each party its own history
   * cannot pass this, since each party's witness publishes what it was shown.
   */
  comparePeer(peer: string, note: string): Promise<string | undefined> {
    return this.exclusive(async () => {
      // A stopped mirror compares nothing: what stopped it was raised when it stopped (and each
      // sync raises it again), and "the mirror stopped" is no evidence that the exchange showed
      // `peer` another history, which is what SPLIT_VIEW says.
      if (this.haltedBecause) return undefined;
      // Only the log's signature is checked: the note is the peer's word on what it was shown.
      const checked = verifyCheckpoint(note, logAndOwnWitness(this.options.policy, null), null);
      if (!checked.ok || checked.value.checkpoint.origin !== this.options.origin) return `${peer}'s latest checkpoint is not this log's (${checked.ok ? checked.value.checkpoint.origin : checked.error.message})`;
      const { size, root } = checked.value.checkpoint;
      // Rule 2 (log time-rules.ts) for entries no archived checkpoint covers yet, as in a tree
      // signed and offered but not yet published: the log signed the tree before this gateway
      // read it, so none may be dated after this gateway's clock plus the skew, the bound its
      // witness applies when it cosigns (`agrees`). Not the note's witnessed time: checked
      // against no witness, it counts no cosignature, and `witnessedTime` of none is -Infinity,
      // which failed every such entry. Nor the peer's own cosignature: one witness's clock (the
      // operator holds the neutral witness's key), where the rule takes a quorum's latest.
      const problem = await this.extendTo(size, root, this.options.now());
      if (!problem || problem.code === 'UNREACHABLE') return undefined;
      // What this state was shown: the latest its own witness cosigned (or verified, failing that).
      const own = (await readCheckpoint(this.options.store.db, 'witness_state', this.options.origin))?.note ?? this.latest?.note ?? '';
      const message = problem.code === 'SPLIT_VIEW' || problem.code === 'INCONSISTENT'
        ? `${peer}'s witness cosigned a tree of size ${size} that the exchange does not show this state (${problem.message}): the exchange shows the parties different histories`
        : problem.message;
      raiseProblem(this.options.alarms, { code: problem.code === 'INCONSISTENT' ? 'SPLIT_VIEW' : problem.code, message, evidence: { [`${peer}-cosigned`]: note, own } });
      return message;
    });
  }

  /**
   * The embedded witness's check: cosign only a tree this mirror holds or can verifiably
   * reach, and that holds every entry the exchange's receipts promised by the time the offer
   * arrived. The offered note is kept as evidence beside a receipt it breaks.
   */
  agrees(origin: string, size: number, root: Uint8Array, offer: CheckpointOffer = { note: '', arrivedAt: this.options.now() }): Promise<string | undefined> {
    return this.exclusive(async () => {
      if (origin !== this.options.origin) return `this gateway mirrors ${this.options.origin}, not ${origin}`;
      const withheld = await withheldBy(this.options.store, { origin, skew: skewOf(this.treaties.at(this.size)), logKey: this.logVerifier, latestNote: this.latest?.note }, size, offer);
      if (withheld) {
        raiseProblem(this.options.alarms, withheld);
        return `not cosigning ${origin} at size ${size}: ${withheld.message}`;
      }
      // This witness cosigns now: no entry of the tree may be dated beyond its clock and the skew.
      const problem = await this.extendTo(size, root, this.options.now(), offer.note);
      if (!problem) return undefined;
      if (problem.code !== 'INCONSISTENT' && problem.code !== 'UNREACHABLE') raiseProblem(this.options.alarms, problem);
      return `not cosigning ${origin} at size ${size}: ${problem.message}`;
    });
  }

  /**
   * Fetches the exchange's checkpoint, verifies it (own witness required) and grows to it.
   * Callers that ask while a sync still waits for its turn share that sync: it has not read
   * the checkpoint yet, so it reads one at least as recent as each of them would have. Every
   * filing asks twice (to show it soon, then once its checkpoint is out), and each sync that
   * queued on its own delayed the embedded witness's cosignature behind it (issue 14).
   */
  sync(): Promise<void> {
    if (this.waitingSync) return this.waitingSync;
    const shared: Promise<void> = this.exclusive(() => {
      // From here the checkpoint is about to be read: a caller from now on needs a sync of its own.
      if (this.waitingSync === shared) this.waitingSync = undefined;
      return this.pull();
    });
    this.waitingSync = shared;
    return shared;
  }

  private async pull(): Promise<void> {
    const { alarms, policy, ownWitness, exchange } = this.options;
    let note: string | undefined;
    try {
      note = await exchange.checkpoint();
    } catch (error) {
      raiseProblem(this.options.alarms, { code: 'UNREACHABLE', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    alarms.clear('EXCHANGE_UNREACHABLE');
    if (note === undefined) return;
    const previous = this.latest;
    const checkedAt = this.latestQuorumCheckedAt;
    if (previous && checkedAt !== undefined && note === previous.note && this.options.now() >= checkedAt && this.holds(previous.checkpoint)) {
      // The very note verified last with its quorum, and its tree still held (as `extendTo`
      // would find): its signatures and the treaty in force at its size give the same verdict
      // again, and a cosignature that was not from the future then is not now, the clock not
      // having gone back. Verified again, it cost six signature checks per pull, and a gateway
      // pulls for every filing (issue 14).
      this.verifiedAgain();
      return;
    }
    // First the log's signature and this state's own witness; the quorum, which the treaty in
    // force at the checkpoint's size sets, once the entries up to that size are verified.
    const checked = verifyCheckpoint(note, logAndOwnWitness(policy, ownWitness), ownWitness);
    if (!checked.ok) {
      const quorum = checked.error.code === 'CHECKPOINT_QUORUM_NOT_MET' || checked.error.code === 'CHECKPOINT_OWN_WITNESS_MISSING';
      // (Checked without a clock here: the cosignatures' dates are judged with the quorum below.)
      if (quorum) alarms.raise('QUORUM_MISSING', `the exchange's checkpoint is not accepted: ${checked.error.message}. Check that ${ownWitness}'s witness (this gateway) and the neutral witnesses are reachable from the exchange.`);
      else alarms.raise('INCONSISTENT', `the exchange's checkpoint does not verify: ${checked.error.message}. Report it to the operator.`, { checkpoint: note });
      return;
    }
    const next = checked.value;
    const evidence: Record<string, string> = previous ? { previous: previous.note, current: note } : { current: note };
    if (next.checkpoint.origin !== this.options.origin) {
      alarms.raise('INCONSISTENT', `the exchange serves a checkpoint of ${next.checkpoint.origin}, not ${this.options.origin}. Check the gateway's exchange address.`, evidence);
      return;
    }
    if (previous && next.checkpoint.size < previous.checkpoint.size) {
      // An older checkpoint: a stale cache, unless its root contradicts what was verified.
      if (!bytesEqual(this.verifier.tree.root(next.checkpoint.size), next.checkpoint.root)) raiseProblem(this.options.alarms, { code: 'SPLIT_VIEW', message: `the exchange now serves a tree of size ${next.checkpoint.size} that contradicts the verified log` }, evidence);
      return;
    }
    const problem = await this.extendTo(next.checkpoint.size, next.checkpoint.root, Math.min(this.options.now(), witnessedTime(next)));
    if (problem) {
      raiseProblem(this.options.alarms, problem, evidence);
      return;
    }
    const quorum = this.verifyQuorum(note, next.checkpoint.size, previous === undefined);
    if (!quorum.ok) {
      if (quorum.error.code === 'CHECKPOINT_COSIGNED_IN_FUTURE' || quorum.error.code === 'CHECKPOINT_STALE') raiseTimeAlarm(this.options.alarms, quorum.error, note);
      else alarms.raise('QUORUM_MISSING', `the exchange's checkpoint of size ${next.checkpoint.size} is not accepted: ${quorum.error.message}. The treaty in force names the witnesses; check that each is reachable from the exchange.`);
      return;
    }
    this.verifiedAgain();
    if (!previous || next.checkpoint.size > previous.checkpoint.size || next.note !== previous.note) {
      const expected = previous && { size: previous.checkpoint.size, root: previous.checkpoint.root };
      const row = { origin: next.checkpoint.origin, size: next.checkpoint.size, root: next.checkpoint.root, note, updatedAt: this.options.now() };
      if (!(await swapCheckpoint(this.options.store.db, 'log_published', expected, row))) {
        // The row is not the checkpoint verified last: only this mirror writes it, so it was
        // edited outside. Left, it vouched for nothing at every restart, which then read every
        // leaf; the checkpoint just verified takes its place.
        const found = await readCheckpoint(this.options.store.db, 'log_published', this.options.origin);
        await swapCheckpoint(this.options.store.db, 'log_published', found && { size: found.size, root: found.root }, row);
      }
      this.latest = quorum.value;
      if (!previous || next.checkpoint.size > previous.checkpoint.size) for (const listener of this.verifiedListeners) listener(next.checkpoint.size);
      // At a checkpoint verified with its quorum, at most every so many entries (issue 14): the
      // parts are taken now, inside this mirror operation; the state is encoded and written after it.
      if (this.options.snapshots?.due(this.size)) void this.options.snapshots.save(this.replayParts, this.domain);
    }
    // Once `latest` is this note: a store that failed to swap it in leaves the instant as it was.
    this.latestQuorumCheckedAt = this.options.now();
  }
}
