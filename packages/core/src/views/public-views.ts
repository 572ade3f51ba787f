import type { UnixSeconds } from '../time.ts';
import { mapGet } from '../request/persistent-map.ts';
import { requestAt, type State } from '../request/state.ts';
import { summarizeRequest, type RequestSummary } from '../request/summary.ts';
import type { Deadline } from '../deadlines/deadlines.ts';
import { deadlines } from '../deadlines/indexed-deadlines.ts';
import { tradeDeadlines, type TradeDeadline } from '../deadlines/trade-deadlines.ts';
import { statistics, type PairStatistics } from '../statistics/statistics.ts';
import type { TradeBook, TradeRecord } from '../trade/lifecycle/trade-state.ts';

/**
 * The exchange's public views (DESIGN.md "derived public views"), as pure functions of the
 * state at a size, so that the exchange serves them and every gateway and `verify` recompute
 * them from their own replay at the size the view states, and compare (issue 12, "public
 * views checked at the size they state"). Lists come in pages of at most PAGE_LIMIT, by a
 * cursor that is a position in filing (or proposal) order: a page costs its own length.
 */
export const PAGE_LIMIT = 200;

export interface Page<T> {
  /** The log size the view was computed at. */
  readonly size: number;
  readonly items: readonly T[];
  /** The cursor of the next page, or null at the end. */
  readonly next: string | null;
}

/** What the public may see of a request: no official's id, no sealed field (they never reach the state). */
export function publicRequest(summary: RequestSummary) {
  const { view } = summary;
  return {
    id: summary.id,
    subject: summary.pseudonym,
    requesting: view.requesting,
    requested: view.requested,
    kind: view.kind,
    purpose: view.purpose,
    offences: view.offences,
    filedAt: view.filedAt,
    status: summary.status,
    decision: summary.decision && { kind: summary.decision.kind, at: summary.decision.at, ground: summary.decision.ground, assurances: summary.decision.assurances, onReciprocity: summary.decision.onReciprocity },
    history: summary.history,
    evaluation: summary.evaluation && {
      extraditable: summary.evaluation.extraditable,
      mandatoryRefusals: summary.evaluation.mandatoryRefusals,
      availableGrounds: summary.evaluation.availableGrounds,
      mirroredGrounds: summary.evaluation.mirroredGrounds,
      rules: summary.evaluation.rules,
    },
  };
}

/** What anyone may see of a trade: parties, legs by pseudonym, status and breaches. */
export function publicTrade(trade: TradeRecord) {
  return {
    id: trade.id,
    status: trade.status,
    proposedBy: trade.proposedBy,
    proposedAt: trade.proposedAt,
    coordinator: trade.coordinator,
    deadline: trade.deadline,
    parties: trade.parties,
    signedBy: trade.signedBy,
    legs: trade.legs.map((leg) => ({ kind: leg.kind, request: leg.request, from: leg.from, to: leg.to, subject: leg.subject, reason: leg.reason, weight: leg.weight, attestedAt: leg.attestedAt, surrenderedAt: leg.surrenderedAt, receivedAt: leg.receivedAt })),
    committedAt: trade.committedAt,
    completedAt: trade.completedAt,
    abortedAt: trade.abortedAt,
    abortedBy: trade.abortedBy,
    breaches: trade.breaches,
    history: trade.history,
  };
}

/** Parses a page cursor (a position); undefined when it is not one. */
export function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  return /^(0|[1-9]\d{0,15})$/.test(cursor) ? Number(cursor) : undefined;
}

/** A page of the items at positions `from`…, at most `limit` (and PAGE_LIMIT), each found by `lookup`. */
export function pageOf<T>(state: State, ids: { readonly size: number }, lookup: (position: number) => T | undefined, from: number, limit: number): Page<T> {
  const end = Math.min(ids.size, from + Math.max(1, Math.min(limit, PAGE_LIMIT)));
  const items: T[] = [];
  for (let position = from; position < end; position++) {
    const item = lookup(position);
    if (item !== undefined) items.push(item);
  }
  return { size: state.size, items, next: end < ids.size ? String(end) : null };
}

/** One page of requests, in filing order, from the position `from`. */
export function requestsPage(state: State, from: number, limit: number = PAGE_LIMIT): Page<ReturnType<typeof publicRequest>> {
  return pageOf(state, state.requestIds, (position) => {
    const record = requestAt(state, position);
    return record && publicRequest(summarizeRequest(state, record));
  }, from, limit);
}

/** The trade proposed `position`-th (0-based), as the trade book's order index holds it. */
export function tradeAt(book: TradeBook, position: number): TradeRecord | undefined {
  const id = mapGet(book.ids, String(position));
  return id === undefined ? undefined : mapGet(book.byId, id);
}

/** One page of trades, in order of proposal, from the position `from`. */
export function tradesPage(state: State, from: number, limit: number = PAGE_LIMIT): Page<ReturnType<typeof publicTrade>> {
  return pageOf(state, state.trades.ids, (position) => {
    const trade = tradeAt(state.trades, position);
    return trade && publicTrade(trade);
  }, from, limit);
}

export interface TimedView<T> {
  readonly size: number;
  readonly at: UnixSeconds;
  readonly items: readonly T[];
}

/**
 * The last view computed per state and instant. A state never changes (request/state.ts), so a
 * view of it at one instant is a constant: the pages of one view, and the gateways asking at
 * the size and instant the exchange stated, are then served without counting again. Keyed
 * weakly, so a state nobody holds any more takes its views with it.
 */
function lastView<T>(): (state: State, at: UnixSeconds, compute: () => T) => T {
  const memo = new WeakMap<State, { at: UnixSeconds; view: T }>();
  return (state, at, compute) => {
    const kept = memo.get(state);
    if (kept && kept.at === at) return kept.view;
    const view = compute();
    memo.set(state, { at, view });
    return view;
  };
}

const deadlinesMemo = lastView<TimedView<Deadline | TradeDeadline>>();
const statisticsMemo = lastView<StatisticsView>();

/** Every open obligation of requests and trades at `at`, soonest first. */
export function deadlinesView(state: State, at: UnixSeconds): TimedView<Deadline | TradeDeadline> {
  return deadlinesMemo(state, at, () => ({ size: state.size, at, items: [...deadlines(state, at), ...tradeDeadlines(state, at)].sort((a, b) => a.due - b.due) }));
}

export interface StatisticsView {
  readonly size: number;
  readonly at: UnixSeconds;
  readonly pairs: readonly PairStatistics[];
}

export function statisticsView(state: State, at: UnixSeconds): StatisticsView {
  return statisticsMemo(state, at, () => ({ size: state.size, at, pairs: statistics(state, at) }));
}
