import type { State } from '../request/state.ts';
import type { Deadline } from '../deadlines/deadlines.ts';
import type { TradeDeadline } from '../deadlines/trade-deadlines.ts';
import { getTrade } from '../trade/lifecycle/trade-state.ts';
import { PAGE_LIMIT, type TimedView } from './public-views.ts';
import type { TimedPage } from './incident-views.ts';

/**
 * Pages of the open obligations (issue 14, "every list is paginated, filters applied on the
 * server"). The list itself comes from `deadlinesView` (or the gateway's own cut of it), soonest
 * first; a page is cut from it here, so that the exchange, each gateway's view monitor and
 * `verify` cut the same page from the same list and can compare them. The cursor is a position
 * in that list, so a client that pins the `size` and `at` of its first page reads every
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

/**
 * The obligations of `view` from position `from` that pass `filter`, at most `limit` (and
 * PAGE_LIMIT). `next` is the position of the next one that passes, or null when none does, so
 * a page is never followed by an empty one.
 */
export function deadlinesPage<T extends AnyDeadline>(state: State, view: TimedView<T>, filter: DeadlineFilter, from: number, limit: number = DEADLINE_PAGE_DEFAULT): TimedPage<T> {
  const length = Math.max(1, Math.min(limit, PAGE_LIMIT));
  const passes = deadlineMatcher(state, filter);
  const items: T[] = [];
  let position = from;
  for (; position < view.items.length && items.length < length; position++) {
    const item = view.items[position]!;
    if (passes(item)) items.push(item);
  }
  while (position < view.items.length && !passes(view.items[position]!)) position++;
  return { size: view.size, at: view.at, items, next: position < view.items.length ? String(position) : null };
}
