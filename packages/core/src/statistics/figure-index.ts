import type { Treaty } from '../treaty/schema.ts';
import { emptyMap, mapChanges, mapDelete, mapFromEntries, mapGet, mapSet, mapValues, type PersistentMap } from '../request/persistent-map.ts';
import { ENDED, type RequestRecord, type State } from '../request/state.ts';
import { handedOverAt, type TradeLeg, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { getIncident, groupKey, linksOf, type IncidentBook } from '../incidents/incident-book.ts';
import { EMPTY_BAG, bagAdd, bagFromElements, bagRemove, bagSize, emptyBag, inOneEdit, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { indexableObligations, type Deadline } from '../deadlines/deadlines.ts';
import { timelessFigures, type TimelessFigures } from './request-figures.ts';
import { countsChange } from './figure-counts.ts';
import { finishedSums, moveSums, newSums, NO_SUMS, sameFigures, tallySums, type FigureSums, type SumsTally } from './figure-sums.ts';

/**
 * The statistics and the open obligations, kept as each entry applies (issue 14, "incremental
 * views"), so that reading them costs a few lookups per pair, never the history nor the open
 * cases.
 *
 * A request's figures turn on the instant they are read at in two ways only: a deadline runs
 * out (unacknowledged, unanswered, a prosecution report or data overdue), and a pending
 * request's wait grows. So each request is counted once as entries apply, whatever the
 * instant (request-figures.ts `timelessFigures`), into its pair's running sums: the counts,
 * the due instant of each deadline it has running, and its filing while it is pending, each
 * kind of instant in a sorted bag. A reading counts the deadlines run out by its instant and
 * reads the waits from the filings (censored-times.ts), in O(log n) lookups each. A decision
 * clock stopped by an open request for information runs out at no instant while stopped, so
 * it adds no deadline. A trade's breach counts from the instant it was called off, so those
 * instants are kept sorted and counted up to the reading's instant.
 *
 * Every update is O(what the entries since the last one changed): the changed requests and
 * trades are found by comparing the two versions of their persistent maps (persistent-map.ts
 * `mapChanges`). A state computes its index when first read (figure-cell.ts). Only a new
 * treaty in force rebuilds the index, since its periods change every request's figures.
 */
export interface PairIndex extends FigureSums {
  readonly requesting: string;
  readonly requested: string;
  /** When each trade with a breach against this pair (see statistics.ts) was called off, one element per trade. */
  readonly breaches: PersistentBag;
  readonly receiptsUnconfirmed: PersistentBag;
}

export interface FigureIndex {
  /** The treaty the sums were counted under: a new one in force means a rebuild. */
  readonly treaty: Treaty | undefined;
  /** By `requesting>requested`. */
  readonly pairs: Readonly<Record<string, PairIndex>>;
  /**
   * The grants conditional on reciprocity still in that status (`isReciprocalGrant`): what
   * a clearing round and a console's trade pool start from (trade/lifecycle/clearing-pool.ts),
   * read here instead of every open request (issue 14: at 10^6 entries, 120,255 of them).
   */
  readonly grants: PersistentMap<true>;
  /**
   * The open obligations of the requests (deadlines/deadlines.ts), soonest first, as they stand
   * whatever the instant: due, then request, kind and place (`obligationKey`). Whether one is
   * overdue is judged at the reading.
   */
  readonly obligations: PersistentBag<IndexedObligation>;
  /**
   * The obligations whose clock an open request for information stops (deadlines/clocks.ts
   * `withInfoPauses`; only a decision's), apart from `obligations`: each is due, at a reading,
   * the time it had left when the question came after the later of the question and the
   * reading (deadlines.ts `judged`). So at any reading later than every question they keep one
   * order, that of the time left, by which they are kept here (`stoppedOrder`), and a page
   * merges them with `obligations` in O(log n) lookups, never a walk of them all (issue 14).
   * At a reading before some questions, those few are still running and are computed apart
   * (deadlines.ts `questionsAfter`); the others keep this order.
   */
  readonly stopped: PersistentBag<IndexedObligation>;
  /**
   * The same obligations by the instant of their question, the latest last: whether a reading
   * comes after every question, and which questions came after a reading before some of them
   * (deadlines.ts `questionsAfter`), each with its obligation (a bag node has room for it).
   */
  readonly stoppedSince: PersistentBag<IndexedObligation>;
  /**
   * The requests' open obligations again, per ordered pair of who owes them and to whom
   * (`owedKey`), fixed and stopped apart as above: a state's side of the list (its inbox,
   * views/party-obligations.ts) is read and counted from its pairs (issue 14), so that another
   * state's backlog never stands between a state and its own obligations.
   */
  readonly owedBetween: Readonly<Record<string, OwedBetween>>;
  /**
   * The open obligations that run in hours (`runsInHours`: an emergency's acknowledgement,
   * decision, answer and delivery), by due: an inbox lists every one first (issue 17), however
   * long the list before them. Few: an emergency's duties end in hours.
   */
  readonly emergencies: PersistentBag<IndexedObligation>;
  /**
   * The same sums per incident and per group (statistics/incident-statistics.ts, issue 17), by
   * scope (`incidentScope`, `groupScope`): a request's incidents are named at its filing and an
   * incident's group at its registration, so the scopes a request counts in never change.
   */
  readonly scopes: PersistentMap<ScopeIndex>;
}

/** The open obligations that one party owes another on their requests (`FigureIndex.owedBetween`). */
export interface OwedBetween {
  readonly by: string;
  readonly to: string;
  readonly fixed: PersistentBag<IndexedObligation>;
  readonly stopped: PersistentBag<IndexedObligation>;
}

/** The key of what `by` owes `to` in `owedBetween`. */
export function owedKey(by: string, to: string): string {
  return `${by}>${to}`;
}

/** The obligations of an emergency that run in its hours (Second Additional Protocol arts. 9-10); its later duties (erasure, years on) are ordinary. */
const IN_HOURS: ReadonlySet<string> = new Set(['acknowledge', 'decide', 'reply-to-info-request', 'provide']);
/** Whether an obligation of this kind, on a request of this kind, runs in hours: an emergency's. */
export function runsInHours(kind: string, requestKind: string | undefined): boolean {
  return requestKind === 'emergency-disclosure' && IN_HOURS.has(kind);
}

/** The sums of an incident's or a group's requests, in all and per ordered pair. */
export interface ScopeIndex {
  readonly all: FigureSums;
  readonly pairs: Readonly<Record<string, FigureSums>>;
}

export function emptyFigureIndex(treaty?: Treaty): FigureIndex {
  return { treaty, pairs: {}, grants: emptyMap(), obligations: emptyBag(), stopped: emptyBag(), stoppedSince: emptyBag(), owedBetween: {}, emergencies: emptyBag(), scopes: emptyMap() };
}

/** An obligation as the index keeps it: without `overdue`, which depends on the instant it is read at. */
export type IndexedObligation = Omit<Deadline, 'overdue'>;

/**
 * The order of obligations with one due instant: by request, then kind, then their order in
 * `openObligations` (the erasure of each party), in UTF-16 code units rather than a locale's
 * collation, so that every party sorts alike whatever its runtime.
 */
export function obligationKey(request: string, kind: string, place: number): string {
  // Joined, not concatenated: V8 makes a concatenation this long a pair of pointers to its
  // parts, and a key used in a map also gets a flat copy, which the pair then points to; the
  // bags keep each key for as long as its obligation is open, 32 bytes more each (issue 14,
  // memory per entry). A join writes one flat string.
  return [request, kind, String(place).padStart(4, '0')].join('\u0000');
}

/** The time a stopped obligation had left when its question came: its place in `stopped`. */
export function stoppedOrder(item: IndexedObligation): number {
  return item.due - item.pausedSince!;
}

/** A request's obligations as the index keeps them (`obligations` or `stopped`), each under its key. */
function indexedObligations(treaty: Treaty, record: RequestRecord | undefined): Map<string, IndexedObligation> {
  const out = new Map<string, IndexedObligation>();
  if (!record || !mayOwe(record)) return out;
  indexableObligations(treaty, record).forEach((item, place) => out.set(obligationKey(item.request, item.kind, place), item));
  return out;
}

function sameObligation(a: IndexedObligation, b: IndexedObligation): boolean {
  return a.due === b.due && a.party === b.party && a.since === b.since && a.article === b.article && a.pausedSince === b.pausedSince && a.requesting === b.requesting && a.requested === b.requested;
}

/** The party that is owed an obligation: the other side of its request. */
export function owedTo(item: IndexedObligation): string {
  return item.party === item.requesting ? item.requested : item.requesting;
}

/**
 * The index with one obligation put in (`sign` 1) or taken out (-1): in `stopped` if its clock is
 * stopped, else in `obligations`; the same in its pair's bags (`owedBetween`); and in
 * `emergencies` when it runs in hours (`inHours`).
 */
function editObligation(index: FigureIndex, key: string, item: IndexedObligation, sign: 1 | -1, inHours: boolean): FigureIndex {
  const edit = (bag: PersistentBag<IndexedObligation>, value: number) => (sign === 1 ? bagAdd(bag, value, key, item) : bagRemove(bag, value, key));
  const to = owedTo(item);
  const pairKey = owedKey(item.party, to);
  const pair = index.owedBetween[pairKey] ?? { by: item.party, to, fixed: emptyBag<IndexedObligation>(), stopped: emptyBag<IndexedObligation>() };
  const stopped = item.pausedSince !== undefined;
  const order = stopped ? stoppedOrder(item) : item.due;
  const edited = stopped ? { ...pair, stopped: edit(pair.stopped, order) } : { ...pair, fixed: edit(pair.fixed, order) };
  const owedBetween = { ...index.owedBetween, [pairKey]: edited };
  // A pair that owes nothing more is left out, as `buildFigureIndex` leaves it out.
  if (bagSize(edited.fixed) + bagSize(edited.stopped) === 0) delete owedBetween[pairKey];
  const emergencies = inHours ? edit(index.emergencies, item.due) : index.emergencies;
  if (!stopped) return { ...index, owedBetween, emergencies, obligations: edit(index.obligations, order) };
  return { ...index, owedBetween, emergencies, stopped: edit(index.stopped, order), stoppedSince: edit(index.stoppedSince, item.pausedSince!) };
}

/**
 * Moves a request's obligations from what `before` owed to what `after` owes. Only those that
 * changed are taken out and put in: most entries leave some of a request's obligations as
 * they were (a decision still due after an acknowledgement), and each change of the bag
 * copies a path of it (issue 14: the index's share of `apply`).
 */
function moveObligations(index: FigureIndex, treaty: Treaty, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const owed = indexedObligations(treaty, before);
  const owing = indexedObligations(treaty, after);
  let next = index;
  for (const [key, item] of owed) {
    const kept = owing.get(key);
    if (kept === undefined || !sameObligation(item, kept)) next = editObligation(next, key, item, -1, runsInHours(item.kind, before?.view.kind));
    else owing.delete(key);
  }
  for (const [key, item] of owing) next = editObligation(next, key, item, 1, runsInHours(item.kind, after?.view.kind));
  return next;
}

export function incidentScope(incident: string): string {
  return `incident:${incident}`;
}

export function groupScope(name: string): string {
  return `group:${groupKey(name)}`;
}

/** The incidents a request names and their groups, each once: where its figures are counted besides its pair. */
export function scopesOf(book: IncidentBook, request: string): string[] {
  const incidents = linksOf(book, request).incidents;
  if (incidents.length === 0) return [];
  const groups = incidents.map((id) => getIncident(book, id)?.group).filter((group): group is string => group !== undefined);
  return [...new Set([...incidents.map(incidentScope), ...groups.map(groupScope)])];
}

export function pairKey(requesting: string, requested: string): string {
  return `${requesting}>${requested}`;
}

/** Whether a request is a grant conditional on reciprocity (Arrangement art. 4) still in that status: the person not yet handed over, nor the grant ended. */
export function isReciprocalGrant(record: RequestRecord): boolean {
  return record.status === 'granted-conditional' && record.decision?.onReciprocity === true;
}

/** Whether a request may owe an act: open, or ended and not yet erased by both parties (erasure/retention.ts). A superseded request is erased with the one that superseded it. A cheap test first: `openObligations` is the rule. */
export function mayOwe(record: RequestRecord): boolean {
  if (!ENDED.has(record.status)) return true;
  return record.status !== 'superseded' && (record.erasedBy?.length ?? 0) < 2;
}

function emptyPair(requesting: string, requested: string): PairIndex {
  return { requesting, requested, ...NO_SUMS, breaches: EMPTY_BAG, receiptsUnconfirmed: EMPTY_BAG };
}

function editPair(index: FigureIndex, requesting: string, requested: string, edit: (pair: PairIndex) => PairIndex): FigureIndex {
  const key = pairKey(requesting, requested);
  return { ...index, pairs: { ...index.pairs, [key]: edit(index.pairs[key] ?? emptyPair(requesting, requested)) } };
}

/** Moves a request's figures from `before` to `after` in its pair's sums and its scopes'. */
function moveFigures(index: FigureIndex, book: IncidentBook, record: RequestRecord, before: TimelessFigures | undefined, after: TimelessFigures | undefined): FigureIndex {
  const { requesting, requested } = record.view;
  const change = countsChange(before?.tally.counts, after?.tally.counts);
  // Most entries that touch a request move none of its figures (a note, a party's reading of it): nothing to copy then.
  if (sameFigures(before, after, change)) return index;
  const move = (sums: FigureSums) => moveSums(sums, before, after, change, record.id);
  const next = editPair(index, requesting, requested, (pair) => ({ ...pair, ...move(pair) }));
  let scopes = next.scopes;
  for (const scope of scopesOf(book, record.id)) {
    const kept = mapGet(scopes, scope) ?? { all: NO_SUMS, pairs: {} };
    const key = pairKey(requesting, requested);
    scopes = mapSet(scopes, scope, { all: move(kept.all), pairs: { ...kept.pairs, [key]: move(kept.pairs[key] ?? NO_SUMS) } });
  }
  return scopes === next.scopes ? next : { ...next, scopes };
}

function moveRequest(index: FigureIndex, treaty: Treaty, book: IncidentBook, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const wasGrant = before !== undefined && isReciprocalGrant(before);
  const isGrantNow = after !== undefined && isReciprocalGrant(after);
  const figuresBefore = before && timelessFigures(treaty, before);
  const figuresAfter = after && timelessFigures(treaty, after);
  let next = moveFigures(index, book, (after ?? before)!, figuresBefore, figuresAfter);
  const id = (after ?? before)!.id;
  // Most entries move an open request along without changing its membership: nothing to copy then.
  if (wasGrant !== isGrantNow) next = { ...next, grants: isGrantNow ? mapSet(next.grants, id, true as const) : mapDelete(next.grants, id) };
  return moveObligations(next, treaty, before, after);
}

/** The (receiver, giver) pairs a trade counts against (statistics.ts): once per trade and pair. */
export function tradePairs(trade: TradeRecord): { breaches: TradeLeg[]; receiptsUnconfirmed: TradeLeg[] } {
  const distinct = (legs: readonly TradeLeg[]) => [...new Map(legs.map((leg) => [pairKey(leg.to, leg.from), leg])).values()];
  if (trade.abortedAt === undefined) return { breaches: [], receiptsUnconfirmed: [] };
  if (trade.status === 'aborted') return { breaches: distinct(trade.legs.filter((leg) => handedOverAt(leg) === undefined && trade.breaches.includes(leg.from))), receiptsUnconfirmed: [] };
  if (trade.status === 'receipt-unconfirmed') return { breaches: [], receiptsUnconfirmed: distinct(trade.legs.filter((leg) => leg.receivedAt === undefined)) };
  return { breaches: [], receiptsUnconfirmed: [] };
}

function countTrade(index: FigureIndex, trade: TradeRecord, sign: 1 | -1): FigureIndex {
  const at = trade.abortedAt;
  if (at === undefined) return index;
  const { breaches, receiptsUnconfirmed } = tradePairs(trade);
  const edit = (bag: PersistentBag) => (sign === 1 ? bagAdd(bag, at, trade.id) : bagRemove(bag, at, trade.id));
  let next = index;
  for (const leg of breaches) next = editPair(next, leg.to, leg.from, (pair) => ({ ...pair, breaches: edit(pair.breaches) }));
  for (const leg of receiptsUnconfirmed) next = editPair(next, leg.to, leg.from, (pair) => ({ ...pair, receiptsUnconfirmed: edit(pair.receiptsUnconfirmed) }));
  return next;
}

/**
 * The index of `after`, from `from`, the index of `before`, an earlier state of the same log:
 * one entry earlier or many (figure-cell.ts), since the changes are found by comparing the two.
 */
export function nextFigureIndex(before: Omit<State, 'figures'>, from: FigureIndex, after: Omit<State, 'figures'>): FigureIndex {
  const treaty = after.treaty;
  if (!treaty) return emptyFigureIndex();
  if (treaty !== from.treaty) return buildFigureIndex(after);
  // One edit of the bags (persistent-bag.ts `inOneEdit`): the indexes between are not kept.
  return inOneEdit(() => {
    let index = from;
    if (after.requests !== before.requests) {
      for (const change of mapChanges(before.requests, after.requests)) index = moveRequest(index, treaty, after.incidents, change.before, change.after);
    }
    if (after.trades.byId !== before.trades.byId) {
      for (const change of mapChanges(before.trades.byId, after.trades.byId)) {
        if (change.before) index = countTrade(index, change.before, -1);
        if (change.after) index = countTrade(index, change.after, 1);
      }
    }
    return index;
  });
}

interface PairTally {
  readonly requesting: string;
  readonly requested: string;
  readonly sums: SumsTally;
  readonly breaches: BagElement[];
  readonly receiptsUnconfirmed: BagElement[];
}

/**
 * The index counted from scratch: for a new treaty in force, and for a state decoded from a
 * snapshot. It is what moving every request and trade into an empty index gives (`moveRequest`,
 * `countTrade`, and the law of core/test/incremental-views.test.ts), counted into plain arrays
 * and maps first and made persistent once at the end: at a restart from a snapshot of 10^6
 * entries, a persistent copy per record cost seconds, mostly in the garbage collector. Pairs
 * and scopes are listed in the order the records first name them, as moving them would.
 */
export function buildFigureIndex(state: Omit<State, 'figures'>): FigureIndex {
  const treaty = state.treaty;
  if (!treaty) return emptyFigureIndex();
  const pairs = new Map<string, PairTally>();
  const pairOf = (requesting: string, requested: string): PairTally => {
    const key = pairKey(requesting, requested);
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { requesting, requested, sums: newSums(), breaches: [], receiptsUnconfirmed: [] }));
    return pair;
  };
  const scopes = new Map<string, { all: SumsTally; pairs: Map<string, SumsTally> }>();
  const grants: (readonly [string, true])[] = [];
  const obligations: BagElement<IndexedObligation>[] = [];
  const stopped: BagElement<IndexedObligation>[] = [];
  const stoppedSince: BagElement<IndexedObligation>[] = [];
  const between = new Map<string, { by: string; to: string; fixed: BagElement<IndexedObligation>[]; stopped: BagElement<IndexedObligation>[] }>();
  const emergencies: BagElement<IndexedObligation>[] = [];
  for (const record of mapValues(state.requests)) {
    const pair = pairOf(record.view.requesting, record.view.requested);
    if (isReciprocalGrant(record)) grants.push([record.id, true]);
    const figures = timelessFigures(treaty, record);
    tallySums(pair.sums, figures, record.id);
    const key = pairKey(record.view.requesting, record.view.requested);
    for (const scope of scopesOf(state.incidents, record.id)) {
      let kept = scopes.get(scope);
      if (!kept) scopes.set(scope, (kept = { all: newSums(), pairs: new Map() }));
      let inPair = kept.pairs.get(key);
      if (!inPair) kept.pairs.set(key, (inPair = newSums()));
      tallySums(kept.all, figures, record.id);
      tallySums(inPair, figures, record.id);
    }
    if (!mayOwe(record)) continue;
    indexableObligations(treaty, record).forEach((item, place) => {
      const id = obligationKey(item.request, item.kind, place);
      const to = owedTo(item);
      const key = owedKey(item.party, to);
      let pair = between.get(key);
      if (!pair) between.set(key, (pair = { by: item.party, to, fixed: [], stopped: [] }));
      // One element for the whole list's bag and its pair's (bagFromElements copies what it reads): fewer allocations at a restart.
      const byDue = { value: item.due, id, item };
      if (runsInHours(item.kind, record.view.kind)) emergencies.push(byDue);
      if (item.pausedSince === undefined) {
        obligations.push(byDue);
        pair.fixed.push(byDue);
      } else {
        const byTimeLeft = { value: stoppedOrder(item), id, item };
        stopped.push(byTimeLeft);
        pair.stopped.push(byTimeLeft);
        stoppedSince.push({ value: item.pausedSince, id, item });
      }
    });
  }
  for (const trade of mapValues(state.trades.byId)) {
    const at = trade.abortedAt;
    if (at === undefined) continue;
    const { breaches, receiptsUnconfirmed } = tradePairs(trade);
    for (const leg of breaches) pairOf(leg.to, leg.from).breaches.push({ value: at, id: trade.id });
    for (const leg of receiptsUnconfirmed) pairOf(leg.to, leg.from).receiptsUnconfirmed.push({ value: at, id: trade.id });
  }
  const pairIndex: Record<string, PairIndex> = {};
  for (const [key, pair] of pairs) {
    pairIndex[key] = { requesting: pair.requesting, requested: pair.requested, ...finishedSums(pair.sums), breaches: bagFromElements(pair.breaches), receiptsUnconfirmed: bagFromElements(pair.receiptsUnconfirmed) };
  }
  const owedBetween: Record<string, OwedBetween> = {};
  for (const [key, pair] of between) owedBetween[key] = { by: pair.by, to: pair.to, fixed: bagFromElements(pair.fixed), stopped: bagFromElements(pair.stopped) };
  const scopeIndex = [...scopes].map(([scope, kept]): [string, ScopeIndex] => [scope, { all: finishedSums(kept.all), pairs: Object.fromEntries([...kept.pairs].map(([key, sums]) => [key, finishedSums(sums)])) }]);
  return { treaty, pairs: pairIndex, grants: mapFromEntries(grants), obligations: bagFromElements(obligations), stopped: bagFromElements(stopped), stoppedSince: bagFromElements(stoppedSince), owedBetween, emergencies: bagFromElements(emergencies), scopes: mapFromEntries(scopeIndex) };
}
