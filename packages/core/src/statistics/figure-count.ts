import type { UnfiguredState } from './figure-cell.ts';
import { countFigureIndex, type FigureIndex } from './figure-index.ts';
import { withoutPauses } from './paused-work.ts';

/**
 * A figure index counted from scratch a step at a time (figure-index.ts `countFigureIndex`),
 * by a holder that runs `step` between its other work: the index of a state restored from a
 * snapshot, which a restart counted before it served, 2.2 s at 10^6 entries (issue 14,
 * "restart ≤ 2 s at 10^6"; figure-cell.ts `FigureCell.counting`). `finish` counts the rest at
 * once, for a reading that cannot wait.
 *
 * While a driven count goes on, the chains of cells after it still end every
 * FIGURES_PENDING_AT_MOST entries, but the index at each end cannot be moved yet: the end is
 * queued here (`later`), and once the index is counted each further step moves it to one
 * queued end, in order. So no entry and no step moves more than a chain's entries. Moved at
 * the first end after the count instead, 6,000 entries applied meanwhile over 20,000 requests
 * took 125 ms inside one entry's `apply`. Each queued end keeps its state until its move: one
 * state per FIGURES_PENDING_AT_MOST entries applied during the count, some 2 s at 10^6 entries.
 */
export class FigureCount {
  private steps: Generator<void, FigureIndex> | undefined;
  private counted: FigureIndex | undefined;
  private driven = false;
  /** The queued moves to chains' ends, in order: each is let go of, with the state it keeps, once made. */
  private readonly moves: (() => void)[] = [];
  /** What a step threw (a record kept unread that did not read, request/unread-value.ts), thrown again at every later call. */
  private failed: { readonly error: unknown } | undefined;

  constructor(state: UnfiguredState) {
    this.steps = countFigureIndex(state);
  }

  /** Whether the index is counted and every queued move made. */
  get done(): boolean {
    return this.counted !== undefined && this.moves.length === 0;
  }

  /** Whether a holder runs the steps and some are left: the chains' ends wait for them (`later`). */
  get busy(): boolean {
    return this.driven && !this.done;
  }

  /** Claims the steps: the holder runs them until `step` says the count is done. */
  drive(): this {
    this.driven = true;
    return this;
  }

  /** Queues the move of the index to a chain's end, made by a step once the index is counted. */
  later(move: () => void): void {
    // A count that failed makes no move: each would keep its state for ever.
    if (!this.failed) this.moves.push(move);
  }

  /** Counts one more piece (at most RECORDS_PER_PAUSE records, a piece of a bag), or makes one queued move; whether all is done. */
  step(): boolean {
    return this.guarded(() => {
      if (this.counted === undefined) {
        const next = this.steps!.next();
        if (next.done) this.counted = next.value;
      } else this.moves.shift()?.();
      if (this.counted !== undefined) this.steps = undefined;
      return this.done;
    });
  }

  /** The index, the rest of the count done now (the queued moves are left to the steps). */
  finish(): FigureIndex {
    return this.guarded(() => {
      if (this.counted === undefined) this.counted = withoutPauses(this.steps!);
      this.steps = undefined;
      return this.counted;
    });
  }

  /**
   * `work`, unless a step threw before: a generator that threw is over, and read again it would
   * end the count with no index, so the failure is thrown again instead, never a partial index.
   */
  private guarded<T>(work: () => T): T {
    if (this.failed) throw this.failed.error;
    try {
      return work();
    } catch (error) {
      this.failed = { error };
      this.moves.length = 0;
      throw error;
    }
  }
}
