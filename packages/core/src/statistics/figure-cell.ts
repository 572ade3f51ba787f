import type { State } from '../request/state.ts';
import { buildFigureIndex, nextFigureIndex, type FigureIndex } from './figure-index.ts';

/** A state without its figure index: what the index is computed from. */
export type UnfiguredState = Omit<State, 'figures'>;

/**
 * A copy of `state` without its cell. What keeps a state only for its records keeps this
 * copy: a cell that has computed its index keeps the state it is of (`FigureCell`).
 */
export function withoutFigures(state: UnfiguredState): UnfiguredState {
  const { figures: _cell, ...rest } = state as State;
  return rest;
}

/**
 * Entries that may pass before an index nobody read is computed anyway, by moving the figures
 * of what they changed: it bounds what the next reading costs, and how long the chain of cells
 * back to the last index known grows.
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
 *   back to the cell of the state before it: the figures of the records that changed since
 *   are moved (`nextFigureIndex` compares the two states' maps by their shared subtrees),
 *   O(entries since). Following the cells back, rather than keeping the index known when the
 *   cell was made, is what lets a reading start from any later reading: an exchange serves
 *   views at the sizes gateways verified, a little behind the states it has made since, and
 *   those states must not all move their figures again from an older index;
 * - counted afresh from the records (`buildFigureIndex`), O(requests + trades), chosen as an
 *   entry applies once at least half as many entries as requests came since the last index.
 *   Counting costs about 12 µs a request (60 ms for that bench's 4,800 requests and 600
 *   trades), so the entries since pay at most about 24 µs each, near what moving their
 *   figures would have cost.
 * An index waiting to be moved for FIGURES_PENDING_AT_MOST entries is computed with the next
 * entry (one to be counted afresh is bounded by the requests, as above).
 *
 * A cell keeps no state until its index is computed: it is given the state that reads it
 * (`figuresOf`). So a chain of unread cells keeps only the cells, and the one state whose index
 * is known at its start; the states between, and the trie paths they no longer share, go
 * (issue 14: under batches of 50 appends at 10^6 entries, the 512 states an exchange remembers
 * for views kept every state between them alive, and each of the first windows of 12,000
 * filings kept 63 MB where it now keeps 42). A copy of a state made by spreading
 * it shares its cell, so every copy that may read it must hold the records it was made for:
 * `apply` hands its transitions a copy with the `inTransition` cell, which refuses to be read,
 * and the copies made outside it (a case proof's, log case-proof.ts) change only what the index
 * does not count: `size`, and when denunciations took effect.
 *
 * Both routes give the same index (core/test/figure-cell.test.ts).
 */
export class FigureCell {
  /**
   * The cell of the copies `apply` hands an entry's transitions (request/apply.ts): reading it
   * throws. A transition's copies share its input's cell, and a reading of one of them, whose
   * records are half changed, would be kept as the input's index.
   */
  static readonly inTransition: FigureCell = new FigureCell(undefined, undefined, undefined, 0);

  private movedFromSize: number | undefined;
  /**
   * Once known: the state the index is of, which the cells after it move their index from. A
   * field of its own (#), which neither JSON nor a deep comparison of states reads: the state
   * holds this cell.
   */
  #of: UnfiguredState | undefined;

  private constructor(
    private known: FigureIndex | undefined,
    of: UnfiguredState | undefined,
    /** The cell of the state this one's was applied from, while the index is to be moved; undefined to count afresh. */
    private previous: FigureCell | undefined,
    /** Entries applied since the last index computed when this cell was made. */
    readonly pending: number,
  ) {
    this.#of = of;
  }

  /** A cell holding `index`, the index of `of`. */
  static holding(index: FigureIndex, of: UnfiguredState): FigureCell {
    return new FigureCell(index, of, undefined, 0);
  }

  /** The cell of `after`, the state one entry applied to `before` gives. */
  static after(before: State, after: UnfiguredState): FigureCell {
    const prior = before.figures;
    const pending = prior.known ? 1 : prior.pending + 1;
    const counting = (!prior.known && !prior.previous) || 2 * pending >= after.requests.size;
    if (counting) return new FigureCell(undefined, undefined, undefined, pending);
    const cell = new FigureCell(undefined, undefined, prior, pending);
    return pending >= FIGURES_PENDING_AT_MOST ? FigureCell.holding(cell.index(after), after) : cell;
  }

  /** The size of the state the index was moved from, once moved (for tests and diagnostics); undefined otherwise. */
  get movedFrom(): number | undefined {
    return this.movedFromSize;
  }

  /** Whether the index, when read, will be moved from an earlier state's (rather than counted afresh or already known). */
  get moving(): boolean {
    return this.previous !== undefined;
  }

  /** The index of `state`, a state holding this cell: computed on first call, then kept with `state`; the cells before are let go. */
  index(state: UnfiguredState): FigureIndex {
    if (this.known) return this.known;
    if (this === FigureCell.inTransition) throw new Error('the figure index of a state in the middle of an entry is read: the entry has not applied yet');
    if (this.previous) {
      // A moving cell's chain ends at a known index: the cells before it were moving or known, and a cell lets go of its predecessor only once known.
      let from = this.previous;
      while (!from.known) from = from.previous!;
      const base = from.#of!;
      this.known = nextFigureIndex(base, from.known, state);
      this.movedFromSize = base.size;
    } else this.known = buildFigureIndex(state);
    this.#of = state;
    this.previous = undefined;
    return this.known;
  }
}

/** A state's figure index: the statistics' sums, the open obligations, the reciprocal grants. */
export function figuresOf(state: State): FigureIndex {
  return state.figures.index(state);
}
