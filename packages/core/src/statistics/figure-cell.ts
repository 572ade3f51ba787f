import type { State } from '../request/state.ts';
import { buildFigureIndex, nextFigureIndex, type FigureIndex } from './figure-index.ts';

/** A state without its figure index: what the index is computed from. */
export type UnfiguredState = Omit<State, 'figures'>;

/**
 * A copy of `state` without its cell. What keeps a state only for its records keeps this
 * copy: a cell keeps the index it computed, or the state before it until then (`FigureCell`).
 */
export function withoutFigures(state: UnfiguredState): UnfiguredState {
  const { figures: _cell, ...rest } = state as State;
  return rest;
}

/**
 * Entries that may pass before an index nobody read is computed anyway, by moving the figures
 * of what they changed: it bounds what an unread state keeps alive (the states between it and
 * the last one read, and the records and trie paths they no longer share) and what the next
 * reading costs.
 */
export const FIGURES_PENDING_AT_MOST = 4_096;

/**
 * A state's figure index (figure-index.ts), computed when it is first read rather than as each
 * entry applies (issue 14, "verify+replay ≥ 12,000 entries/s"). Moving one entry's figures
 * cost about 20 µs of the 100 µs an entry took in packages/log/bench/verify-replay.bench.ts:
 * half of `apply`, for an index that `verify`, a replay from scratch and a gateway's first
 * start read once at the end, if at all.
 *
 * The index is still amortised O(1) per entry (issue 14, "incremental views"), by one of two
 * routes:
 * - moved from the nearest earlier state whose index is known, found by following each cell
 *   back to the state before it: the figures of the records that changed since are moved
 *   (`nextFigureIndex` compares the two states' maps by their shared subtrees), O(entries
 *   since). Following the states back, rather than keeping the index known when the cell was
 *   made, is what lets a reading start from any later reading: an exchange serves views at the
 *   sizes gateways verified, a little behind the states it has made since, and those states
 *   must not all move their figures again from an older index;
 * - counted afresh from the records (`buildFigureIndex`), O(requests + trades), chosen as an
 *   entry applies once at least half as many entries as requests came since the last index.
 *   Counting costs about 12 µs a request (60 ms for that bench's 4,800 requests and 600
 *   trades), so the entries since pay at most about 24 µs each, near what moving their
 *   figures would have cost, and the states between are let go.
 * An index unread for FIGURES_PENDING_AT_MOST entries is computed with the next entry.
 *
 * Both routes give the same index (core/test/figure-cell.test.ts). A copy of a state made by
 * spreading it shares its cell, and so reads the index of the state the cell was made for, as
 * it read a copied index before.
 */
export class FigureCell {
  private movedFromSize: number | undefined;

  private constructor(
    private known: FigureIndex | undefined,
    /** The state the index is of, until it is computed. */
    private of: UnfiguredState | undefined,
    /** The state this one was applied from, while the index is to be moved; undefined to count afresh. */
    private previous: State | undefined,
    /** Entries applied since the last index computed when this cell was made. */
    readonly pending: number,
  ) {}

  /** A cell holding an index already computed. */
  static holding(index: FigureIndex): FigureCell {
    return new FigureCell(index, undefined, undefined, 0);
  }

  /** The cell of `after`, the state one entry applied to `before` gives. */
  static after(before: State, after: UnfiguredState): FigureCell {
    const prior = before.figures;
    const pending = prior.known ? 1 : prior.pending + 1;
    const counting = (!prior.known && !prior.previous) || 2 * pending >= after.requests.size;
    if (counting) return new FigureCell(undefined, after, undefined, pending);
    const cell = new FigureCell(undefined, after, before, pending);
    return pending >= FIGURES_PENDING_AT_MOST ? FigureCell.holding(cell.index()) : cell;
  }

  /** The size of the state the index was moved from, once moved (for tests and diagnostics); undefined otherwise. */
  get movedFrom(): number | undefined {
    return this.movedFromSize;
  }

  /** Whether the index, when read, will be moved from an earlier state's (rather than counted afresh or already known). */
  get moving(): boolean {
    return this.previous !== undefined;
  }

  /** The index, computed on first call; the states it was computed from are let go. */
  index(): FigureIndex {
    if (this.known) return this.known;
    const of = this.of!;
    if (this.previous) {
      // A moving cell's chain ends at a known index: the cells before it were moving or known, and a cell lets go of its predecessor only once known.
      let from = this.previous;
      while (!from.figures.known) from = from.figures.previous!;
      this.known = nextFigureIndex(from, of);
      this.movedFromSize = from.size;
    } else this.known = buildFigureIndex(of);
    this.of = undefined;
    this.previous = undefined;
    return this.known;
  }
}

/** A state's figure index: the statistics' sums, the open obligations, the reciprocal grants. */
export function figuresOf(state: State): FigureIndex {
  return state.figures.index();
}
