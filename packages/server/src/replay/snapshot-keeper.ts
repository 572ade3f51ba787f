import { timingSafeEqual } from 'node:crypto';
import { withoutFigures, type FigureCount, type SnapshotError, type State, type UnfiguredState, type UnreadRecords } from '@evenhand/core';
import { bytesEqual, captureReplay, checkRoot, MerkleTree, linesApart, replaySnapshotDelta, replaySnapshotLines, ReplayLineReader, toBase64, type DecodedReplay, type ReplayParts } from '@evenhand/log';
import { countEntries, deleteServiceSnapshots, deleteSnapshots, MAX_CHAIN_LINKS, readLeafHashes, readSnapshotChain, writeSnapshot, type Store } from '@evenhand/store';
import { countInSlices } from './count-in-slices.ts';
import { gzipInSlices } from './gzip-slices.ts';
import { openSnapshotData, RecordBlockWriter } from './record-blocks.ts';
import { writeJsonInSlices, writeLinesInSlices } from './json-slices.ts';
import { snapshotDigest, snapshotKey } from './snapshot-digest.ts';
import { readSnapshotLines } from './snapshot-lines.ts';
import { DEFAULT_SNAPSHOT_EVERY, DEFAULT_WHOLE_AFTER, type SnapshotOptions } from './snapshot-options.ts';
import { processTreeChunks } from './tree-chunk-file.ts';

/** Deltas in one chain at most, whatever their size: a restart reads each row of its chain. */
const MAX_DELTAS = MAX_CHAIN_LINKS - 1;

/** The last snapshot written or restored, which the next one may follow as a delta. */
interface ChainTip {
  readonly size: number;
  readonly digest: Uint8Array;
  /**
   * Its state, without the figure index: the next delta holds what changed since (core
   * `encodeStateDelta`), which reads only its maps. With its cell, the tip would keep, until
   * the next snapshot, an index that the indexes moved since share less and less of, or the
   * state of the last index read (core figure-cell.ts).
   */
  readonly state: UnfiguredState;
  /** JSON bytes of the chain's whole snapshot, and of its deltas so far. */
  readonly wholeBytes: number;
  readonly deltaBytes: number;
  readonly deltas: number;
}

/** A snapshot that passed every check but the final one against the signed checkpoint, with its tree. */
export interface UsableSnapshot {
  readonly decoded: DecodedReplay;
  readonly tree: MerkleTree;
  /** What the next snapshot may follow, once this one is adopted. */
  readonly tip: ChainTip;
}

const LEAF_CHUNK = 65_536;

/**
 * Reads and writes the snapshots of one service. Reading checks, before anything is
 * restored: the HMAC over the stored data, size, root and tree (`snapshotDigest`), before
 * anything is decompressed; the exact shape, a line at a time (log replay-snapshot.ts and
 * core state-reader.ts); that the store holds as many entries; the store's
 * leaf hashes beyond the verified checkpoint against the snapshot's tree (`latest`); and the
 * tree's root. Any failure is a warning and a full replay, never a start from doubtful data.
 * Writing takes the log-side parts at once (a consistent cut), and encodes, compresses and
 * stores off the caller's path, one at a time; it never touches the log's tables.
 */
export class SnapshotKeeper {
  private readonly key: Buffer;
  private inFlight: Promise<void> | undefined;
  private lastSize: number;
  private refused = false;
  private tip: ChainTip | undefined;
  /** The chain the last `latest` read: once refused, deleted before the next snapshot is written. */
  private read: readonly { readonly size: number; readonly digest: Uint8Array }[] = [];
  private refusedRows: readonly { readonly size: number; readonly digest: Uint8Array }[] = [];
  /** The count of the figure index of the state adopted last, until the start keeps that state (`confirmAdopted`). */
  private count: FigureCount | undefined;
  /** Stops counting the figure index of the state adopted last, if that goes on. */
  private stopCounting: (() => void) | undefined;
  /** The size of the snapshot adopted last, until a start gives it up (`refuse`). */
  private adopted: number | undefined;
  /** Whether the start kept the state it adopted (`confirmAdopted`): a record that does not read then stops the service. */
  private confirmed = false;
  /** A record of the adopted snapshot that did not read before the start kept it: the start gives the snapshot up instead. */
  private startProblem: string | undefined;
  /** A request record of the adopted snapshot did not read (`recordRefused`): no snapshot of that state is written. */
  private broken = false;
  /** The replay a start is in (`replaying`): where it began and how many entries it replays. */
  private replay = { from: 0, total: 0 };

  constructor(
    private readonly store: Store,
    readonly options: SnapshotOptions,
  ) {
    this.key = snapshotKey(options.secret);
    this.lastSize = 0;
  }

  get every(): number {
    return Math.max(1, this.options.every ?? DEFAULT_SNAPSHOT_EVERY);
  }

  /** The state the next snapshot would follow as a delta, if any: kept without its figure index (ChainTip `state`). */
  get tipState(): UnfiguredState | undefined {
    return this.tip?.state;
  }

  /** The size of the last snapshot taken or restored. */
  get lastSnapshotSize(): number {
    return this.lastSize;
  }

  warn(message: string): void {
    (this.options.warn ?? ((text: string) => console.warn(`evenhand: ${text}`)))(message);
  }

  /**
   * A snapshot was not used, for `why`: warns, and has the full replay that follows write a
   * fresh one (`wanted`), or every start would try the same bad snapshot again.
   */
  refuse(size: number, why: string): void {
    // A state adopted, then given up on (its tail does not replay, its root is not the signed one): no longer counted.
    this.stop();
    this.count = undefined;
    this.adopted = undefined;
    this.refused = true;
    this.lastSize = 0;
    this.tip = undefined;
    // Never read again: a chain left in place would be the latest at every start, and refused each time.
    this.refusedRows = this.read;
    this.warn(`the snapshot at size ${size} is not used (${why}); replaying the whole log`);
  }

  /** Whether a full replay of `size` entries should end with a fresh snapshot: asked for, replacing a refused one, or due. */
  wanted(size: number): boolean {
    return this.options.fullReplay === true || this.refused || this.due(size);
  }

  /** A start replays the stored entries `from` (inclusive) to `to` (exclusive) next; `replayed` counts them. */
  replaying(from: number, to: number): void {
    this.replay = { from, total: Math.max(0, to - from) };
    this.options.progress?.replaying?.(from, to);
  }

  replayed(index: number): void {
    this.options.onReplayed?.(index);
    this.options.progress?.replayed?.(index + 1 - this.replay.from, this.replay.total);
  }

  /**
   * The latest snapshot, checked, with its tree; undefined (after a warning) when none holds.
   * It is the latest chain merged: a whole snapshot and the deltas after it, each under this
   * service's key and naming the one before by size and digest.
   * `signedSize` is the size of a verified checkpoint (`vouchedSize`) that the caller will
   * compare the replay's root with (the exchange's last signed head, a gateway's last verified
   * checkpoint): that comparison ties the snapshot's leaves below it to the signed history, so
   * only the store's leaves beyond it are read and compared here (all of them without one). A
   * restart thus costs the entries not yet checkpointed, not the history. The store's rows
   * below it are not read: that they are the signed history is the full replay's to check
   * (`--full-replay`), as it was before snapshots.
   */
  async latest(signedSize?: number): Promise<UsableSnapshot | undefined> {
    if (this.options.fullReplay) return undefined;
    try {
      return await this.checkedLatest(signedSize);
    } catch (error) {
      // Rows edited in the table past what the checks foresee: a full replay, never a start that fails.
      this.refuse(this.read.at(-1)?.size ?? 0, `it could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async checkedLatest(signedSize: number | undefined): Promise<UsableSnapshot | undefined> {
    const rows = await readSnapshotChain(this.store.db, this.options.service);
    this.read = rows.map(({ size, digest }) => ({ size, digest }));
    const row = rows[rows.length - 1];
    if (!row) return undefined;
    this.options.progress?.restoring?.(row.size);
    const refuse = (why: string): undefined => {
      this.refuse(row.size, why);
      return undefined;
    };
    // The request records are kept unread until read (core unread-value.ts): the digest below binds them to this service.
    let whole: ReplayLineReader | undefined;
    const bytes: number[] = [];
    for (const [i, link] of rows.entries()) {
      const before = rows[i - 1];
      if (before ? !link.base || link.base.size !== before.size || !bytesEqual(link.base.digest, before.digest) : link.base) {
        return refuse(`SNAPSHOT_INCONSISTENT: the snapshot at ${link.size} follows ${link.base?.size ?? 'none'}, which is not the snapshot stored before it`);
      }
      // Written before snapshots kept their tree (migration 0016): the full replay writes one that does.
      if (!link.tree) return refuse('SNAPSHOT_SHAPE: it has no tree (written by an earlier version)');
      // The digest before a byte is decompressed: data this service did not write is never parsed.
      const digest = snapshotDigest(this.key, this.options.service, { ...link, tree: link.tree });
      if (digest.length !== link.digest.length || !timingSafeEqual(digest, link.digest)) {
        return refuse('SNAPSHOT_DIGEST_MISMATCH: its data, size, root, tree or base was changed after this service wrote it, another key wrote it, or a version of evenhand before snapshots were written as lines did');
      }
      // A whole snapshot may keep its records apart, in blocks (record-blocks.ts); a delta is its lines alone.
      const opened = i === 0 ? openSnapshotData(link.data) : { lines: link.data, blocks: undefined, recordTextBytes: 0 };
      if (typeof opened === 'string') return refuse(opened);
      const lines = (whole ??= new ReplayLineReader(this.unreadRecords(row.size), opened.blocks));
      const read = await readSnapshotLines(opened.lines, (line, index, parse) => {
        // A whole snapshot is its header and then its pairs; a delta is one line.
        if (i === 0) return lines.lineBytes(line, parse);
        return index === 0 && lines.reader ? lines.reader.delta(parse(line)) : { ok: false, error: { code: 'SNAPSHOT_SHAPE', message: 'a delta is one line, after a whole snapshot' } };
      });
      if (typeof read === 'string') return refuse(read);
      // The text a whole snapshot was written as, its records' included, as `save` weighed it.
      bytes.push(read + opened.recordTextBytes);
    }
    if (!whole?.reader) return refuse('SNAPSHOT_SHAPE: it is empty');
    const decoded = whole.reader.finish();
    if (!decoded.ok) return refuse(`${decoded.error.code}: ${decoded.error.message}`);
    // Before a treaty, entry keys come from the log's first entry (AuthorKeyring), which a restart from a snapshot would not read.
    if (!decoded.value.state.treaty) return refuse('SNAPSHOT_BEFORE_TREATY: taken before a treaty was in force');
    if (decoded.value.size !== row.size || toBase64(decoded.value.root) !== toBase64(row.root)) return refuse('SNAPSHOT_INCONSISTENT: its data is of another size or root than its key');
    const size = decoded.value.size;
    // A store that lost entries (a table restored from an older backup) must not start from a longer tree.
    if ((await countEntries(this.store.db)) < size) return refuse(`SNAPSHOT_ROOT_MISMATCH: the log holds fewer than ${size} entries`);
    const tree = MerkleTree.fromLevelPieces(rows.map((link) => ({ size: link.size, bytes: link.tree! })), processTreeChunks());
    if (!tree.ok) return refuse(`SNAPSHOT_SHAPE: ${tree.error.message}`);
    // The store's own leaves beyond what the caller's signed root will vouch for must be the snapshot's.
    const differs = await this.firstLeafNotIn(tree.value, Math.min(size, signedSize ?? 0), size);
    if (differs !== undefined) return refuse(`SNAPSHOT_ROOT_MISMATCH: ${differs}`);
    const root = checkRoot(decoded.value, tree.value);
    if (!root.ok) return refuse(`${root.error.code}: ${root.error.message}`);
    const deltaBytes = bytes.slice(1).reduce((sum, each) => sum + each, 0);
    this.options.progress?.restored?.(size);
    return { decoded: decoded.value, tree: tree.value, tip: { size, digest: row.digest, state: withoutFigures(decoded.value.state), wholeBytes: bytes[0]!, deltaBytes, deltas: bytes.length - 1 } };
  }

  /** Where the store's leaves `from <= index < to` are not the tree's, in words; undefined when they all are. */
  private async firstLeafNotIn(tree: MerkleTree, from: number, to: number): Promise<string | undefined> {
    for (let start = from; start < to; start += LEAF_CHUNK) {
      const end = Math.min(to, start + LEAF_CHUNK);
      const hashes = await readLeafHashes(this.store.db, start, end);
      if (hashes.length !== end - start) return `the log holds fewer than ${to} entries`;
      const index = tree.firstDifferentLeaf(start, hashes);
      if (index >= 0) return `the log's entry ${start + index} is not the snapshot's`;
    }
    return undefined;
  }

  /**
   * Restores `parts` from a usable snapshot: they must be fresh (nothing replayed yet). Once
   * the start keeps the state (`confirmAdopted`), its figure index is counted in slices while
   * the service goes on (count-in-slices.ts).
   */
  adopt(snapshot: UsableSnapshot, parts: ReplayParts): State {
    parts.verifier.adoptTree(snapshot.tree);
    snapshot.decoded.restore(parts);
    this.lastSize = snapshot.decoded.size;
    this.adopted = snapshot.decoded.size;
    this.confirmed = false;
    this.startProblem = undefined;
    this.tip = snapshot.tip;
    // Claimed now, so that the chains the tail ends wait for it; counted once the start keeps the state (`confirmAdopted`).
    this.count = snapshot.decoded.state.figures.driveCount();
    return snapshot.decoded.state;
  }

  /**
   * What the records kept unread of the snapshot at `size` report to. Made here, not where the
   * snapshot is read: a function made there would hold everything that reading holds (its rows,
   * its reader with every pair) for as long as a record is unread.
   */
  private unreadRecords(size: number): UnreadRecords {
    return { refused: (error) => this.recordRefused(size, error) };
  }

  /**
   * The start keeps the state it adopted, its tail replayed and its root checked: undefined, or
   * why it must not. A record kept unread that did not read meanwhile (read by the tail, or by
   * the count of the figure index, which runs between the tail's reads) is such a reason: the
   * start then refuses the snapshot and replays the whole log. After this, such a record stops
   * the service instead (`recordRefused`). Told by the start, not guessed from the order of
   * events: on PostgreSQL the count's slices run while the tail is read.
   */
  confirmAdopted(): string | undefined {
    if (this.startProblem !== undefined) return this.startProblem;
    this.confirmed = true;
    const count = this.count;
    this.count = undefined;
    if (count) this.stopCounting = countInSlices(count, (counted) => this.options.progress?.counted?.(counted));
    return undefined;
  }

  /**
   * A request record of the snapshot at `size`, kept unread, did not read at its first reading
   * (core SnapshotValueRefused: thrown to a view, returned by `apply`). Before the start kept the
   * state, the start is told (`confirmAdopted`). After, the state served holds a record that
   * cannot be read, and no start from this service's snapshots is to be trusted: they are
   * deleted, the count stopped, no snapshot of the state written, and the service told
   * (`onBroken`) to stop, so that its next start replays the whole log. Every reading of that
   * record meanwhile fails: nothing is served from it.
   */
  private recordRefused(size: number, error: SnapshotError): void {
    if (this.adopted !== size || this.broken) return;
    if (!this.confirmed) {
      this.startProblem ??= `${error.code}: ${error.message}`;
      return;
    }
    this.broken = true;
    this.stop();
    this.tip = undefined;
    const message = `the snapshot at size ${size} holds a request record that does not read (${error.code}: ${error.message}). This service's snapshots are deleted; start it again, and its start replays the whole log`;
    // Every chain, not only the one read: an older one may hold the same record.
    deleteServiceSnapshots(this.store.db, this.options.service).catch((failure: unknown) => this.warn(`the snapshots could not be deleted: ${failure instanceof Error ? failure.message : String(failure)}`));
    this.warn(message);
    this.options.onBroken?.(message);
  }

  /** Whether a replay at `size` is `every` entries past the last snapshot. */
  due(size: number): boolean {
    return size - this.lastSize >= this.every;
  }

  /** The chain tip the next snapshot follows as a delta, or undefined when it is to be whole. */
  private deltaBase(size: number): ChainTip | undefined {
    const tip = this.tip;
    const share = this.options.wholeAfter ?? DEFAULT_WHOLE_AFTER;
    if (!tip || tip.size >= size || tip.deltas >= MAX_DELTAS) return undefined;
    return tip.deltaBytes < tip.wholeBytes * share ? tip : undefined;
  }

  /**
   * Takes a snapshot of `parts` and `state` (which must describe the same size) and writes
   * it in the background; resolves once written. It is a delta from the last snapshot while
   * the deltas are small beside the whole one (`DEFAULT_WHOLE_AFTER`), else whole. A snapshot
   * already being written makes this one skipped. A failure is a warning, and the next one is
   * whole: the log itself is never affected.
   */
  save(parts: ReplayParts, state: State): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.broken) return Promise.resolve();
    if (parts.verifier.tree.size === 0) return Promise.resolve();
    const base = this.deltaBase(parts.verifier.tree.size);
    const captured = captureReplay(parts, { delta: base !== undefined });
    // What the tree stored up to this size never changes as it grows (log tree.ts): read when written.
    const tree = parts.verifier.tree;
    this.lastSize = captured.size;
    const write = async () => {
      // Off the caller's path: the states are immutable, so encoding them later gives the same data.
      await new Promise((resolve) => setImmediate(resolve));
      const root = Buffer.from(captured.root, 'base64');
      // The JSON is compressed a piece at a time as it is written, never held whole: copying,
      // digesting and joining the text of a whole state held the event loop for as long as the
      // state is big (issue 14). The digest is of the compressed data.
      // A delta is one line; a whole snapshot is its header and then its pairs, a line each (log replay-snapshot.ts).
      // A whole snapshot keeps its records apart, in blocks (record-blocks.ts), which a restart decompresses only as they are read.
      const records = base ? undefined : new RecordBlockWriter();
      const { compressed: lines, textBytes } = await gzipInSlices(async (write, settle) => {
        if (records) {
          const settleBoth = async () => {
            await settle();
            await records.settle();
          };
          return writeLinesInSlices(linesApart(replaySnapshotLines(captured, state), (text) => records.keep(text)), write, settleBoth);
        }
        await writeJsonInSlices(replaySnapshotDelta(captured, state, base!.state), write, settle);
        write('\n');
      });
      const data = records ? await records.pack(lines) : lines;
      const jsonBytes = textBytes + (records?.textBytes ?? 0);
      const joined = tree.joinedLevelBytesSince(base?.size ?? 0, captured.size);
      // A view as a Buffer, which both stores' drivers bind as a blob.
      const levels = Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength);
      const link = base ? { size: base.size, digest: base.digest } : undefined;
      const digest = snapshotDigest(this.key, this.options.service, { size: captured.size, root, data, tree: levels, base: link });
      if (this.refusedRows.length > 0) {
        await deleteSnapshots(this.store.db, this.options.service, this.refusedRows);
        this.refusedRows = [];
      }
      await writeSnapshot(
        this.store.db,
        { service: this.options.service, size: captured.size, root, data, digest, tree: levels, createdAt: Math.floor(Date.now() / 1000), base: link },
        this.options.keep ?? 2,
      );
      const tipState = withoutFigures(state);
      this.tip = base
        ? { size: captured.size, digest, state: tipState, wholeBytes: base.wholeBytes, deltaBytes: base.deltaBytes + jsonBytes, deltas: base.deltas + 1 }
        : { size: captured.size, digest, state: tipState, wholeBytes: jsonBytes, deltaBytes: 0, deltas: 0 };
    };
    this.inFlight = write()
      .catch((error: unknown) => {
        this.tip = undefined;
        this.warn(`the snapshot at size ${captured.size} was not written: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Waits for a snapshot being written (before the store closes). */
  async flush(): Promise<void> {
    await this.inFlight;
  }

  /**
   * Stops the count of the adopted state's figure index, if it goes on: when the service
   * closes, so that the process exits now, not once the count is over (some 4 s after a
   * restart at 10^6 entries), and when the state is given up.
   */
  stop(): void {
    this.stopCounting?.();
    this.stopCounting = undefined;
  }
}
