import { skewOf, type State } from '@evenhand/core';
import { bytesEqual, EMPTY_ROOT, leafHash, parseEntry, toBase64, treatyPolicy, verifyCheckpoint, witnessedTime, logAndOwnWitness, type CaseIndex, type Hash, type LogError, type SeenCheckpoint, type VerifiedCheckpoint } from '@evenhand/log';
import type { Result } from '@evenhand/core';
import { appendEntries, readCheckpoint, swapCheckpoint, type Store } from '@evenhand/store';
import type { Alarms } from './alarms.ts';
import type { CheckpointOffer } from '../witness/witness-app.ts';
import { ExchangeUnreachable, type ExchangeClient } from './exchange-client.ts';
import { CatchUp, type CatchUpProgress, type CatchUpStatus } from './catch-up.ts';
import { EXTENSION_CHUNK, freshEntries, freshEntriesInChunks } from './fresh-entries.ts';
import { raiseProblem, raiseTimeAlarm, type Problem } from './mirror-problems.ts';
import { PeerChecks } from './peer-checks.ts';
import { VerifiedPrefix, type PrefixOptions } from './verified-prefix.ts';
import { displacedBy, withheldBy } from './withheld.ts';
import { restoredPrefix } from './mirror-restore.ts';
import type { SnapshotKeeper } from '../replay/snapshot-keeper.ts';

export interface MirrorOptions extends PrefixOptions {
  readonly store: Store;
  /** How old the first checkpoint a gateway without one accepts may be (24 hours by default). */
  readonly maxCheckpointAgeSeconds?: number;
  readonly exchange: ExchangeClient;
  readonly alarms: Alarms;
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
 * checking every entry and replaying it through core `apply` (verified-prefix.ts). Entries
 * are stored only once verified, so a restart reloads a trusted prefix. One operation at a
 * time: the periodic sync, the embedded witness and the peer comparisons (peer-checks.ts) share it.
 */
export class LogMirror {
  /** The verified entries, replayed; a new one when a refused snapshot has the whole store replayed. */
  private prefix: VerifiedPrefix;
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
  /** Told the size of each checkpoint verified beyond the last one (the console's live updates). */
  private readonly verifiedListeners = new Set<(size: number) => void>();
  /** Entries an extension takes at once at most (EXTENSION_CHUNK; tests lower it). */
  extensionChunk = EXTENSION_CHUNK;
  /** A long extension in progress, chunk by chunk. */
  private readonly catchUp: CatchUp;

  /** This state's view against the other witnesses' and the tiles everyone else reads (peer-checks.ts). */
  readonly peerChecks: PeerChecks;

  constructor(private readonly options: MirrorOptions) {
    this.prefix = new VerifiedPrefix(options);
    this.catchUp = new CatchUp(options.catchUp, options.now);
    this.peerChecks = new PeerChecks(
      {
        halted: () => this.haltedBecause,
        verified: () => this.latest,
        treatyNow: () => this.prefix.treatyAt(this.size),
        exclusive: (task) => this.exclusive(task),
        extendTo: (size, root, witnessedAt) => this.extendTo(size, root, witnessedAt),
      },
      options,
    );
  }

  get size(): number {
    return this.prefix.size;
  }

  /** The long extension this mirror is taking chunk by chunk, if any: how far it is (catch-up.ts). */
  get catchingUp(): CatchUpStatus | undefined {
    return this.catchUp.status;
  }

  /** What a case proof needs beyond the state, by log index (log case-index.ts). */
  get cases(): CaseIndex {
    return this.prefix.cases;
  }

  get state(): State {
    return this.prefix.state;
  }

  /** Request records put on the shelf by the current prefix (replay/record-shelving.ts). */
  get shelvedRecords(): number {
    return this.prefix.shelvedRecords;
  }

  /** Nodes of the figure index put on the shelf by the current prefix (replay/bag-shelving.ts). */
  get shelvedBagNodes(): number {
    return this.prefix.shelvedBagNodes;
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
    return this.prefix.tree.root(size);
  }

  leafHashAt(index: number): Uint8Array {
    return this.prefix.tree.hashAt(0, index);
  }

  /** The range proof of the mirrored entries from..to-1 in the tree of `size`: a case proof's runs (issue 13). */
  rangeProof(from: number, to: number, size: number): Result<Hash[], LogError> {
    return this.prefix.tree.rangeProof(from, to, size);
  }

  /** Serialises mirror operations: two syncs must never append the same entries twice. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(task);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Rebuilds the mirror from its own store (mirror-restore.ts), then checks the checkpoint it
   * last verified again: the log's key, its own witness and the quorum.
   */
  async load(): Promise<void> {
    const { prefix, stored } = await restoredPrefix(this.options, this.prefix);
    this.prefix = prefix;
    const substituted = this.prefix.ownKeyProblem();
    if (substituted) raiseProblem(this.options.alarms, this.halt(substituted));
    if (stored) {
      const checked = this.verifyQuorum(stored.note, stored.size);
      if (checked.ok) this.latest = checked.value;
      // A row beyond the stored entries (one that vouched for nothing, so the start went on) was checked without the treaty in force at its size.
      if (checked.ok && stored.size <= this.size) this.latestQuorumCheckedAt = this.options.now();
    }
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
      if (this.size !== keeper.lastSnapshotSize) await keeper.save(this.prefix.replayParts, this.prefix.state);
    });
  }

  /**
   * The full check of a checkpoint of `size` (whose entries this mirror holds): the log's
   * signature, this state's own witness, and the quorum of the treaty in force at that size.
   */
  private verifyQuorum(note: string, size: number, firstTime = false) {
    const treaty = this.prefix.treatyAt(size);
    const policy = treatyPolicy(this.options.policy, treaty, this.options.ownWitness);
    if (!policy.ok) return policy;
    // Cosignatures from the future do not count; a gateway with no verified checkpoint yet (a
    // new or rebuilt one) accepts only a fresh one, or an old view could be passed off as current.
    const maxAgeSeconds = firstTime ? (this.options.maxCheckpointAgeSeconds ?? 86_400) : undefined;
    return verifyCheckpoint(note, policy.value, this.options.ownWitness, { now: this.options.now(), skewSeconds: skewOf(treaty), maxAgeSeconds });
  }

  /** Whether this mirror, not halted, holds the tree of `checkpoint`: the same root at its size. */
  private holds(checkpoint: { readonly size: number; readonly root: Uint8Array }): boolean {
    return !this.haltedBecause && this.prefix.holds(checkpoint.size, checkpoint.root);
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
    const own = this.prefix.size;
    if (size <= own) {
      if (this.prefix.holds(size, root)) return undefined;
      return { code: 'SPLIT_VIEW', message: `the log signed a tree of size ${size} whose root differs from the one this gateway replayed at that size` };
    }
    try {
      // A long extension (a gateway stopped a while, or started on an empty database) is taken
      // a chunk at a time, each checked against the hash tiles of the signed tree, replayed and
      // stored before the next is fetched: held whole, it grew with the log (fresh-entries.ts).
      if (size - own > this.extensionChunk) {
        const problem = await this.catchUp.run(own, size, (advance) =>
          freshEntriesInChunks(this.options.exchange, this.prefix.tree, size, root, this.extensionChunk, async (fresh) => {
            const refused = await this.takeFresh(fresh, size, root, witnessedAt, note);
            if (!refused) advance(this.size);
            return refused;
          }),
        );
        if (problem) return problem;
      } else {
        const got = await freshEntries(this.options.exchange, this.prefix.tree, size, root);
        if (!got.ok) return got.problem;
        const problem = await this.takeFresh(got.entries, size, root, witnessedAt, note);
        if (problem) return problem;
      }
      const substituted = this.prefix.ownKeyProblem();
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
    const own = this.prefix.size;
    const end = own + fresh.length;
    const displaced = await displacedBy(this.options.store, fresh, own, size, note);
    if (displaced) return this.halt(displaced);
    // Each entry parsed once here, for the pages, the checks and the rows (it was four times).
    const parsed = fresh.map((bytes) => parseEntry(bytes));
    await this.prefix.fetchArchivePages(parsed, (path) => this.options.exchange.tile(path));
    for (const [i, bytes] of fresh.entries()) {
      const problem = await this.prefix.acceptWitnessed(bytes, parsed[i]!);
      if (problem) return this.halt(problem);
    }
    this.prefix.releaseArchivePages();
    const uncovered = this.prefix.cover(size, witnessedAt);
    if (uncovered) return this.halt(uncovered);
    // The entries built the signed root before replay (fresh-entries.ts); the tree replay built must give it too.
    if (end === size && !bytesEqual(this.prefix.tree.root(), root)) return this.halt({ code: 'INCONSISTENT', message: `the entries served for size ${size} do not build the signed root` });
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
   * After a failure mid-replay the in-memory tree may be ahead of the stored one: stop
   * growing and cosigning until a restart reloads the verified prefix (fail-stop).
   */
  private halt(problem: Problem): Problem {
    this.haltedBecause = problem.message;
    return problem;
  }

  /**
   * The embedded witness's check: cosign only a tree this mirror holds or can verifiably
   * reach, and that holds every entry the exchange's receipts promised by the time the offer
   * arrived. The offered note is kept as evidence beside a receipt it breaks.
   */
  agrees(origin: string, size: number, root: Uint8Array, offer: CheckpointOffer = { note: '', arrivedAt: this.options.now() }): Promise<string | undefined> {
    return this.exclusive(async () => {
      if (origin !== this.options.origin) return `this gateway mirrors ${this.options.origin}, not ${origin}`;
      const withheld = await withheldBy(this.options.store, { origin, skew: skewOf(this.prefix.treatyAt(this.size)), logKey: this.prefix.logKey, latestNote: this.latest?.note }, size, offer);
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
      // An older checkpoint: a stale cache, unless its root contradicts what was verified. One
      // beyond the entries held (a stored checkpoint ahead of a store that lost entries, `load`)
      // contradicts nothing this mirror verified: no SPLIT_VIEW against the exchange for it.
      if (next.checkpoint.size <= this.size && !this.prefix.holds(next.checkpoint.size, next.checkpoint.root)) raiseProblem(this.options.alarms, { code: 'SPLIT_VIEW', message: `the exchange now serves a tree of size ${next.checkpoint.size} that contradicts the verified log` }, evidence);
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
      if (this.options.snapshots?.due(this.size)) void this.options.snapshots.save(this.prefix.replayParts, this.prefix.state);
    }
    // Once `latest` is this note: a store that failed to swap it in leaves the instant as it was.
    this.latestQuorumCheckedAt = this.options.now();
  }
}
