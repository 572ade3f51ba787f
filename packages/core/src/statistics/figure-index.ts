import type { Treaty } from '../treaty/schema.ts';
import { emptyMap, mapChanges, mapEntryIterator, mapFromEntries, mapGet, mapSet, mapValues, type PersistentMap } from '../request/persistent-map.ts';
import type { RequestRecord, State } from '../request/state.ts';
import { handedOverAt, type TradeLeg, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { getIncident, groupKey, linksOf, type IncidentBook } from '../incidents/incident-book.ts';
import { EMPTY_BAG, bagAdd, bagBuilding, bagRemove, inOneEdit, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { emptyObligationBags, moveObligations, ObligationTally, type ObligationBags } from './obligation-index.ts';
import { emptyTradeDutyBags, moveTradeDuties, TradeDutyTally, type TradeDutyBags } from './trade-duty-index.ts';
import { timelessFigures, type TimelessFigures } from './request-figures.ts';
import { countsChange } from './figure-counts.ts';
import { withoutPauses } from './paused-work.ts';
import { finishingSums, moveElement, moveSums, newSums, NO_SUMS, sameFigures, tallySums, type FigureSums, type SumsTally } from './figure-sums.ts';

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
  /**
   * When each extradition request of the pair was filed, and when each of their persons was
   * handed over, one element per request: the months of a console's dashboard are counted from
   * them (views/monthly-series.ts) in two lookups a month, never a read of every request (issue 14).
   * Extraditions only, as `filed` and `surrendered` count them.
   */
  readonly filings: PersistentBag;
  readonly handovers: PersistentBag;
}

/** The requests' obligations' bags are ObligationBags' (obligation-index.ts); the open trades' and theirs, TradeDutyBags' (trade-duty-index.ts). */
export interface FigureIndex extends ObligationBags, TradeDutyBags {
  /** The treaty the sums were counted under: a new one in force means a rebuild. */
  readonly treaty: Treaty | undefined;
  /** By `requesting>requested`. */
  readonly pairs: Readonly<Record<string, PairIndex>>;
  /**
   * The grants conditional on reciprocity still in that status (`isReciprocalGrant`): what
   * a clearing round and a console's trade pool start from (trade/lifecycle/clearing-pool.ts),
   * read here instead of every open request (issue 14: at 10^6 entries, 120,255 of them).
   * Sorted by filing (`seq`, with the request's id), so that a page of the pool starts at its
   * cursor in O(log n) instead of sorting the whole pool.
   */
  readonly grants: PersistentBag;
  /**
   * The same sums per incident and per group (statistics/incident-statistics.ts, issue 17), by
   * scope (`incidentScope`, `groupScope`): a request's incidents are named at its filing and an
   * incident's group at its registration, so the scopes a request counts in never change.
   */
  readonly scopes: PersistentMap<ScopeIndex>;
}

/** The sums of an incident's or a group's requests, in all and per ordered pair. */
export interface ScopeIndex {
  readonly all: FigureSums;
  readonly pairs: Readonly<Record<string, FigureSums>>;
}

export function emptyFigureIndex(treaty?: Treaty): FigureIndex {
  return { treaty, pairs: {}, grants: EMPTY_BAG, ...emptyObligationBags(), ...emptyTradeDutyBags(), scopes: emptyMap() };
}

/**
 * The bags of `index` that a holder may put on a shelf in part (bag-shelving.ts): each pair's,
 * the grants, and the requests' obligations, whole and per pair, a few dozen in all. Not the
 * trades' duties, whose elements carry items (trade-duty-index.ts), nor the scopes' sums: one
 * set for each incident and group, which would make the list grow with the log.
 */
export function shelvableBags(index: FigureIndex): PersistentBag[] {
  const sums = (of: FigureSums): PersistentBag[] => [of.decided, of.pendingSince, ...Object.values(of.deadlines)];
  const pairs = Object.values(index.pairs).flatMap((pair) => [...sums(pair), pair.breaches, pair.receiptsUnconfirmed, pair.filings, pair.handovers]);
  const owed = Object.values(index.owedBetween).flatMap((pair) => [pair.fixed, pair.stopped]);
  return [...pairs, index.grants, index.obligations, index.stopped, index.stoppedSince, index.emergencies, ...owed];
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

function emptyPair(requesting: string, requested: string): PairIndex {
  return { requesting, requested, ...NO_SUMS, breaches: EMPTY_BAG, receiptsUnconfirmed: EMPTY_BAG, filings: EMPTY_BAG, handovers: EMPTY_BAG };
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
  // A request's filing position never changes, so the element taken out is the one put in.
  const seq = (after ?? before)!.seq;
  if (wasGrant !== isGrantNow) next = { ...next, grants: isGrantNow ? bagAdd(next.grants, seq, id) : bagRemove(next.grants, seq, id) };
  next = moveMonths(next, before, after);
  return moveObligations(next, treaty, before, after);
}

/** When a request counts in its pair's months (`PairIndex` `filings`, `handovers`): its filing and its handover, an extradition's only. */
function monthsOf(record: RequestRecord | undefined): { filed: number | undefined; handedOver: number | undefined } {
  if (record?.view.kind !== 'extradition') return { filed: undefined, handedOver: undefined };
  return { filed: record.view.filedAt, handedOver: record.surrenderedAt };
}

/** A request's filing and handover moved in its pair's bags; nothing copied when neither changed, as with most entries. */
function moveMonths(index: FigureIndex, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const was = monthsOf(before);
  const is = monthsOf(after);
  if (was.filed === is.filed && was.handedOver === is.handedOver) return index;
  const { id, view } = (after ?? before)!;
  return editPair(index, view.requesting, view.requested, (pair) => ({ ...pair, filings: moveElement(pair.filings, was.filed, is.filed, id), handovers: moveElement(pair.handovers, was.handedOver, is.handedOver, id) }));
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
  // One edit of the bags (bag-node.ts `inOneEdit`): the indexes between are not kept.
  return inOneEdit(() => {
    let index = from;
    if (after.requests !== before.requests) {
      for (const change of mapChanges(before.requests, after.requests)) index = moveRequest(index, treaty, after.incidents, change.before, change.after);
    }
    if (after.trades.byId !== before.trades.byId) {
      for (const change of mapChanges(before.trades.byId, after.trades.byId)) {
        if (change.before) index = countTrade(index, change.before, -1);
        if (change.after) index = countTrade(index, change.after, 1);
        index = moveTradeDuties(index, treaty, change.before, change.after);
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
  readonly filings: BagElement[];
  readonly handovers: BagElement[];
}

/**
 * Records counted between two pauses of `countFigureIndex`: under a millisecond at 10^6 entries
 * (about 10 µs a request). The first records take longer, their code not yet compiled: with 256
 * to a pause, the first step of a restart's count held the event loop 63 to 88 ms.
 */
export const RECORDS_PER_PAUSE = 64;

/**
 * The index counted from scratch: for a new treaty in force, and for a state decoded from a
 * snapshot. It is what moving every request and trade into an empty index gives (`moveRequest`,
 * `countTrade`, and the law of core/test/incremental-views.test.ts), counted into plain arrays
 * and maps first and made persistent once at the end: at a restart from a snapshot of 10^6
 * entries, a persistent copy per record cost seconds, mostly in the garbage collector. Pairs
 * and scopes are listed in the order the records first name them, as moving them would.
 */
export function buildFigureIndex(state: Omit<State, 'figures'>): FigureIndex {
  return withoutPauses(countFigureIndex(state));
}

/**
 * `buildFigureIndex` with pauses: it yields after every RECORDS_PER_PAUSE records and within
 * each bag it builds (persistent-bag.ts `bagBuilding`), and returns the index. A state restored
 * from a snapshot is counted so, a slice at a time between the service's other work
 * (figure-count.ts, figure-cell.ts `FigureCell.counting`):
 * at 10^6 entries the count takes about 2 s, which a restart spent before it served (issue 14,
 * "restart ≤ 2 s at 10^6"). The state is immutable, so the pauses may be as long as the caller likes.
 */
export function* countFigureIndex(state: Omit<State, 'figures'>): Generator<void, FigureIndex> {
  const treaty = state.treaty;
  if (!treaty) return emptyFigureIndex();
  const pairs = new Map<string, PairTally>();
  const pairOf = (requesting: string, requested: string): PairTally => {
    const key = pairKey(requesting, requested);
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { requesting, requested, sums: newSums(), breaches: [], receiptsUnconfirmed: [], filings: [], handovers: [] }));
    return pair;
  };
  const scopes = new Map<string, { all: SumsTally; pairs: Map<string, SumsTally> }>();
  const grants: BagElement[] = [];
  const obligations = new ObligationTally(treaty);
  let counted = 0;
  // One record at a time, not a list of them all: a restored state's records are read at their first reading (request/unread-value.ts), and a list would read every one in the count's first step.
  for (const [, record] of mapEntryIterator(state.requests)) {
    const pair = pairOf(record.view.requesting, record.view.requested);
    if (isReciprocalGrant(record)) grants.push({ value: record.seq, id: record.id });
    const figures = timelessFigures(treaty, record);
    tallySums(pair.sums, figures, record.id);
    const { filed, handedOver } = monthsOf(record);
    if (filed !== undefined) pair.filings.push({ value: filed, id: record.id });
    if (handedOver !== undefined) pair.handovers.push({ value: handedOver, id: record.id });
    const key = pairKey(record.view.requesting, record.view.requested);
    for (const scope of scopesOf(state.incidents, record.id)) {
      let kept = scopes.get(scope);
      if (!kept) scopes.set(scope, (kept = { all: newSums(), pairs: new Map() }));
      let inPair = kept.pairs.get(key);
      if (!inPair) kept.pairs.set(key, (inPair = newSums()));
      tallySums(kept.all, figures, record.id);
      tallySums(inPair, figures, record.id);
    }
    obligations.add(record);
    if (++counted % RECORDS_PER_PAUSE === 0) yield;
  }
  const tradeDuties = new TradeDutyTally(treaty);
  for (const trade of mapValues(state.trades.byId)) {
    tradeDuties.add(trade);
    const at = trade.abortedAt;
    if (++counted % RECORDS_PER_PAUSE === 0) yield;
    if (at === undefined) continue;
    const { breaches, receiptsUnconfirmed } = tradePairs(trade);
    for (const leg of breaches) pairOf(leg.to, leg.from).breaches.push({ value: at, id: trade.id });
    for (const leg of receiptsUnconfirmed) pairOf(leg.to, leg.from).receiptsUnconfirmed.push({ value: at, id: trade.id });
  }
  const pairIndex: Record<string, PairIndex> = {};
  for (const [key, pair] of pairs) {
    pairIndex[key] = {
      requesting: pair.requesting,
      requested: pair.requested,
      ...(yield* finishingSums(pair.sums)),
      breaches: yield* bagBuilding(pair.breaches),
      receiptsUnconfirmed: yield* bagBuilding(pair.receiptsUnconfirmed),
      filings: yield* bagBuilding(pair.filings),
      handovers: yield* bagBuilding(pair.handovers),
    };
  }
  const scopeIndex: [string, ScopeIndex][] = [];
  for (const [scope, kept] of scopes) {
    const inPairs: Record<string, FigureSums> = {};
    for (const [key, sums] of kept.pairs) inPairs[key] = yield* finishingSums(sums);
    scopeIndex.push([scope, { all: yield* finishingSums(kept.all), pairs: inPairs }]);
  }
  return { treaty, pairs: pairIndex, grants: yield* bagBuilding(grants), ...(yield* obligations.finishing()), ...(yield* tradeDuties.finishing()), scopes: mapFromEntries(scopeIndex) };
}
