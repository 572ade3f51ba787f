import { applyShelving, bagNodeFromText, findColdNodes, shelvableBags, VisitMarks, type BagNode, type State } from '@evenhand/core';
import { FileShelf } from './record-shelf.ts';

/**
 * Entries between two visits of the figure index's bags (core statistics/bag-shelving.ts) by
 * default: a node is shelved once two visits in a row found it in the heap, so no node edited
 * in the last this many entries goes. At the sustained run's 130 filings a second, some 16 s.
 * A holder sets its own (state-shelving.ts).
 */
export const BAG_VISIT_EVERY = 2_048;

/**
 * Nodes one visit shelves at most, some 1,000 bytes of text each: a restarted service, whose
 * counted index is all in the heap, shelves it over many visits (`CONTINUE_MS` apart) rather
 * than in one stall of its event loop.
 */
const NODES_AT_ONCE = 1_024;
const CONTINUE_MS = 20;

/**
 * A visit while no entry comes: a service that goes idle, or that restarted and takes no
 * entry, shelves its cold nodes too. It stops once a visit finds nothing to shelve, and is set
 * again by the next visit an entry brings; its timer never keeps the process alive.
 */
const IDLE_VISIT_MS = 2_000;

/**
 * Idle visits that find a restart's index still being counted before they give up (10 minutes
 * at IDLE_VISIT_MS): a count that failed stays unfinished for ever. States told go on visiting.
 */
const COUNT_WAITS = 300;

/**
 * Nodes read back that the shelf keeps, a few MB at most: a view reads many paths. At 10^6
 * entries, with 256 kept, a console's dashboard (a lookup of two bags a month for each pair)
 * read its nodes from the file at every call: 18.9 ms, against 2.4 ms with every node in the
 * heap (`npm run bench -- growth 1000000`).
 */
const SHELF_CACHE_NODES = 2_048;

/** A shelf of bag nodes in a file of the process's own, in `directory` ($TMPDIR by default). */
export function bagNodeShelf(directory?: string, cacheNodes = SHELF_CACHE_NODES): FileShelf<BagNode> {
  return new FileShelf<BagNode>(directory, cacheNodes, { what: 'the bag node shelf', decode: bagNodeFromText });
}

let processShelf: FileShelf<BagNode> | undefined;

/** The bag node shelf of this process, opened at its first use and shared by its holders, as the record shelf is. */
function sharedShelf(): FileShelf<BagNode> {
  processShelf ??= bagNodeShelf();
  return processShelf;
}

/**
 * Puts on a shelf the nodes of the latest figure index's bags that no entry has edited for
 * BAG_VISIT_EVERY entries (core statistics/bag-shelving.ts): the holder of the states (the
 * exchange's sequencer, a gateway's verified prefix) tells it each state it moves to
 * (`observe`). Only an index already computed is visited: it never computes one.
 *
 * Never throws: a shelf that cannot be written stops the shelving, with a warning
 * (`EVENHAND_SHELF`), and the bags stay in the heap; a shelf that cannot be read fails the
 * reading that needed it, as the record shelf's does.
 */
export class BagShelving {
  private readonly marks = new VisitMarks();
  /** The size of the state the last visit began at. */
  private visitedAt: number | undefined;
  private latest: State | undefined;
  private failed = false;
  private timer: NodeJS.Timeout | undefined;
  /** Idle visits in a row that found the index still counted (COUNT_WAITS). */
  private countWaits = 0;
  /** Nodes put on the shelf so far. */
  shelved = 0;

  constructor(
    private readonly every = BAG_VISIT_EVERY,
    private readonly shelf: () => FileShelf<BagNode> = sharedShelf,
    /** How long no state told makes a visit (IDLE_VISIT_MS); shorter in tests. */
    private readonly idleMs = IDLE_VISIT_MS,
  ) {
    if (!Number.isSafeInteger(every) || every < 1) throw new RangeError(`bag visits: a whole number of entries, 1 or more, not ${every}`);
  }

  /** Takes `state` as the holder's latest; visits its bags when BAG_VISIT_EVERY entries passed since the last visit, or the states started over. */
  observe(state: State): void {
    this.latest = state;
    if (this.failed) return;
    if (this.visitedAt !== undefined && state.size >= this.visitedAt && state.size - this.visitedAt < this.every) return;
    this.visit(true);
  }

  /**
   * Visits the latest state's bags. A new visit (`fresh`) asks about the nodes the last one
   * found; a visit that goes on with what the last one's budget left asks about the same ones,
   * so that a node it found first is not taken for cold 20 ms later.
   */
  private visit(fresh: boolean): void {
    this.clearTimer();
    if (this.failed) return;
    const state = this.latest!;
    if (fresh) {
      this.marks.turn();
      this.visitedAt = state.size;
    }
    const index = state.figures.latestKnown;
    if (index === undefined) {
      // A restart's index still being counted is looked for again; one nobody has read is not shelved.
      if (state.figures.waitsForCount && ++this.countWaits < COUNT_WAITS) this.visitWhenIdle();
      return;
    }
    this.countWaits = 0;
    const shelf = this.shelf();
    let found: ReturnType<typeof findColdNodes>;
    try {
      found = findColdNodes(shelvableBags(index), this.marks, shelf, NODES_AT_ONCE);
      if (found.shelvings.length > 0) shelf.flush();
    } catch (error) {
      this.stop(error);
      return;
    }
    this.shelved += applyShelving(found.shelvings);
    if (found.more)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.visit(false);
      }, CONTINUE_MS).unref();
    else if (found.shelvings.length > 0 || found.unseen > 0) this.visitWhenIdle();
  }

  /** A new visit once IDLE_VISIT_MS pass with no state told: while states come, they bring the visits. */
  private visitWhenIdle(): void {
    const told = this.latest;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.failed) return;
      if (this.latest === told) this.visit(true);
      else this.visitWhenIdle();
    }, this.idleMs).unref();
  }

  /** Whether a visit is set to come without a state told: one that goes on, or an idle one. */
  get visitPending(): boolean {
    return this.timer !== undefined;
  }

  /** Stops the visits: the holder lets its states go (a refused snapshot's, a stopped service's). */
  close(): void {
    this.failed = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private stop(error: unknown): void {
    this.failed = true;
    this.clearTimer();
    process.emitWarning(`the figure index's bags stay in memory from now on: the bag node shelf could not be written (${error instanceof Error ? error.message : String(error)})`, { code: 'EVENHAND_SHELF' });
  }
}
