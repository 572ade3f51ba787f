import { mapCanShelve, mapChanges, mapShelve, requestAt, SnapshotValueRefused, type PersistentMap, type RequestRecord, type Shelved, type State } from '@evenhand/core';
import { FileShelf } from './record-shelf.ts';

/**
 * The request filed `position`-th as `state` holds it; undefined when the snapshot's text of it
 * does not read (core SnapshotValueRefused). It stays unread in the heap then, and fails
 * wherever it is read: the holder was told when it first failed (server snapshot-keeper.ts),
 * and shelving goes on.
 */
function restoredAt(state: State, position: number): RequestRecord | undefined {
  try {
    return requestAt(state, position);
  } catch (error) {
    if (error instanceof SnapshotValueRefused) return undefined;
    throw error;
  }
}

/**
 * Request records a service keeps in its heap: those the latest entries made. A filing's
 * record is some 500 bytes of the 1,450 a service's heap grew by for each filing (issue 14,
 * "RSS flat after warm-up"); once this many records were made after it, it goes to the shelf.
 */
export const HOT_RECORDS = 8192;

/**
 * Records past HOT_RECORDS that wait for the next write to the shelf: a sixteenth of those kept
 * in the heap, 512 at most. A write takes all past HOT_RECORDS, more when one state told
 * brought many.
 */
const SHELVED_AT_ONCE = 512;

/**
 * Between two batches of restored records shelved while no entry comes (ms): a restarted
 * service that takes no entry lets them go too, 228,532 at 10^6 entries in some 450 batches of
 * a few milliseconds each, without holding its event loop for long.
 */
const RESTORED_PACE_MS = 20;

/**
 * While the restored index is still counted, the timer looks again this often (ms), and gives up
 * after this many looks (10 minutes): a count that was stopped (its snapshot refused after all)
 * never ends, and the state it would shelve in is no longer served. States told go on shelving.
 */
const COUNT_WAIT_MS = 250;
const COUNT_WAITS = 2_400;

let processShelf: FileShelf<RequestRecord> | undefined;

/**
 * The shelf of this process, opened at its first use: the exchange's sequencer and a gateway's
 * prefix (made again when its mirror starts over) share it, and a process that never holds
 * more than HOT_RECORDS records opens none. Closed with the process.
 */
function sharedShelf(): FileShelf<RequestRecord> {
  processShelf ??= new FileShelf<RequestRecord>();
  return processShelf;
}

/**
 * Puts on a shelf (core shelved-value.ts) the request records of a state that no entry has
 * changed for the last `hot` records made: the holder tells it each state it moves to
 * (`observe`), and it learns what changed from the trie (`mapChanges`, the cost of the changed
 * paths), never by a walk over the records. A record an entry changes again is made anew in
 * the heap, and shelved again once it is that old.
 *
 * The records of the first state told, restored from a snapshot, are shelved too, oldest filing
 * first and some SHELVED_AT_ONCE at each state told after it, all but the last `hot` filed: a
 * restart at 10^6 entries restored 228,532 records, some 500 bytes each, and kept them all.
 * They wait for the count of the restored state's figure index, which reads every record once
 * (core FigureCell `driveCount`), so that a record is not read back from the shelf for it. A
 * timer shelves them meanwhile too, a batch every RESTORED_PACE_MS, so that an idle service
 * lets them go: it never keeps the process alive, and ends when they are all shelved.
 */
export class RecordShelving {
  /** The records map of the last state told, and the records made since, oldest first, from `next`. */
  private seen: PersistentMap<RequestRecord> | undefined;
  private made: ((readonly [string, RequestRecord]) | undefined)[] = [];
  private next = 0;
  private readonly hot: number;
  private readonly atOnce: number;
  /** Records put on the shelf so far. */
  shelved = 0;
  /** Set once the shelf could not be written: every record stays in the heap after. */
  private failed = false;
  /**
   * The restored records still to shelve, by filing position (a state's `requestIds`, whose
   * positions never change): the next, the end (those before the last `hot`), and the restored
   * state's size, which tells a record an entry made since (its last act is at or past it).
   */
  private restored: { next: number; readonly end: number; readonly size: number } | undefined;
  /** The last state told: the one the timer shelves restored records in. */
  private latest: State | undefined;

  constructor(
    hot: number | undefined,
    private readonly shelf: () => FileShelf<RequestRecord> = sharedShelf,
  ) {
    this.hot = hot ?? HOT_RECORDS;
    if (!Number.isSafeInteger(this.hot) || this.hot < 0) throw new RangeError(`hotRecords: a whole number of records, 0 or more, not ${hot}`);
    this.atOnce = Math.min(SHELVED_AT_ONCE, Math.ceil(this.hot / 16));
  }

  /** Records made since the first state told and not yet shelved (an upper bound: a record made twice counts twice). */
  get held(): number {
    return this.made.length - this.next;
  }

  /**
   * Takes `state` as the holder's latest; the first one told is where it starts. Never throws:
   * a shelf that fails stops the shelving (`stop`), and the records stay in the heap.
   */
  observe(state: State): void {
    const requests = state.requests;
    this.latest = state;
    if (this.seen === undefined) {
      this.seen = requests;
      const end = state.requestIds.size - this.hot;
      if (end > 0) {
        this.restored = { next: 0, end, size: state.size };
        this.shelveRestoredMeanwhile();
      }
      return;
    }
    if (requests === this.seen || this.failed) return;
    this.guarded(() => {
      // The changes read the records they replace: a record shelved earlier is read from the shelf.
      for (const change of mapChanges(this.seen!, requests)) if (change.after !== undefined) this.made.push([change.key, change.after]);
      this.seen = requests;
      if (this.held > this.hot + this.atOnce) this.shelveOldest(requests);
      this.shelveRestored(state);
    });
  }

  /** Runs `work`; a shelf that fails in it stops the shelving (`stop`). Returns whether it went through. */
  private guarded(work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      this.stop('could not be read or written', error);
      return false;
    }
  }

  /** Shelves a batch of the restored records every RESTORED_PACE_MS until none is left, in the last state told. */
  private shelveRestoredMeanwhile(): void {
    let waits = 0;
    const tick = () => {
      if (this.restored === undefined || this.failed) return;
      if (this.latest!.figures.waitsForCount) {
        if (++waits < COUNT_WAITS) setTimeout(tick, COUNT_WAIT_MS).unref();
        return;
      }
      if (this.guarded(() => this.shelveRestored(this.latest!))) setTimeout(tick, RESTORED_PACE_MS).unref();
    };
    setTimeout(tick, COUNT_WAIT_MS).unref();
  }

  private stop(what: string, error: unknown): void {
    this.failed = true;
    this.made = [];
    this.next = 0;
    this.restored = undefined;
    process.emitWarning(`request records stay in memory from now on: the record shelf ${what} (${error instanceof Error ? error.message : String(error)})`, { code: 'EVENHAND_SHELF' });
  }

  /**
   * Shelves the oldest records past `hot`, those the map still holds as made (a record made
   * again is not). Their bytes are written before any leaf is changed: a shelf that cannot be
   * written leaves every record in the heap, and shelving stops, with a warning.
   */
  private shelveOldest(requests: PersistentMap<RequestRecord>): void {
    const end = this.made.length - this.hot;
    const batch: (readonly [string, RequestRecord])[] = [];
    for (; this.next < end; this.next += 1) {
      const pair = this.made[this.next]!;
      // Let go of at once: the list's head is cut only now and then, and must not keep the record alive.
      this.made[this.next] = undefined;
      if (mapCanShelve(requests, pair[0], pair[1])) batch.push(pair);
    }
    this.shelveBatch(requests, batch);
    // The list is cut once its shelved head is the larger part: each record is copied at most once more.
    if (this.next * 2 > this.made.length) {
      this.made = this.made.slice(this.next);
      this.next = 0;
    }
  }

  /**
   * Shelves the next SHELVED_AT_ONCE restored records in filing order, but those an entry made
   * since the restart (their own are in `made`), once `state`'s figure index is not being
   * counted. A record still unread is read here: the count that would have read it first is
   * over (or none is driven).
   */
  private shelveRestored(state: State): void {
    const restored = this.restored;
    if (restored === undefined || this.failed || state.figures.waitsForCount) return;
    const requests = state.requests;
    const batch: (readonly [string, RequestRecord])[] = [];
    const end = Math.min(restored.end, restored.next + SHELVED_AT_ONCE);
    for (; restored.next < end; restored.next += 1) {
      const record = restoredAt(state, restored.next);
      if (record === undefined || record.history.at(-1)!.index >= restored.size || !mapCanShelve(requests, record.id, record)) continue;
      batch.push([record.id, record]);
    }
    if (restored.next >= restored.end) this.restored = undefined;
    this.shelveBatch(requests, batch);
  }

  /** Writes every record of `batch`, then has each leaf that holds one hold it shelved; a write that fails stops the shelving. */
  private shelveBatch(requests: PersistentMap<RequestRecord>, batch: readonly (readonly [string, RequestRecord])[]): void {
    if (batch.length === 0) return;
    let placed: Shelved<RequestRecord>[];
    try {
      const shelf = this.shelf();
      placed = batch.map(([, record]) => shelf.put(record));
      shelf.flush();
    } catch (error) {
      this.stop('could not be written', error);
      return;
    }
    for (const [index, [key, record]] of batch.entries()) if (mapShelve(requests, key, record, placed[index]!)) this.shelved += 1;
  }
}
