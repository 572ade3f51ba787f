import { compareUnits, getRequest, linksOf, obligationsFrom, obligationTotal, openObligations, requestAt, requestOfIncident, getIncident, type AnyDeadline, type RequestRecord, type State } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import { requestRow, type RequestRow } from './request-views.ts';
import { scanPage, SCAN_BUDGET, SCAN_STOP } from './scan-page.ts';

/** What the console asks of the list: the filters, the order and the page (issue 15). */
export interface RequestQuery {
  readonly direction?: string;
  readonly status?: string;
  /** `filed` (the default), `filed-desc`, or `due`: soonest open obligation first. */
  readonly sort?: string;
  /** Words to find in the id, the pseudonym, the counterpart and the offences (ids and titles), and in the sealed members this state can open (`SealedSearch`). */
  readonly q?: string;
  /** Whose act the next deadline awaits: "us" or "them". */
  readonly owed?: string;
  readonly overdue?: boolean;
  readonly counterpart?: string;
  /** Only the requests that name this incident (issue 17), read from the incident index. */
  readonly incident?: string;
  /** Where to go on: the `next` of the previous page. */
  readonly after?: string;
  readonly limit?: number;
}

/** Rows per page by default, and at most (issue 14: every list is paginated, at most 200). */
export const REQUEST_PAGE = { default: 50, max: 200 } as const;

/**
 * Entries whose sealed members one page may open to look for the words (issue 14: "for a
 * gateway's officials, over the sealed fields they may read"): a request's whole history at a
 * time, so the last request may take a page a little beyond it. Opening one reads the entry
 * and decrypts it. Measured over loopback on 2 cores, a page that opened 100 filings took 65
 * to 84 ms the first time and 2 ms from the gateway's cache of opened members; the page goes on
 * from there on the next.
 */
export const SEALED_SCAN_BUDGET = 100;

/** How the search reads the sealed members of a request: what this state can open of them, as text, and which entries that was; undefined for none (or erased). */
export type SealedText = (record: RequestRecord) => Promise<{ readonly text: string; readonly entries: readonly number[] } | undefined>;

/** A request that matched on its sealed members: whose members the page opened to find it, to be audited. */
export interface SealedMatch {
  readonly request: string;
  readonly entries: readonly number[];
}

/** A cursor into the list of open obligations (sort=due) reads `d<position>`; any other is a filing position. */
const DUE_CURSOR = /^d(0|[1-9]\d{0,8})$/;

export interface RequestPage {
  readonly size: number;
  readonly items: RequestRow[];
  readonly next: string | null;
  /** The rows that matched on sealed members (`q` found only there). */
  readonly sealedMatches: readonly SealedMatch[];
}

/**
 * Requests this state is a party to, filtered on the server and cut into a page whose cost is
 * bounded whatever the log holds (issue 14): the walk goes in filing order (or backward, or by
 * the list of open obligations for `due`) from the cursor, and stops after `limit` matches or
 * SCAN_BUDGET requests examined, answering where to go on. A sparse filter may so answer fewer
 * than `limit` rows with a `next`; no count of all matches is given, since counting is a walk of
 * every request. An incident's requests are walked from the incident's own index.
 */
export async function searchOwnRequests(state: State, party: string, now: number, query: RequestQuery, sealedText?: SealedText): Promise<RequestPage> {
  const limit = Math.min(REQUEST_PAGE.max, Math.max(1, query.limit ?? REQUEST_PAGE.default));
  const sealedMatches: SealedMatch[] = [];
  const accept = requestFilter(state, party, now, query, sealedText && { text: sealedText, budget: SEALED_SCAN_BUDGET, matches: sealedMatches });
  const after = query.after ?? '';
  if (query.sort === 'due') return { ...(await soonestDue(state, now, accept, after, limit)), sealedMatches };
  if (DUE_CURSOR.test(after)) throw new ServiceError('BAD_REQUEST', 'query.after: a cursor of the `due` order; ask again with sort=due, or from the first page', 'query.after');
  const walk = filingWalk(state, query.incident, query.sort === 'filed-desc' ? -1 : 1);
  const scanned = await scanPage(walk.start(after), walk.step, walk.inRange, (position) => accept(walk.at(position)), limit);
  return { size: state.size, items: scanned.items, next: scanned.next === null ? null : String(scanned.next), sealedMatches };
}

type Accept = (record: RequestRecord | undefined) => RequestRow | undefined | typeof SCAN_STOP | Promise<RequestRow | undefined | typeof SCAN_STOP>;

/**
 * The test every row of the list passes: the record's own fields first, then those of its row
 * (its next deadline), and last, for words its public fields lack, its sealed members (what
 * this state can open of them), while the page's SEALED_SCAN_BUDGET lasts.
 */
function requestFilter(state: State, party: string, now: number, query: RequestQuery, sealed?: { readonly text: SealedText; budget: number; readonly matches: SealedMatch[] }): Accept {
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const titles = new Map((state.treaty?.offences ?? []).map((offence) => [offence.id, `${offence.title} ${offence.titleRu ?? ''}`.toLowerCase()]));
  const text = (record: RequestRecord) => [record.id, record.pseudonym, record.view.requesting, record.view.requested, ...record.view.offences.flatMap((offence) => [offence, titles.get(offence) ?? ''])].join(' ').toLowerCase();
  return (record) => {
    if (!record) return undefined;
    const { requesting, requested } = record.view;
    if (requesting !== party && requested !== party) return undefined;
    if (query.status && record.status !== query.status) return undefined;
    if (query.incident && !linksOf(state.incidents, record.id).incidents.includes(query.incident)) return undefined;
    const haystack = words.length > 0 ? text(record) : '';
    const inPublic = words.every((word) => haystack.includes(word));
    // Words the public fields lack are looked for in the sealed members, when this search may open them.
    const searchSealed = inPublic ? undefined : sealed;
    if (!inPublic && !searchSealed) return undefined;
    const row = requestRow(state, party, record, now);
    if (query.direction && query.direction !== 'all' && row.direction !== query.direction) return undefined;
    if (query.counterpart && row.counterpart !== query.counterpart) return undefined;
    if (query.owed && (row.nextDeadline === null || (query.owed === 'us') !== (row.nextDeadline.party === party))) return undefined;
    if (query.overdue && (row.nextDeadline === null || row.nextDeadline.due >= now)) return undefined;
    if (!searchSealed) return row;
    if (searchSealed.budget <= 0) return SCAN_STOP;
    searchSealed.budget -= record.history.length;
    return searchSealed.text(record).then((opened) => {
      if (!opened || !words.every((word) => haystack.includes(word) || opened.text.includes(word))) return undefined;
      searchSealed.matches.push({ request: record.id, entries: opened.entries });
      return row;
    });
  };
}

interface Walk {
  readonly step: 1 | -1;
  start(after: string): number;
  inRange(position: number): boolean;
  at(position: number): RequestRecord | undefined;
}

/** Requests in filing order, forward or backward: every request, or an incident's from its own index. */
function filingWalk(state: State, incident: string | undefined, step: 1 | -1): Walk {
  const count = incident === undefined ? state.requestIds.size : (getIncident(state.incidents, incident)?.requestCount ?? 0);
  const at = incident === undefined ? (position: number) => requestAt(state, position) : (position: number) => {
    const id = requestOfIncident(state.incidents, incident, position);
    return id === undefined ? undefined : getRequest(state, id);
  };
  return {
    step,
    // Backward, the first page starts at the newest request.
    start: (after) => (after === '' ? (step === 1 ? 0 : count - 1) : position(after, count)),
    inRange: (position) => position >= 0 && position < count,
    at,
  };
}

/** A filing position from a cursor; one past the list is the end, anything else a 400. */
function position(after: string, count: number): number {
  if (!/^(0|[1-9]\d{0,8})$/.test(after)) throw new ServiceError('BAD_REQUEST', `query.after: expected the \`next\` of a previous page, found "${after}"`, 'query.after');
  const value = Number(after);
  if (value > count) throw new ServiceError('BAD_REQUEST', `query.after: position ${value} is past the end of the list (${count})`, 'query.after');
  return value;
}

/**
 * `sort=due`: requests with an open obligation, soonest first, read from the core's list of
 * open obligations (already sorted by due), each at its soonest one; then those with none, in
 * filing order. The list is walked from the cursor's position (core `obligationsFrom`), never
 * built whole (issue 14: the erasures a five-year retention keeps open make it grow with
 * history). The budget covers both parts of a page.
 */
async function soonestDue(state: State, now: number, accept: Accept, after: string, limit: number): Promise<Omit<RequestPage, 'sealedMatches'>> {
  const treaty = state.treaty;
  const filed = filingWalk(state, undefined, 1);
  const openRow = (record: RequestRecord | undefined) => (record && treaty && openObligations(treaty, record, now).length === 0 ? undefined : accept(record));
  const closedRow = (record: RequestRecord | undefined) => (record && treaty && openObligations(treaty, record, now).length > 0 ? undefined : accept(record));
  let budget = SCAN_BUDGET;
  const items: RequestRow[] = [];
  // A malformed cursor is refused by `start`, naming the field.
  let start = after === '' || DUE_CURSOR.test(after) ? 0 : filed.start(after);
  if (after === '' || DUE_CURSOR.test(after)) {
    const from = after === '' ? 0 : Number(after.slice(1));
    const total = obligationTotal(state);
    if (from > total) throw new ServiceError('BAD_REQUEST', `query.after: position ${from} is past the end of the open obligations (${total})`, 'query.after');
    // From the one before `from`, which the first examined is compared with; scanPage asks the positions in order.
    const walk = obligationsFrom(state, now, Math.max(0, from - 1));
    let previous: AnyDeadline | undefined = from > 0 ? (walk.next().value ?? undefined) : undefined;
    const due = await scanPage(from, 1, (position) => position < total, () => {
      const item = walk.next().value;
      const before = previous;
      previous = item ?? undefined;
      if (!item || !('request' in item)) return undefined;
      const record = getRequest(state, item.request);
      // A request is listed once, at its soonest obligation: the first of its own in the sorted
      // list. Two of one request due at one instant with one kind (each party's erasure) sit side
      // by side there, so only the first of them counts.
      const repeated = before !== undefined && 'request' in before && before.request === item.request && before.due === item.due && before.kind === item.kind;
      return record && treaty && !repeated && soonest(openObligations(treaty, record, now)) === `${item.due} ${item.kind}` ? openRow(record) : undefined;
    }, limit, budget);
    items.push(...due.items);
    if (due.next !== null) return { size: state.size, items, next: `d${due.next}` };
    budget -= total - from;
    start = 0;
  }
  if (items.length >= limit || budget <= 0) return { size: state.size, items, next: filed.inRange(start) ? String(start) : null };
  const rest = await scanPage(start, 1, filed.inRange, (position) => closedRow(filed.at(position)), limit - items.length, budget);
  items.push(...rest.items);
  return { size: state.size, items, next: rest.next === null ? null : String(rest.next) };
}

/** A request's soonest obligation as the core's list orders it: by due, then by kind in UTF-16 code units (core deadlines.ts `byDue`). */
function soonest(obligations: readonly { readonly due: number; readonly kind: string }[]): string | undefined {
  let best: { readonly due: number; readonly kind: string } | undefined;
  for (const item of obligations) if (!best || item.due < best.due || (item.due === best.due && compareUnits(item.kind, best.kind) < 0)) best = item;
  return best && `${best.due} ${best.kind}`;
}
