import { apply, genesis, skewOf, type AnyDomainEntry, type State } from '@evenhand/core';
import { StateShelving } from '../replay/state-shelving.ts';
import { CaseIndex, domainPart, entrySignedParts, EntryVerifier, parseEntry, TreatyHistory, type AuthorKeyring, type Entry, type ReplayParts } from '@evenhand/log';
import { appendEntries, assertStoredLeaf, countEntries, readArchivedCheckpoint, readCheckpoint, storedEntriesFrom, type NewEntry, type Store, type StoredCheckpoint } from '@evenhand/store';
import { ServiceError } from '../errors.ts';
import type { SnapshotKeeper } from '../replay/snapshot-keeper.ts';
import { exchangeHeadEdited, exchangeRemedy, replayRootProblem, storeContradictsSigned, vouchedSize } from '../replay/signed-head.ts';
import { RecentStates } from './recent-states.ts';
import { RecentEntries } from './recent-entries.ts';
import type { SignatureThread } from './signature-thread.ts';
import { processTreeChunks } from '../replay/tree-chunk-file.ts';

export interface Accepted {
  readonly index: number;
  readonly leafHash: Uint8Array;
}

/** Why a submission was refused: a log code (parsing, signature, chain) or a core code (treaty, lifecycle). */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly field?: string | undefined;
}

export type SubmitResult = { readonly ok: true; readonly value: Accepted } | { readonly ok: false; readonly error: Refusal };

interface Pending {
  readonly bytes: Uint8Array;
  readonly parsed: ReturnType<typeof parseEntry>;
  /** The signature sent ahead to the verifying thread, under the key then in force. */
  readonly ahead: { readonly ticket: number; readonly key: Uint8Array } | undefined;
  readonly resolve: (result: SubmitResult) => void;
  readonly reject: (error: unknown) => void;
}

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Entries written in one transaction at most: tlog-tiles bundles hold 256. */
const MAX_BATCH = 256;

/** Witnessed times of archived checkpoints kept in memory: authors cite the few latest. */
const KEEP_WITNESSED = 1024;

/**
 * Sequences entries into the log. One writer: submissions queue and are taken in batches
 * (group commit), each entry checked in order against the log (strict parsing, signature,
 * author chain, `seen`) and against the treaty and lifecycle (core `apply`), then the
 * accepted ones are written in one durable transaction. Entry times must be within the
 * treaty's skew of the exchange's clock, and obey the log's time rules (log time-rules.ts)
 * against the witnessed times in the exchange's checkpoint archive: no configuration turns
 * that off. A submission is acknowledged only
 * after that commit, so an acknowledged entry is never lost. If the write itself fails, the
 * in-memory view may be ahead of the database, so the sequencer stops accepting writes and
 * the process must restart, which rebuilds everything from the database.
 */
export class Sequencer {
  private pending: Pending[] = [];
  private draining = false;
  private broken: Error | undefined;
  private durable: number;
  private readonly listeners = new Set<(size: number) => void>();
  /** Where snapshots of the replay are kept (issue 14); none in tools that only read. */
  private snapshots: SnapshotKeeper | undefined;
  /** The thread that verifies signatures ahead (issue 14); without it every check is here. */
  private signatures: SignatureThread | undefined;

  readonly verifier: EntryVerifier;
  private state: State = genesis();
  /** The treaty in force at each size: which witnesses a checkpoint of that size needs (log treaty-policy.ts). */
  readonly treaties = new TreatyHistory();
  /** What a case proof needs beyond the state, by log index, kept as entries apply (log case-index.ts). */
  readonly cases = new CaseIndex();
  /** The state after each recent commit, by size: public views at a recent size without a replay. */
  readonly recent: RecentStates;
  /** The bytes of the last durable entries: the head's entry bundles without a read of the store. */
  readonly recentEntries = new RecentEntries();
  /** Puts on shelves, out of the heap, the request records no recent durable entry made and the figure index's cold nodes (replay/state-shelving.ts). */
  private readonly shelving: StateShelving;
  /** Witnessed times of archived checkpoints, by size (rule 1 of the time rules). */
  private readonly witnessed = new Map<number, number>();
  /** The times of the entries no published checkpoint covers yet, from index `unpublishedFrom` (rule 2). */
  private unpublishedTimes: number[] = [];
  private unpublishedFrom = 0;
  private constructor(
    private readonly store: Store,
    origin: string,
    private readonly keyring: AuthorKeyring,
    private readonly now: () => number,
    hotRecords: number | undefined,
  ) {
    this.shelving = new StateShelving(hotRecords);
    // Keys follow the log: each entry is checked against the treaty in force before it.
    this.verifier = new EntryVerifier(origin, (author, entry) => this.keyring.keyOf(author, this.state, entry), processTreeChunks());
    this.durable = 0;
    this.recent = new RecentStates(store);
  }

  /**
   * Rebuilds the tree, the author chains and the domain state from the stored log: from the
   * latest snapshot and the entries after it when `snapshots` has a sound one (issue 14),
   * else from every stored entry. A snapshot whose replay does not reach the root of the
   * exchange's last signed checkpoint (log_head) is dropped for a full replay too. The start
   * fails, naming the store, when that head is no checkpoint the log key signed
   * (STORE_CHECKPOINT_EDITED), or when the store's entries do not give it
   * (STORE_CONTRADICTS_SIGNED_CHECKPOINT): serving on, the exchange would sign a fork.
   */
  static async load(options: {
    store: Store;
    origin: string;
    keyring: AuthorKeyring;
    now: () => number;
    snapshots?: SnapshotKeeper | undefined;
    signatures?: SignatureThread | undefined;
    /** Opens a checkpoint note signed by the log key (its size and root); without it, no stored head vouches for a snapshot. */
    openSigned?: ((note: string) => { readonly size: number; readonly root: Uint8Array } | undefined) | undefined;
    /** Request records kept in the heap before older ones go to the shelf (replay/record-shelving.ts HOT_RECORDS by default). */
    hotRecords?: number | undefined;
  }): Promise<Sequencer> {
    const keeper = options.snapshots;
    // The last signed head, once its note verifies, vouches for the snapshot's prefix (signedRootProblem compares their roots).
    const head = await readCheckpoint(options.store.db, 'log_head', options.origin);
    const vouched = options.openSigned ? vouchedSize(head, options.openSigned) : undefined;
    if (options.openSigned && head && vouched === undefined) throw exchangeHeadEdited(head.size);
    // Fewer entries than the log key signed: no snapshot nor replay can give its root (a full replay at 10^6 entries takes minutes to tell).
    const held = await countEntries(options.store.db);
    if (vouched !== undefined && vouched > held) throw storeContradictsSigned('the exchange', 'log_head', vouched, `the log's signed checkpoint has ${vouched} entries, the store ${held}`, exchangeRemedy(vouched));
    const usable = keeper && (await keeper.latest(vouched));
    if (keeper && usable) {
      const sequencer = new Sequencer(options.store, options.origin, options.keyring, options.now, options.hotRecords);
      sequencer.snapshots = keeper;
      let problem: string | undefined;
      try {
        sequencer.state = keeper.adopt(usable, sequencer.replayParts);
        sequencer.shelving.observe(sequencer.state);
        await sequencer.replayStored(usable.decoded.size, held);
        // Only a head whose note verifies is compared (a tool that only reads opens none, and compares every leaf instead).
        const unheld = vouched === undefined ? undefined : sequencer.signedRootProblem(head);
        problem = unheld ? `SNAPSHOT_ROOT_MISMATCH: ${unheld}` : keeper.confirmAdopted();
      } catch (error) {
        // The tail does not replay on top of the snapshot: the snapshot is at fault, not the log (a full replay will tell).
        problem = error instanceof Error ? error.message : String(error);
      }
      if (!problem) return sequencer.loaded(options.signatures);
      keeper.refuse(usable.decoded.size, problem);
      sequencer.shelving.close();
    }
    const sequencer = new Sequencer(options.store, options.origin, options.keyring, options.now, options.hotRecords);
    sequencer.snapshots = keeper;
    await sequencer.replayStored(0, held);
    // The log key signed a checkpoint of this log that the store's own entries do not give:
    // serving on would sign another history at sizes already signed, a fork every witness refuses.
    if (vouched !== undefined) {
      const unheld = sequencer.signedRootProblem(head);
      if (unheld) throw storeContradictsSigned('the exchange', 'log_head', vouched, unheld, exchangeRemedy(vouched));
    }
    sequencer.loaded(options.signatures);
    // A full replay writes a fresh snapshot (always under --full-replay), so the next start is short.
    if (keeper?.wanted(sequencer.durable)) void keeper.save(sequencer.replayParts, sequencer.state);
    return sequencer;
  }

  /**
   * Replays the stored entries from `from` to `held` (the store's count), checking each as
   * when it was sequenced. The state at the last published checkpoint is remembered on the
   * way: the public views are served at that size by default, and a restart must not make
   * each of them replay the log.
   */
  private async replayStored(from: number, held: number): Promise<void> {
    this.snapshots?.replaying(from, held);
    const published = (await readCheckpoint(this.store.db, 'log_published', this.verifier.origin))?.size;
    if (published === from) this.recent.remember(from, this.state);
    for await (const stored of storedEntriesFrom(this.store.db, from)) {
      // These entries passed every check before they were stored; rule 3 runs again, to know the latest time.
      const added = this.verifier.add(stored.bytes, { skewSeconds: skewOf(this.state.treaty), seenWitnessedAt: 'unchecked' });
      if (!added.ok) throw new Error(`stored entry ${stored.index} no longer verifies (${added.error.code}): ${added.error.message}`);
      assertStoredLeaf(stored, this.verifier.tree.hashAt(0, stored.index));
      const applied = apply(this.state, domainPart(added.value.entry) as AnyDomainEntry);
      if (!applied.ok) throw new Error(`stored entry ${stored.index} no longer applies (${applied.error.code}): ${applied.error.message}`);
      this.state = applied.value;
      this.treaties.observe(applied.value);
      this.shelving.observe(applied.value);
      this.cases.observe(stored.index, added.value.entry, applied.value);
      this.snapshots?.replayed(stored.index);
      if (stored.index + 1 === published) this.recent.remember(published, this.state);
    }
  }

  /** Why the tree does not hold the exchange's last signed checkpoint (log_head), if it does not. */
  private signedRootProblem(head: StoredCheckpoint | undefined): string | undefined {
    return replayRootProblem(this.verifier.tree, head, "the log's signed checkpoint");
  }


  private loaded(signatures: SignatureThread | undefined): this {
    this.signatures = signatures;
    this.durable = this.verifier.tree.size;
    this.unpublishedFrom = this.durable;
    this.recent.remember(this.durable, this.state);
    return this;
  }

  /** What a snapshot captures besides the state (log replay-snapshot.ts). */
  private get replayParts(): ReplayParts {
    return { verifier: this.verifier, treaties: this.treaties, cases: this.cases };
  }

  /**
   * Writes a snapshot of the state after every durable entry, as on a clean shutdown (issue
   * 14: "and on clean shutdown if cheap"): only when entries were added since the last one.
   */
  async snapshotNow(): Promise<void> {
    if (!this.snapshots) return;
    await this.snapshots.flush();
    if (this.durable !== this.snapshots.lastSnapshotSize) await this.snapshots.save(this.replayParts, this.state);
  }

  /** Request records put on the shelf since the start (replay/record-shelving.ts). */
  get shelvedRecords(): number {
    return this.shelving.records.shelved;
  }

  /** Nodes of the figure index put on the shelf since the start (replay/bag-shelving.ts). */
  get shelvedBagNodes(): number {
    return this.shelving.bags.shelved;
  }

  /** The state after `size` entries, for a view stated at that size (RecentStates `at`). */
  stateAt(size: number): Promise<State | undefined> {
    return this.recent.at(size, this.durable);
  }

  /**
   * The latest entry time among the entries before `size` that no published checkpoint
   * covers yet (rule 2: none may be dated after the checkpoint that first covers them was
   * witnessed), or undefined when there is none. Entries sequenced before this process
   * started were checked when their checkpoint was published.
   */
  latestUnpublishedTime(size: number): number | undefined {
    let latest: number | undefined;
    const count = Math.min(this.unpublishedTimes.length, size - this.unpublishedFrom);
    for (let i = 0; i < count; i++) latest = Math.max(latest ?? -Infinity, this.unpublishedTimes[i]!);
    return latest;
  }

  /** A checkpoint of `size` was published: the times of the entries it covers are no longer needed. */
  published(size: number): void {
    const covered = Math.max(0, size - this.unpublishedFrom);
    this.unpublishedTimes = this.unpublishedTimes.slice(covered);
    this.unpublishedFrom += covered;
  }

  /** The key `author`'s next entry must be signed with (the treaty in force, see AuthorKeyring). */
  keyOf(author: string): Uint8Array | undefined {
    return this.keyring.keyOf(author, this.state);
  }

  /** The thread verifying signatures ahead and signing a batch's receipts, if any (the app signs with it; tests and the append benchmark read its counts). */
  get signatureThread(): SignatureThread | undefined {
    return this.signatures;
  }

  /** Entries durably stored: the most a checkpoint may cover. */
  get size(): number {
    return this.durable;
  }

  /** The domain state after every durable entry. */
  get domainState(): State {
    return this.state;
  }

  /** Called with the new durable size after each commit. */
  onCommit(listener: (size: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queues an entry for sequencing. `verifyAhead`: the entry comes with others (a batch), so
   * its signature is worth sending to the signature thread while those before it are checked.
   */
  submit(bytes: Uint8Array, options: { readonly verifyAhead?: boolean } = {}): Promise<SubmitResult> {
    if (this.broken) return Promise.reject(new ServiceError('INTERNAL', `the log stopped accepting writes after a storage failure (${this.broken.message}); restart the exchange`));
    const parsed = parseEntry(bytes);
    const ahead = parsed.ok && options.verifyAhead ? this.verifyAhead(parsed.value, bytes) : undefined;
    return new Promise((resolve, reject) => {
      this.pending.push({ bytes, parsed, ahead, resolve, reject });
      void this.drain();
    });
  }

  /**
   * Sends the entry's signature to the verifying thread under the key in force now, so that
   * it is verified while earlier entries are sequenced and committed. Checked against the key
   * in force when the entry's turn comes (EntryVerifier.check). Only for batches: a single
   * entry is checked at the next turn of the event loop, before any answer could come, and
   * verifying it twice would only take CPU from the rest of the machine (measured: issue 14).
   */
  private verifyAhead(entry: Entry, bytes: Uint8Array): Pending['ahead'] {
    if (!this.signatures?.running) return undefined;
    const key = this.keyring.keyOf(entry.author, this.state, entry);
    const signed = key && entrySignedParts(entry, bytes);
    if (!key || !signed) return undefined;
    const ticket = this.signatures.ask(key, signed.message, signed.signature);
    return ticket === undefined ? undefined : { ticket, key };
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      // Group commit: a durable SQLite commit blocks the event loop while it syncs, and the
      // submissions that arrive meanwhile are only read after it. Yielding to I/O before
      // taking a batch lets them all join it, so one sync covers many entries.
      await yieldToIo();
      while (this.pending.length > 0 && !this.broken) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.sequence(batch);
        await yieldToIo();
      }
    } finally {
      this.draining = false;
    }
  }

  /** The witnessed time of each archived size the batch's entries say they have seen, read ahead of the synchronous checks. */
  private async learnWitnessedTimes(batch: readonly ReturnType<typeof parseEntry>[]): Promise<void> {
    for (const parsed of batch) {
      const size = parsed.ok ? parsed.value.seen.size : 0;
      if (size === 0 || this.witnessed.has(size)) continue;
      const archived = await readArchivedCheckpoint(this.store.db, size);
      if (!archived) continue;
      this.witnessed.set(size, archived.witnessedAt);
      while (this.witnessed.size > KEEP_WITNESSED) this.witnessed.delete(this.witnessed.keys().next().value as number);
    }
  }

  private check({ bytes, parsed, ahead }: Pending): { ok: true; entry: Entry; next: State } | { ok: false; error: Refusal } {
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const entry = parsed.value;
    const skewSeconds = skewOf(this.state.treaty);
    // The log's own checks first (signature, chain, `seen`, the time rules): a replayed or
    // forged entry is refused as such, whatever its date.
    const verifiedUnder = ahead && this.signatures?.take(ahead.ticket) ? ahead.key : undefined;
    const checked = this.verifier.check(bytes, { skewSeconds, seenWitnessedAt: this.witnessed.get(entry.seen.size) }, entry, verifiedUnder);
    if (!checked.ok) return { ok: false, error: checked.error };
    const now = this.now();
    if (Math.abs(entry.time - now) > skewSeconds) {
      return { ok: false, error: { code: 'ENTRY_TIME_SKEW', message: `time: the entry says ${entry.time}, the exchange's clock ${now}; at most the treaty's skew of ${skewSeconds} s apart`, field: 'time' } };
    }
    let applied: ReturnType<typeof apply>;
    try {
      applied = apply(this.state, domainPart(entry) as AnyDomainEntry);
    } catch (error) {
      // A record the entry reads could not be read back from the shelf (replay/record-shelf.ts):
      // this entry is refused, as a fault of the exchange's own, and the batch goes on.
      return { ok: false, error: { code: 'INTERNAL', message: `the entry could not be checked against the state: ${error instanceof Error ? error.message : String(error)}` } };
    }
    if (!applied.ok) return { ok: false, error: applied.error };
    return { ok: true, entry, next: applied.value };
  }

  private async sequence(batch: Pending[]): Promise<void> {
    const accepted: { item: Pending; index: number; hash: Uint8Array; row: NewEntry; entry: Entry }[] = [];
    const before = this.state;
    await this.learnWitnessedTimes(batch.map((item) => item.parsed));
    for (const item of batch) {
      const checked = this.check(item);
      if (!checked.ok) {
        item.resolve({ ok: false, error: checked.error });
        continue;
      }
      // Checked a moment ago on this same prefix (signature included): appended without checking again.
      const added = this.verifier.appendChecked(item.bytes, checked.entry);
      this.state = checked.next;
      this.treaties.observe(checked.next);
      const hash = added.leafHash;
      const { entry } = checked;
      accepted.push({ item, index: added.index, hash, entry, row: { bytes: item.bytes, leafHash: hash, author: entry.author, authorSeq: entry.seq, type: entry.type, time: entry.time } });
    }
    if (accepted.length === 0) return;
    try {
      const written = await appendEntries(this.store.db, accepted.map((entry) => entry.row));
      if (!written.ok || written.firstIndex !== accepted[0]!.index) {
        throw new Error(written.ok ? `the database placed the batch at ${written.firstIndex}, the tree at ${accepted[0]!.index}` : `the database refused ${written.author} seq ${written.authorSeq} as taken`);
      }
    } catch (error) {
      this.broken = error instanceof Error ? error : new Error(String(error));
      this.state = before;
      for (const { item } of accepted) item.reject(new ServiceError('INTERNAL', `the entry was not stored: ${this.broken.message}`));
      for (const item of this.pending.splice(0)) item.reject(new ServiceError('INTERNAL', 'the log stopped accepting writes after a storage failure; restart the exchange'));
      return;
    }
    this.durable = accepted[accepted.length - 1]!.index + 1;
    for (const { row } of accepted) this.unpublishedTimes.push(row.time);
    // Indexed once durable: a batch the store refused leaves no trace in the case index.
    for (const { index, entry, row } of accepted) {
      this.cases.observe(index, entry, this.state);
      this.recentEntries.remember(index, row.bytes);
    }
    this.recent.remember(this.durable, this.state);
    for (const { item, index, hash } of accepted) item.resolve({ ok: true, value: { index, leafHash: hash } });
    this.shelving.observe(this.state);
    // Between batches the tree, chains, indexes and state describe the same durable prefix:
    // the parts are taken now, and the state is encoded and written off this path.
    if (this.snapshots?.due(this.durable)) void this.snapshots.save(this.replayParts, this.state);
    for (const listener of this.listeners) listener(this.durable);
  }
}
