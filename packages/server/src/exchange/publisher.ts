import { addSignatureLines, bytesEqual, quorumSatisfied, signCheckpoint, verifyCheckpoint, witnessedTime, type MerkleTree, type NoteSigner, type Policy, type PolicyWitness } from '@evenhand/log';
import { archiveAndPublish, readCheckpoint, swapCheckpoint, type Store, type StoredCheckpoint } from '@evenhand/store';
import { DEFAULT_SKEW_SECONDS } from '@evenhand/core';
import { ArrivalRate } from './arrival-rate.ts';
import { requestCosignature } from './witness-client.ts';

export interface PublisherOptions {
  readonly store: Store;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The witnesses and quorum a checkpoint of this size needs: the treaty in force at that size, or the configured policy before one. */
  readonly policyAt: (size: number) => Policy;
  /** Every witness to ask, the required ones and more (log treaty-policy.ts `witnessesToAsk`); without it, the required ones. */
  readonly witnessesToAsk?: (required: Policy) => readonly PolicyWitness[];
  /** The treaty's clock skew at a size: a cosignature dated further ahead is not counted. */
  readonly skewAt?: (size: number) => number;
  readonly tree: MerkleTree;
  /** Entries durably stored: the most a checkpoint may cover. */
  readonly durableSize: () => number;
  /** The latest time among the entries below a size that no published checkpoint covers yet (Sequencer). */
  readonly latestUncoveredTime?: (size: number) => number | undefined;
  /** Told each published size, so that the times of the entries it covers can be forgotten. */
  readonly onPublished?: (size: number) => void;
  readonly now: () => number;
  readonly witnessTimeoutMs?: number;
  /** Seconds after which an unchanged checkpoint is signed again, so witnesses see the log alive. */
  readonly republishSeconds?: number;
  /**
   * Under a flood (FLOOD_PER_SECOND), or after a round that did not publish, at most one signing
   * round per this many milliseconds (Sunlight, Azul: 1 s): entries are batched, and failing
   * witnesses are not hammered.
   */
  readonly minIntervalMs?: number;
  /**
   * A round may follow the previous one at once while the log is nearly idle: the previous
   * round published, and at most this many entries wait (issue 14, "quick receipts"); beyond
   * them, the backlog waits 4 ms an entry at least (`spacingMs`).
   */
  readonly quickRoundEntries?: number;
  /** A flow of entries this fast (entries a second) or faster is batched once per minIntervalMs; a slower one is spaced by the cube of its share of it (`spacingMs`). */
  readonly floodPerSecond?: number;
  /** The clock that spaces rounds, in milliseconds (Date.now by default; tests inject their own). */
  readonly clockMs?: () => number;
}

/**
 * Entries that may wait for a round that starts at once. Chosen when a backlog beyond it waited
 * the whole interval (bench/append.bench.ts on 2 cores): at 64, sixteen authors appending at
 * full speed kept rounds running back to back and appends fell to about 740/s; at 8 they were
 * batched, while four clients each waiting for its proof got one in 33 to 44 ms (p99 under
 * 95 ms). A flood is now told by its rate (FLOOD_PER_SECOND), and a backlog beyond these
 * waits 4 ms an entry.
 */
export const QUICK_ROUND_ENTRIES = 8;

/**
 * A flood, in entries a second: a flow this fast or faster is batched once per minimum
 * interval, a slower one waits less (`spacingMs`), and a backlog beyond the quick few waits as
 * long as such a flow takes to bring it. Measured on 2 cores: sixteen authors appending as fast
 * as they can (bench/append.bench.ts) reach 1,000 to 1,400 a second; the sustained run through
 * the gateways (bench/sustained.bench.ts) files 250 to 380 a second.
 */
export const FLOOD_PER_SECOND = 250;

/** How long the arrival rate is smoothed over (arrival-rate.ts): a second, the unit of FLOOD_PER_SECOND. */
const ARRIVAL_TIME_CONSTANT_MS = 1000;

/** Waiters for a checkpoint at once: submissions with ?wait=1, and the long polls of GET /v1/checkpoint?covering= (which have their own, lower, cap too). */
export const MAX_WAITERS = 4096;

export interface PublicationStatus {
  readonly publishedSize: number;
  readonly signedSize: number;
  readonly lastAttemptAt?: number;
  /** Why the last attempt did not publish, in plain words; undefined when it did. */
  readonly problem?: string;
  readonly cosigners: readonly string[];
}

/**
 * Signs and publishes checkpoints (DESIGN.md "The log"). The fork guard: before signing,
 * the tree must still have the root of the last signed head at that size, and the new head
 * is stored by compare-and-swap *before* the checkpoint leaves the process, so no crash or
 * second writer can make the operator sign two inconsistent checkpoints. A checkpoint is
 * published (served at /checkpoint) only once the policy's quorum of witnesses cosigned it,
 * and each size's first publication is archived (served under /checkpoints/, log
 * checkpoint-archive.ts) with the time its witnesses cosigned it.
 */
export class CheckpointPublisher {
  private signed: StoredCheckpoint | undefined;
  private published: StoredCheckpoint | undefined;
  private readonly witnessSizes = new Map<string, number>();
  private status: PublicationStatus = { publishedSize: 0, signedSize: 0, cosigners: [] };
  private readonly waiters = new Set<{ index: number; resolve: (note: StoredCheckpoint | undefined) => void }>();
  private running: Promise<void> | undefined;
  private lastRoundAt = 0;
  /** Whether the latest round ended with its checkpoint published (or had nothing new to sign). */
  private lastRoundPublished = true;
  /** How fast durable entries arrive, smoothed over a second (`spacingMs`). */
  private readonly arrivals = new ArrivalRate(ARRIVAL_TIME_CONSTANT_MS);
  private nudgeTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending nudge timer is due, by the publisher's clock. */
  private nudgeDue = 0;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly options: PublisherOptions) {}

  async load(): Promise<void> {
    const { store, origin, tree } = this.options;
    this.signed = await readCheckpoint(store.db, 'log_head', origin);
    this.published = await readCheckpoint(store.db, 'log_published', origin);
    if (this.signed && (this.signed.size > tree.size || !bytesEqual(tree.root(this.signed.size), this.signed.root))) {
      throw new Error(`fork guard: the stored entries do not reproduce the last signed checkpoint (size ${this.signed.size}); refusing to sign anything`);
    }
    this.status = { ...this.status, publishedSize: this.published?.size ?? 0, signedSize: this.signed?.size ?? 0 };
  }

  get latest(): StoredCheckpoint | undefined {
    return this.published;
  }

  get health(): PublicationStatus {
    return this.status;
  }

  /** The size each witness last cosigned, by name: how far each lags the log (metrics). */
  get witnessSizesNow(): ReadonlyMap<string, number> {
    return this.witnessSizes;
  }

  /** When the latest signing round began, by the publisher's clock (milliseconds). */
  get lastRoundStartedMs(): number {
    return this.lastRoundAt;
  }

  /** Resolves with the first published checkpoint that includes `index`, or undefined after the timeout. */
  waitFor(index: number, timeoutMs: number): Promise<StoredCheckpoint | undefined> {
    if (this.published && this.published.size > index) return Promise.resolve(this.published);
    // Each waiter holds a connection open; past the cap, the caller answers at once (a
    // submission with 202, its proof to be fetched later; a long poll with the latest
    // checkpoint), so slow witnesses cannot exhaust the exchange.
    if (this.waiters.size >= MAX_WAITERS) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = {
        index,
        resolve: (note: StoredCheckpoint | undefined) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(note);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** One round now; concurrent calls share the round in flight. */
  publish(): Promise<void> {
    this.running ??= (async () => {
      this.lastRoundAt = this.clockMs();
      try {
        // Set when the round ends: while it runs, the spacing still follows the round before.
        this.lastRoundPublished = await this.round();
      } catch (error) {
        this.lastRoundPublished = false;
        throw error;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private clockMs(): number {
    return (this.options.clockMs ?? Date.now)();
  }

  /**
   * The spacing between the start of one round and the next (issue 14, "quick receipts"): none
   * while the log is nearly idle, so that a lone submission is checkpointed and cosigned at
   * once; minIntervalMs under heavy load, so that entries are batched, and after a round that
   * did not publish, so that refusing or slow witnesses are asked no more often than that.
   *
   * Between the two it grows with the flow's rate r, as the interval times (r / flood)³, capped
   * at the interval. It was a step at the flood's rate: rounds back to back below it, one per
   * interval above. The sustained run then flipped between the two from minute to minute: its
   * 4 clerks filed 320 to 380 a second while batched, and once a slow minute took the rate
   * under the flood, the rounds back to back (some 20 a second, each a signature, three
   * cosignatures and two gateways fetching and checking the new entries) took the CPU that kept
   * it under: 210 to 270 a second, a lost quarter that looked like a decline with the log's
   * growth. A rate that falls a little now brings a few more rounds a second, not twenty: the
   * same run filed 318 to 351 a second in every minute. It is a trade: four clients each
   * waiting for its proof for 10 s (bench/append.bench.ts with
   * EVENHAND_BENCH_PROOFS_PER_CLIENT=250) got their proofs in p50 44 ms and p99 54 ms, filing
   * 95 a second, where the step gave p50 9 ms and p99 555 ms at 212 a second. The spacing is
   * what they wait for now (some 55 ms at 95 a second), within the goal of p50
   * ≤ 150 ms and p99 ≤ 300 ms; the step's median was quicker and its tail was not.
   *
   * A backlog beyond the quick few waits as long as a flood would take to bring it, 4 ms an
   * entry, if that is longer: one entry beyond the quick few once waited the whole interval.
   * The flood is judged by its rate, not by the backlog: sixteen authors appending as fast as
   * they could (bench/append.bench.ts) never left more than sixteen entries waiting, and spaced
   * by that backlog alone, rounds came every 12 to 40 ms and took the appends from 1,400 to
   * 1,030 a second.
   */
  private spacingMs(): number {
    const interval = this.options.minIntervalMs ?? 1000;
    const durable = this.options.durableSize();
    const perMs = this.arrivals.observe(this.clockMs(), durable);
    if (!this.lastRoundPublished) return interval;
    const floodPerMs = (this.options.floodPerSecond ?? FLOOD_PER_SECOND) / 1000;
    // No flood to compare with, or no rate to compare (a clock that gave NaN): batched, as under a flood, never back to back.
    if (!(floodPerMs > 0) || !Number.isFinite(perMs)) return interval;
    const byRate = interval * Math.min(1, Math.max(0, perMs) / floodPerMs) ** 3;
    const beyondQuick = durable - (this.published?.size ?? 0) - (this.options.quickRoundEntries ?? QUICK_ROUND_ENTRIES);
    return Math.min(interval, Math.max(byRate, Math.max(0, beyondQuick) / floodPerMs));
  }

  /** Asks for a round soon: at once if the spacing since the last round's start has passed, else when it has. */
  nudge(): void {
    if (this.stopped) return;
    const due = this.lastRoundAt + this.spacingMs();
    if (this.nudgeTimer) {
      // A timer set for a later instant is brought forward: the spacing shrinks once a round publishes.
      if (due >= this.nudgeDue) return;
      clearTimeout(this.nudgeTimer);
    }
    this.nudgeDue = due;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      // Judged again by the publisher's clock, not by when the timer happened to fire.
      if (this.clockMs() < this.lastRoundAt + this.spacingMs()) return this.nudge();
      void this.publish().then(
        () => {
          if (this.options.durableSize() > (this.signed?.size ?? 0)) this.nudge();
        },
        (error: unknown) => {
          // A round that throws (the store failed) is reported at /v1/health, and tried again after the interval.
          this.status = { ...this.status, lastAttemptAt: this.options.now(), problem: `the signing round failed: ${error instanceof Error ? error.message : String(error)}` };
          this.nudge();
        },
      );
    }, Math.max(0, due - this.clockMs()));
  }

  /** Rounds every `intervalMs` (republishing an unchanged checkpoint when it is due), until stop(). */
  start(intervalMs = 5000): void {
    this.tickTimer ??= setInterval(() => this.nudge(), intervalMs);
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.tickTimer = undefined;
    this.nudgeTimer = undefined;
    // A round that fails while stopping must not stop the shutdown (the store is closed after).
    await this.running?.catch(() => undefined);
    for (const waiter of [...this.waiters]) waiter.resolve(undefined);
  }

  /** One signing round; true when it published a checkpoint, or had nothing new to publish. */
  private async round(): Promise<boolean> {
    const { origin, signer, tree, store, now } = this.options;
    const size = this.options.durableSize();
    const at = now();
    const republish = this.published !== undefined && at - this.published.updatedAt >= (this.options.republishSeconds ?? 300);
    if (this.published && size === this.published.size && !republish) return true;
    if (size === 0) return true;

    const previous = this.signed;
    if (previous && (previous.size > size || !bytesEqual(tree.root(previous.size), previous.root))) {
      this.status = { ...this.status, lastAttemptAt: at, problem: `fork guard: the tree no longer has the root of signed checkpoint ${previous.size}; nothing was signed` };
      return false;
    }
    const root = tree.root(size);
    const note = signCheckpoint({ origin, size, root }, signer);
    if (!note.ok) throw new Error(`cannot sign the checkpoint: ${note.error.message}`);
    const head: StoredCheckpoint = { origin, size, root, note: note.value, updatedAt: at };
    if (!(await swapCheckpoint(store.db, 'log_head', previous && { size: previous.size, root: previous.root }, head))) {
      // Another writer moved the head: reload and let the next round try from there.
      this.signed = await readCheckpoint(store.db, 'log_head', origin);
      this.status = { ...this.status, lastAttemptAt: at, problem: 'another writer signed a checkpoint first; retrying from its head' };
      return false;
    }
    this.signed = head;

    const policy = this.options.policyAt(size);
    const cosigned = await this.collect(head, this.options.witnessesToAsk?.(policy) ?? [...policy.witnesses.values()]);
    const verified = verifyCheckpoint(cosigned, policy, null, { now: at, skewSeconds: this.options.skewAt?.(size) ?? DEFAULT_SKEW_SECONDS });
    const cosigners = verified.ok ? verified.value.cosignatures.map((entry) => entry.witness) : [];
    if (!verified.ok) {
      this.status = { publishedSize: this.published?.size ?? 0, signedSize: size, lastAttemptAt: at, problem: verified.error.message, cosigners };
      return false;
    }
    // Rule 2 of the time rules (log time-rules.ts): no entry this checkpoint covers first may
    // be dated after its witnesses cosigned it. The exchange admits entries within the skew of
    // its clock, so only witnesses whose clocks lag could fail this; the next round retries.
    const witnessedAt = witnessedTime(verified.value);
    const skew = this.options.skewAt?.(size) ?? DEFAULT_SKEW_SECONDS;
    const latestEntry = this.options.latestUncoveredTime?.(size);
    if (latestEntry !== undefined && latestEntry > witnessedAt + skew) {
      this.status = { publishedSize: this.published?.size ?? 0, signedSize: size, lastAttemptAt: at, problem: `an entry of this checkpoint is dated ${latestEntry}, more than ${skew} s after its witnesses cosigned it (${witnessedAt}): their clocks lag; not published`, cosigners };
      return false;
    }
    const publication: StoredCheckpoint = { ...head, note: cosigned };
    // Archived and published in one commit, so never served without its archive row: whoever
    // reads a published checkpoint, and cites it as `seen`, finds its witnessed time there (issue 12). Only a size's first publication.
    const expected = this.published && { size: this.published.size, root: this.published.root };
    if (!(await archiveAndPublish(store.db, { size, root, note: cosigned, witnessedAt }, expected, publication))) {
      this.published = await readCheckpoint(store.db, 'log_published', origin);
      return false;
    }
    this.published = publication;
    this.options.onPublished?.(size);
    this.status = { publishedSize: size, signedSize: size, lastAttemptAt: at, cosigners };
    for (const waiter of [...this.waiters]) if (size > waiter.index) waiter.resolve(publication);
    return true;
  }

  /** Asks every witness in parallel and merges the cosignatures it gets. */
  private async collect(head: StoredCheckpoint, witnesses: readonly PolicyWitness[]): Promise<string> {
    const { tree } = this.options;
    const timeout = this.options.witnessTimeoutMs ?? 2000;
    const answers = await Promise.all(
      witnesses.map(async (witness) => {
        let oldSize = Math.min(this.witnessSizes.get(witness.name) ?? 0, head.size);
        for (let attempt = 0; attempt < 2; attempt++) {
          const proof = tree.consistencyProof(oldSize, head.size);
          if (!proof.ok) return [];
          const outcome = await requestCosignature(witness, oldSize, proof.value, head.note, timeout);
          if (outcome.ok) {
            this.witnessSizes.set(witness.name, head.size);
            return outcome.lines;
          }
          // tlog-witness 409: the witness is at another size; prove from there once.
          if (outcome.status === 409 && outcome.witnessSize !== undefined && outcome.witnessSize <= head.size) {
            oldSize = outcome.witnessSize;
            continue;
          }
          return [];
        }
        return [];
      }),
    );
    return addSignatureLines(head.note, answers.flat());
  }

  /** Whether a set of witness names would meet the quorum (for health reports). */
  quorumWith(names: readonly string[], size: number): boolean {
    return quorumSatisfied(this.options.policyAt(size), new Set(names));
  }
}
