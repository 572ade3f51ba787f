import type { State } from '../request/state.ts';
import { buildFigureIndex, nextFigureIndex, type FigureIndex } from './figure-index.ts';

/** A state without its figure index: what the index is computed from. */
export type UnfiguredState = Omit<State, 'figures'>;

/**
 * Entries that may pass before an index nobody read is computed anyway, by moving the figures
 * of what they changed: it bounds what an unread state keeps alive (the earlier state it moves
 * from, and the records and trie paths that state no longer shares) and what the next reading
 * costs.
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
 * routes, chosen as each entry applies:
 * - from the latest earlier state whose index was computed (the anchor), by moving the figures
 *   of the records that changed since (`nextFigureIndex`, which compares the two states' maps
 *   by their shared subtrees): O(entries since), taken while they are fewer than half the
 *   requests and at most FIGURES_PENDING_AT_MOST, then computed at once;
 * - counted afresh from the records (`buildFigureIndex`), O(requests + trades), once at least
 *   half as many entries as requests came since the last index. Counting costs about 12 µs a
 *   request (60 ms for that bench's 4,800 requests and 600 trades), so the entries since pay
 *   at most about 24 µs each, near what moving their figures would have cost, and the anchor
 *   is let go.
 *
 * Both give the same index (core/test/figure-cell.test.ts). A copy of a state made by
 * spreading it shares its cell, and so reads the index of the state the cell was made for, as
 * it read a copied index before.
 */
export class FigureCell {
  private constructor(
    private known: FigureIndex | undefined,
    /** The state the index is of, until it is computed. */
    private of: UnfiguredState | undefined,
    /** The state to move from; undefined to count afresh. Its own index is always computed. */
    private anchor: State | undefined,
    /** Entries applied since the last computed index. */
    readonly pending: number,
  ) {}

  /** A cell holding an index already computed. */
  static holding(index: FigureIndex): FigureCell {
    return new FigureCell(index, undefined, undefined, 0);
  }

  /** The cell of `after`, the state one entry applied to `before` gives. */
  static after(before: State, after: UnfiguredState): FigureCell {
    const previous = before.figures;
    const anchor = previous.known ? before : previous.anchor;
    const pending = previous.known ? 1 : previous.pending + 1;
    if (anchor === undefined || 2 * pending >= after.requests.size) return new FigureCell(undefined, after, undefined, pending);
    if (pending >= FIGURES_PENDING_AT_MOST) return FigureCell.holding(nextFigureIndex(anchor, after));
    return new FigureCell(undefined, after, anchor, pending);
  }

  /** Whether the index, when read, will be moved from an earlier state's (rather than counted afresh or already known). */
  get moving(): boolean {
    return this.anchor !== undefined;
  }

  /** The index, computed on first call; the state and anchor it was computed from are let go. */
  index(): FigureIndex {
    if (this.known) return this.known;
    const of = this.of!;
    this.known = this.anchor ? nextFigureIndex(this.anchor, of) : buildFigureIndex(of);
    this.of = undefined;
    this.anchor = undefined;
    return this.known;
  }
}

/** A state's figure index: the statistics' sums, the open obligations, the reciprocal grants. */
export function figuresOf(state: State): FigureIndex {
  return state.figures.index();
}
