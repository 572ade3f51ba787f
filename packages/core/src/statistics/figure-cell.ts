import type { State } from '../request/state.ts';
import { FigureCount } from './figure-count.ts';
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
 * Entries that may pass before an index is computed or given up on with the next entry: it
 * bounds how long the chain of cells back to the last index known grows, and what moving the
 * figures at that entry, or at a reading, costs. Both hold the event loop: in the sustained
 * run (bench/sustained.bench.ts) a gateway compares the exchange's statistics every 30 s, some
 * 3,300 entries apart, and with chains of 4,096 a comparison moved them all at once (a stretch
 * of 277 ms under the profiler, 72 % of it `statistics`). Short chains spread the same work over
 * the entries: each end moves a few milliseconds' worth.
 */
export const FIGURES_PENDING_AT_MOST = 256;

/**
 * Chains of FIGURES_PENDING_AT_MOST entries that may pass, none of their states read, while the
 * index is still moved forward at the end of each chain: 262,144 entries. Someone who read a
 * history's figures is likely to read them again: a gateway compares the exchange's statistics
 * every 30 s, and under a batched flood of 5,000 appends a second that is some 590 chains
 * apart. Past this, the entries stop paying for the figures, and the next reading counts afresh.
 */
export const CHAINS_MOVED_AFTER_A_READING = 1_024;

/** What the cells of one chain share: whether a state of theirs was read, and how many chains back one last was. */
interface ChainMark {
  read: boolean;
  readlessChainsBefore: number;
  /** The count of the index the chain goes back to, while a holder drives it (`FigureCell.driveCount`): the chain's end is then moved by a step of it (figure-count.ts). */
  counting?: FigureCount;
}

/** The mark of a chain with no reading before it. */
const unreadChain = (): ChainMark => ({ read: false, readlessChainsBefore: Infinity });

/**
 * A state's figure index (figure-index.ts), computed when it is first read rather than as each
 * entry applies (issue 14, "verify+replay ≥ 12,000 entries/s"). Moving one entry's figures
 * cost about 20 µs of the 100 µs an entry took in packages/log/bench/verify-replay.bench.ts:
 * half of `apply`, for an index that `verify`, a replay from scratch and a gateway's first
 * start read once at the end, if at all.
 *
 * Each cell links to the cell of the state before it, for at most FIGURES_PENDING_AT_MOST
 * entries. A reading follows the links back to the nearest state whose index is known, and
 * chooses the cheaper of two routes; both are amortised O(1) per entry (issue 14, "incremental
 * views"):
 * - moved from that index: the figures of the records that changed since are moved
 *   (`nextFigureIndex` compares the two states' maps by their shared subtrees), O(entries
 *   since). Following the cells back, rather than keeping the index known when the cell was
 *   made, is what lets a reading start from any earlier reading, even one made after the cell:
 *   an exchange serves views at the sizes gateways verified, a little behind the states it has
 *   made since, and each of those readings must start from the one before;
 * - counted afresh from the records (`buildFigureIndex`), O(requests + trades), when no index
 *   is known within half as many entries back as there are requests, or the chain starts
 *   unknown. Counting costs about 12 µs a request (60 ms for that bench's 4,800 requests and
 *   600 trades), so the entries since pay at most about 24 µs each, near what moving their
 *   figures would have cost.
 * The entry that makes a chain FIGURES_PENDING_AT_MOST long ends it. If a state of the chain
 * was read, or one of the CHAINS_MOVED_AFTER_A_READING chains before, the index of the state it
 * applies to is moved from the nearest one known, and the next chain starts from it: readings of
 * a growing history then never count afresh (core/test/figure-cell.test.ts). Otherwise the next
 * chain starts unknown, and costs nothing until read. While the index the chain goes back to is
 * still counted a step at a time (a restart's, `driveCount`), the move is queued instead, and a
 * step of that count makes it once the index is counted (figure-count.ts).
 *
 * The choice was once made as each entry applied, and a chain that began to count afresh never
 * linked back: on a fresh exchange, whose first entries have almost no requests, every later
 * reading of a state behind the head then counted every request again, and the exchange's
 * event loop stalled 1.2 s at 45,000 entries (stop 47's sustained run).
 *
 * A cell keeps no state until its index is computed: it is given the state that reads it
 * (`figuresOf`). So a chain of unread cells keeps only the cells, and the states whose index
 * is known; the states between, and the trie paths they no longer share, go
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
  static readonly inTransition: FigureCell = new FigureCell(undefined, undefined, undefined, 0, unreadChain());

  private movedFromSize: number | undefined;
  /** The count of this cell's index, while it goes on (`counting`). */
  private count: FigureCount | undefined;
  /**
   * Once known: the state the index is of, which the cells after it move their index from. A
   * field of its own (#), which neither JSON nor a deep comparison of states reads: the state
   * holds this cell.
   */
  #of: UnfiguredState | undefined;

  private constructor(
    private known: FigureIndex | undefined,
    of: UnfiguredState | undefined,
    /** The cell of the state this one's was applied from; undefined once known, and for the first cell of a chain. */
    private previous: FigureCell | undefined,
    /** Entries applied since the last index known, or the start of the chain, when this cell was made. */
    readonly pending: number,
    private chain: ChainMark,
  ) {
    this.#of = of;
  }

  /** A cell holding `index`, the index of `of`: the first of a chain nobody has read yet. */
  static holding(index: FigureIndex, of: UnfiguredState): FigureCell {
    return new FigureCell(index, of, undefined, 0, unreadChain());
  }

  /**
   * A cell whose index is counted from its records when first read, or a step at a time by a
   * holder that drives the count (`driveCount`): that of a state restored from a snapshot. A
   * restart counted it before it served, 2.2 s at 10^6 entries (issue 14, "restart ≤ 2 s").
   * Undriven, it is the first cell of a chain nobody has read yet, as `holding` makes one.
   */
  static counting(of: UnfiguredState): FigureCell {
    const cell = new FigureCell(undefined, of, undefined, 0, unreadChain());
    cell.count = new FigureCount(of);
    return cell;
  }

  /**
   * The count of this cell's index, claimed by a holder that will run its steps between its
   * other work until it is done; undefined when there is nothing to count. A reading before the
   * count is over counts the rest at once. The chain counts as read from then on: a restored
   * service is read, and an index given up on with its chain would be counted afresh by the
   * first reading after it.
   */
  driveCount(): FigureCount | undefined {
    if (!this.count || this.count.done) return undefined;
    this.chain.read = true;
    this.chain.readlessChainsBefore = 0;
    this.chain.counting = this.count;
    return this.count.drive();
  }

  /** Whether reading this state's index now would wait for a count that a holder drives (`driveCount`): a periodic reader may come back later. */
  get waitsForCount(): boolean {
    return this.known === undefined && this.chain.counting?.busy === true;
  }

  /** The cell of the state one entry applied to `before` gives: it needs only `before`, whose index an entry that ends a chain may compute. */
  static after(before: State): FigureCell {
    const prior = before.figures;
    const pending = prior.known ? 1 : prior.pending + 1;
    if (pending < FIGURES_PENDING_AT_MOST) return new FigureCell(undefined, undefined, prior, pending, prior.chain);
    const mark = prior.chain;
    const count = mark.counting;
    if (count?.busy) {
      // The index this chain goes back to is being counted: its end is moved by a step of the
      // count once it is (figure-count.ts), unless a reading has computed it by then.
      count.later(() => {
        if (!prior.known) prior.computeFrom(prior.nearestKnown(before.requests.size), before);
      });
      const next: ChainMark = { read: false, readlessChainsBefore: 0, counting: count };
      prior.chain = next;
      return new FigureCell(undefined, undefined, prior, 1, next);
    }
    const next: ChainMark = { read: false, readlessChainsBefore: mark.read ? 0 : mark.readlessChainsBefore + 1 };
    const known = next.readlessChainsBefore < CHAINS_MOVED_AFTER_A_READING ? prior.nearestKnown(before.requests.size) : undefined;
    if (!known) return new FigureCell(undefined, undefined, undefined, 0, next);
    // The state the entry applied to is computed, not the one it gives: many entries may be
    // tried on the last state of a chain (a gateway's trials of the acts it offers, acts/act-check.ts),
    // and each would move the same figures again. The entry that follows takes its mark.
    prior.computeFrom(known, before);
    prior.chain = next;
    return new FigureCell(undefined, undefined, prior, 1, next);
  }

  /** The size of the state the index was moved from, once moved (for tests and diagnostics); undefined otherwise. */
  get movedFrom(): number | undefined {
    return this.movedFromSize;
  }

  /**
   * The index of this cell or of the nearest one before it that is known, or whose count is
   * over, without computing any: what a holder puts the cold nodes of on a shelf
   * (bag-shelving.ts). Undefined when no cell of the chain is known, or its index is still
   * being counted.
   */
  get latestKnown(): FigureIndex | undefined {
    let from: FigureCell | undefined = this;
    // A chain is at most FIGURES_PENDING_AT_MOST cells long; while a restart's count goes on, the
    // chains since link back to it, so this may pass every cell since the restart (the seconds a count takes).
    while (from !== undefined && from.known === undefined && from.count === undefined) from = from.previous;
    if (from?.known !== undefined) return from.known;
    return from?.count?.done === true ? from.settled() : undefined;
  }

  /** Whether the index is still to be computed, the cells before it known or not. */
  get waiting(): boolean {
    return this.known === undefined;
  }

  /**
   * The nearest cell at or before this one whose index is known, if moving from it is cheaper
   * than counting `requests` afresh: fewer than half as many entries back.
   */
  private nearestKnown(requests: number): FigureCell | undefined {
    let from: FigureCell | undefined = this;
    for (let back = 0; from && !from.known && !from.count; back++) {
      if (2 * back >= requests) return undefined;
      from = from.previous;
    }
    return from;
  }

  /** The index of a cell that `nearestKnown` found: known, or counted (the rest of the count done now). */
  private settled(): FigureIndex {
    if (!this.known) {
      this.known = this.count!.finish();
      this.count = undefined;
    }
    return this.known;
  }

  private computeFrom(known: FigureCell | undefined, state: UnfiguredState): FigureIndex {
    if (known === this) return this.settled();
    if (known) {
      const base = known.#of!;
      this.known = nextFigureIndex(base, known.settled(), state);
      this.movedFromSize = base.size;
    } else this.known = buildFigureIndex(state);
    this.#of = state;
    this.previous = undefined;
    return this.known;
  }

  /** The index of `state`, a state holding this cell: computed on first call, then kept with `state`; the cells before are let go. */
  index(state: UnfiguredState): FigureIndex {
    if (this.known) return this.known;
    if (this === FigureCell.inTransition) throw new Error('the figure index of a state in the middle of an entry is read: the entry has not applied yet');
    this.chain.read = true;
    return this.computeFrom(this.nearestKnown(state.requests.size), state);
  }
}

/** A state's figure index: the statistics' sums, the open obligations, the reciprocal grants. */
export function figuresOf(state: State): FigureIndex {
  return state.figures.index(state);
}
