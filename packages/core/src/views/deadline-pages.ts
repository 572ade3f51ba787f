import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';
import { compareUnits, judged, openObligations, type Deadline } from '../deadlines/deadlines.ts';
import { indexedObligation, questionsAfter } from '../deadlines/indexed-deadlines.ts';
import { BagObligation, bagPrefilter, judgedFrom, passingOver } from './bag-obligations.ts';
import { judgedDuty, tradeObligations, type IndexedTradeDeadline, type TradeDeadline } from '../deadlines/trade-deadlines.ts';
import { mapChanges } from '../request/persistent-map.ts';
import { bagCountBefore, bagCountBelow, bagEntriesFrom, bagEntryAt, bagSize, type PersistentBag } from '../statistics/persistent-bag.ts';
import { firstPassing } from '../statistics/censored-times.ts';
import type { FigureIndex } from '../statistics/figure-index.ts';
import { stoppedOrder, type IndexedObligation } from '../statistics/obligation-index.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import { getTrade } from '../trade/lifecycle/trade-state.ts';
import { PAGE_LIMIT } from './public-views.ts';
import type { TimedPage } from './incident-views.ts';

/**
 * Pages of the open obligations (issue 14, "every list is paginated, filters applied on the
 * server"), in the order of `deadlinesView`, soonest first. The exchange, each gateway's view
 * monitor and `verify` read the same page the same way, and compare. The cursor is a position
 * in the whole list, so a client that pins the `size` and `at` of its first page reads every
 * obligation exactly once.
 */

/** Obligations per page when the client does not say. */
export const DEADLINE_PAGE_DEFAULT = 50;

export type AnyDeadline = Deadline | TradeDeadline;

/** What a page of obligations can be narrowed to; every member given must hold. */
export interface DeadlineFilter {
  /** The party that owes the act. */
  readonly owedBy?: string | undefined;
  /** A party involved: either side of a request, any party of a trade. */
  readonly party?: string | undefined;
  /** Only the obligations overdue at the view's instant. */
  readonly overdue?: boolean | undefined;
  readonly kind?: string | undefined;
  /** Only this request's obligations. */
  readonly request?: string | undefined;
  /** Only this trade's obligations. */
  readonly trade?: string | undefined;
}

/** Whether `party` is involved in the obligation: a side of its request, or a party of its trade. */
export function involves(state: State, item: AnyDeadline, party: string): boolean {
  if ('request' in item) return item.requesting === party || item.requested === party;
  return getTrade(state.trades, item.trade)?.parties.includes(party) ?? false;
}

/** The filter as one test; an empty filter lets everything through. */
export function deadlineMatcher(state: State, filter: DeadlineFilter): (item: AnyDeadline) => boolean {
  return (item) =>
    (filter.owedBy === undefined || item.party === filter.owedBy) &&
    (filter.overdue !== true || item.overdue) &&
    (filter.kind === undefined || item.kind === filter.kind) &&
    (filter.request === undefined || ('request' in item && item.request === filter.request)) &&
    (filter.trade === undefined || ('trade' in item && item.trade === filter.trade)) &&
    (filter.party === undefined || involves(state, item, filter.party));
}

/** Obligations examined for one page at most: a sparse filter answers a short page and a `next`, never a walk of the whole list. */
export const DEADLINE_SCAN_BUDGET = 2_000;

/**
 * The obligations at `at` from position `from` that pass `filter` (and involve `involving`, when
 * given: a gateway shows its own state's), at most `limit` (and PAGE_LIMIT), in the order of
 * `deadlinesView`. They are read from the index the state keeps (statistics/obligation-index.ts
 * `obligations`, and `stopped` in the order of their time left), with the few computed at `at`
 * merged in by their positions: the open trades, and the stopped clocks of questions dated after
 * `at` (deadlines/indexed-deadlines.ts `questionsAfter`, the few an entry dated ahead of a
 * reader's clock brings), which keep no order with the others. So a page costs
 * O((page + q) · log n + log² n + log n · log q) for q such questions, whatever the log holds
 * and however many questions stop a clock. An obligation of the bags is read from its record
 * only when what its key and the pairs' bags tell lets it pass (bag-obligations.ts
 * `bagPrefilter`). `next` is the position of the next one that passes, or, when
 * DEADLINE_SCAN_BUDGET obligations were examined first, the position to go on from; null at
 * the end.
 */
export function deadlinesPage(state: State, at: UnixSeconds, filter: DeadlineFilter, from: number, limit: number = DEADLINE_PAGE_DEFAULT, involving?: string): TimedPage<AnyDeadline> {
  const length = Math.max(1, Math.min(limit, PAGE_LIMIT));
  const matches = deadlineMatcher(state, filter);
  const mayPass = bagPrefilter(state, at, filter, involving);
  const passes = (entry: OrderedObligation) =>
    (!(entry instanceof BagObligation) || mayPass(entry)) && matches(entry.item) && (involving === undefined || involves(state, entry.item, involving));
  const items: AnyDeadline[] = [];
  let position = from;
  let examined = 0;
  let next: string | null = null;
  for (const entry of orderedFrom(state, at, from)) {
    if (examined >= DEADLINE_SCAN_BUDGET || (items.length === length && passes(entry))) {
      next = String(position);
      break;
    }
    examined += 1;
    if (items.length < length && passes(entry)) items.push(entry.item);
    position += 1;
  }
  return { size: state.size, at, items, next };
}

/**
 * The stopped clocks at `at`, as a page reads them (obligation-index.ts `stopped`): those of the
 * questions at or before `at`, due at `at` plus their time left, keep the bag's order; those of
 * the questions after it (`questionsAfter`) are due at their question plus that time, and are
 * computed instead, like the trades, and passed over in the bag. `laterRanks` are the latter's
 * ranks in the bag, ascending.
 */
interface StoppedAt {
  readonly later: readonly { readonly key: string; readonly item: IndexedObligation }[];
  readonly laterKeys: ReadonlySet<string>;
  readonly laterRanks: readonly number[];
}

function stoppedAt(state: State, at: UnixSeconds): StoppedAt {
  const index = figuresOf(state);
  const later = questionsAfter(state, at);
  return {
    later,
    laterKeys: new Set(later.map(({ key }) => key)),
    laterRanks: later.map(({ key, item }) => bagCountBefore(index.stopped, stoppedOrder(item), key)).sort((a, b) => a - b),
  };
}

/** How many of the bag's first `rank` stopped clocks are of questions before the reading: `rank` less the later ones among them. */
function earlierAmong(stopped: StoppedAt, rank: number): number {
  return rank - firstPassing(stopped.laterRanks.length, (place) => stopped.laterRanks[place]! >= rank);
}

/** How many obligations the list of `deadlinesView` holds, at any instant: the requests' and the open trades', all indexed. */
export function obligationTotal(state: State): number {
  const index = figuresOf(state);
  return bagSize(index.obligations) + bagSize(index.stopped) + bagSize(index.tradeDuties);
}

/** An obligation with what orders it in `deadlinesView`: due, requests before trades at one instant, then key (the bags' ids). */
export interface OrderedObligation {
  readonly due: UnixSeconds;
  readonly trade: boolean;
  readonly key: string;
  readonly item: AnyDeadline;
}

export function byListOrder(a: OrderedObligation, b: OrderedObligation): number {
  return a.due - b.due || Number(a.trade) - Number(b.trade) || compareUnits(a.key, b.key);
}

/** A request's obligation under `key` as it stands at `at` (deadlines.ts `judged`), ordered by that due. */
export function judgedAt(key: string, item: IndexedObligation, at: UnixSeconds): OrderedObligation {
  const now = judged(item, at);
  return { due: now.due, trade: false, key, item: now };
}

/** A bag of trade obligations from `rank` on, as they stand at `at`. */
export function* dutiesFrom(bag: PersistentBag<IndexedTradeDeadline>, at: UnixSeconds, rank = 0): Generator<OrderedObligation> {
  for (const { id, item } of bagEntriesFrom(bag, rank)) yield { due: item.due, trade: true, key: id, item: judgedDuty(item, at) };
}

/**
 * How many of the obligations that keep their due (the requests' fixed ones and the trades')
 * come before a request's obligation due at `due` under `key`: a trade's due at the same
 * instant comes after it.
 */
function fixedBefore(index: FigureIndex, due: UnixSeconds, key: string): number {
  return bagCountBefore(index.obligations, due, key) + bagCountBelow(index.tradeDuties, due);
}

/**
 * The obligations that keep their due, from the `rank`-th on: the requests' fixed ones merged
 * with the trades'. Of the first `rank`, the trades' are as many as the first trade obligation
 * with `rank` or more before it (itself, and the requests' due at or before it), found by a
 * binary search: O(log² n) to start, O(log n) each after.
 */
function* fixedFrom(state: State, at: UnixSeconds, rank: number): Generator<OrderedObligation> {
  const index = figuresOf(state);
  const { obligations, tradeDuties } = index;
  const tradesBefore = firstPassing(Math.min(rank, bagSize(tradeDuties)), (place) => place + bagCountBelow(obligations, bagEntryAt(tradeDuties, place)!.value, true) >= rank);
  yield* inListOrder([judgedFrom(state, obligations, false, at, rank - tradesBefore), dutiesFrom(tradeDuties, at, tradesBefore)]);
}

/** Streams each in the list's order (`byListOrder`), merged into one in that order: of equal ones, the earlier stream's first. */
export function* inListOrder(streams: readonly Iterator<OrderedObligation>[]): Generator<OrderedObligation> {
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let least = -1;
    for (let place = 0; place < heads.length; place++) {
      const head = heads[place]!;
      if (!head.done && (least < 0 || byListOrder(head.value, (heads[least] as IteratorYieldResult<OrderedObligation>).value) < 0)) least = place;
    }
    if (least < 0) return;
    yield (heads[least] as IteratorYieldResult<OrderedObligation>).value;
    heads[least] = streams[least]!.next();
  }
}

/**
 * Every obligation at `at` from position `from`, in the order of `deadlinesView`: by due, requests
 * before trades, then key. Reaching position `from` costs O(log² n), each one after O(log n).
 */
export function* obligationsFrom(state: State, at: UnixSeconds, from: number): Generator<AnyDeadline> {
  for (const entry of orderedFrom(state, at, from)) yield entry.item;
}

/** `obligationsFrom`, each with what orders it, and those of the bags not yet read from their records (bag-obligations.ts). */
function* orderedFrom(state: State, at: UnixSeconds, from: number): Generator<OrderedObligation> {
  const index = figuresOf(state);
  const stopped = index.stopped;
  const clocks = stoppedAt(state, at);
  // Computed at the reading and merged in by position: the stopped clocks of later questions. Before its question, a
  // stopped clock is due as the index keeps it: at the question plus the time left then.
  const computed = clocks.later.map(({ key, item }) => judgedAt(key, item, at)).sort(byListOrder);
  // Each computed one's position in the whole order: those before it, plus the indexed ones before it, fixed or of an earlier question.
  const positions = computed.map((entry, place) => place + fixedBefore(index, entry.due, entry.key) + earlierAmong(clocks, bagCountBefore(stopped, entry.due - at, entry.key)));
  let taken = positions.filter((position) => position < from).length;
  // Of the indexed ones before `from`, how many are stopped: a stopped one's place among them grows with its rank, so a binary
  // search finds the first at or after `from`. It may land on a later question's clock, which the walk passes over.
  const indexedBefore = from - taken;
  const startRank = firstPassing(bagSize(stopped), (rank) => {
    const { value, id } = bagEntryAt(stopped, rank)!;
    return earlierAmong(clocks, rank) + fixedBefore(index, at + value, id) >= indexedBefore;
  });
  const fixed = fixedFrom(state, at, indexedBefore - earlierAmong(clocks, startRank));
  const moving = judgedFrom(state, stopped, true, at, startRank, clocks.laterKeys);
  let nextFixed = fixed.next();
  let nextMoving = moving.next();
  for (let position = from; ; position++) {
    if (taken < computed.length && positions[taken] === position) yield computed[taken++]!;
    else if (!nextMoving.done && (nextFixed.done || byListOrder(nextMoving.value, nextFixed.value) < 0)) {
      yield nextMoving.value;
      nextMoving = moving.next();
    } else if (!nextFixed.done) {
      yield nextFixed.value;
      nextFixed = fixed.next();
    } else return;
  }
}

/**
 * The obligations at `at` whose due instant is in (`after`, `upTo`], soonest first: those that
 * came within a notice period since `after` (a gateway's "deadline-soon" webhooks). Read from
 * the index from the first due after `after`, so the cost is what comes due, plus the few
 * computed at the reading; never the open obligations as a whole.
 */
export function obligationsComingDue(state: State, at: UnixSeconds, after: UnixSeconds, upTo: UnixSeconds): AnyDeadline[] {
  const index = figuresOf(state);
  const out: AnyDeadline[] = [];
  // A fixed obligation's value in the bag is its due.
  for (const { value, id } of bagEntriesFrom(index.obligations, bagCountBelow(index.obligations, after, true))) {
    if (value > upTo) break;
    out.push(judged(indexedObligation(state, id), at));
  }
  const within = (item: AnyDeadline) => item.due > after && item.due <= upTo;
  const clocks = stoppedAt(state, at);
  // Of earlier questions: due at `at` plus their time left.
  for (const { value, id } of passingOver(bagEntriesFrom(index.stopped, bagCountBelow(index.stopped, after - at, true)), clocks.laterKeys)) {
    if (at + value > upTo) break;
    out.push(judged(indexedObligation(state, id), at));
  }
  out.push(...clocks.later.map(({ item }) => judged(item, at)).filter(within));
  for (const { item } of dutiesFrom(index.tradeDuties, at, bagCountBelow(index.tradeDuties, after, true))) {
    if (item.due > upTo) break;
    out.push(item);
  }
  return out.sort((a, b) => a.due - b.due);
}

/**
 * The open obligations, at `at`, of the requests and trades that differ between `before` and
 * `after` (compared by identity, so the cost is what changed): how a notifier finds an
 * obligation created already inside its notice period, which `obligationsComingDue` would
 * not show it again.
 */
export function obligationsChangedSince(before: State, after: State, at: UnixSeconds): AnyDeadline[] {
  const treaty = after.treaty;
  if (!treaty) return [];
  const out: AnyDeadline[] = [];
  if (after.requests !== before.requests) {
    for (const { after: record } of mapChanges(before.requests, after.requests)) if (record) out.push(...openObligations(treaty, record, at));
  }
  if (after.trades.byId !== before.trades.byId) {
    for (const { after: trade } of mapChanges(before.trades.byId, after.trades.byId)) if (trade) out.push(...tradeObligations(treaty, trade, at));
  }
  return out;
}
