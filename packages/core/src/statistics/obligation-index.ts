import type { Treaty } from '../treaty/schema.ts';
import { ENDED, type RequestRecord } from '../request/state.ts';
import { bagAdd, bagBuilding, bagRemove, bagSize, EMPTY_BAG, emptyBag, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { indexableObligations, type Deadline, type DeadlineKind } from '../deadlines/deadlines.ts';
import { moveChangedItems } from './keyed-changes.ts';

/**
 * The requests' open obligations as the figure index keeps them (figure-index.ts, issue 14):
 * in bags sorted by due, whole and per ordered pair of parties, so that a page of the list, a
 * state's inbox and its counts are read in O(log n) lookups, never a walk of the open cases.
 *
 * Each element is a due (or time left) and the obligation's key (`obligationKey`), without the
 * obligation itself: the key names its request and its place among the request's obligations,
 * so a reading derives it from the record (deadlines/indexed-deadlines.ts `indexedObligation`). Held, an
 * obligation of nine fields cost 231 of the 1,037 bytes of heap a filing added to a state, with
 * a slot in each bag that held it (issue 14, RSS flat after warm-up; `npm run bench --
 * state-memory`); a reading derives only the page it shows.
 */
export interface ObligationBags {
  /**
   * The open obligations of the requests (deadlines/deadlines.ts), soonest first, as they stand
   * whatever the instant: due, then request, kind and place (`obligationKey`). Whether one is
   * overdue is judged at the reading.
   */
  readonly obligations: PersistentBag;
  /**
   * The obligations whose clock an open request for information stops (deadlines/clocks.ts
   * `withInfoPauses`; only a decision's), apart from `obligations`: each is due, at a reading,
   * the time it had left when the question came after the later of the question and the
   * reading (deadlines.ts `judged`). So at any reading later than every question they keep one
   * order, that of the time left, by which they are kept here (`stoppedOrder`), and a page
   * merges them with `obligations` in O(log n) lookups, never a walk of them all (issue 14).
   * At a reading before some questions, those few are still running and are computed apart
   * (deadlines/indexed-deadlines.ts `questionsAfter`); the others keep this order.
   */
  readonly stopped: PersistentBag;
  /**
   * The same obligations by the instant of their question, the latest last: whether a reading
   * comes after every question, and which questions came after a reading before some of them
   * (deadlines/indexed-deadlines.ts `questionsAfter`).
   */
  readonly stoppedSince: PersistentBag;
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
  readonly emergencies: PersistentBag;
}

/** The open obligations that one party owes another on their requests (`ObligationBags.owedBetween`). */
export interface OwedBetween {
  readonly by: string;
  readonly to: string;
  readonly fixed: PersistentBag;
  readonly stopped: PersistentBag;
}

/** An obligation as the index keeps it: without `overdue`, which depends on the instant it is read at. */
export type IndexedObligation = Omit<Deadline, 'overdue'>;

export function emptyObligationBags(): ObligationBags {
  return { obligations: emptyBag(), stopped: emptyBag(), stoppedSince: emptyBag(), owedBetween: {}, emergencies: emptyBag() };
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

/**
 * Every kind of obligation a request can owe, in the order of their names in UTF-16 code units.
 * A key holds a kind as one character, its place here, so that keys sort as the names would.
 */
const KINDS_BY_NAME: readonly DeadlineKind[] = Object.keys({
  acknowledge: 0,
  decide: 0,
  'erase-personal-data': 0,
  'file-full-request': 0,
  'prosecution-report': 0,
  provide: 0,
  'release-from-provisional-arrest': 0,
  'reply-to-consultation': 0,
  'reply-to-info-request': 0,
  surrender: 0,
} satisfies Record<DeadlineKind, 0>).sort() as DeadlineKind[];
const KIND_CODES: ReadonlyMap<string, string> = new Map(KINDS_BY_NAME.map((kind, code) => [kind, String.fromCharCode(0x41 + code)]));

/**
 * The key of an obligation in the bags, which orders obligations with one due instant: by
 * request, then kind, then their order in `openObligations` (the erasure of each party), in
 * UTF-16 code units rather than a locale's collation, so that every party sorts alike whatever
 * its runtime. The request, a NUL (so that a request whose id begins with another's sorts after
 * it, as the id would), then the kind and the place as one character each: the bags keep a key
 * for as long as its obligation is open, and the kind and the place written out cost 16 bytes
 * more a key (issue 14, memory per entry).
 */
export function obligationKey(request: string, kind: DeadlineKind, place: number): string {
  // Joined, not concatenated: V8 makes a concatenation of 13 characters or more a pair of
  // pointers to its parts, and a key used in a map also gets a flat copy, which the pair then
  // points to, 32 bytes more each. A join writes one flat string.
  return [request, `\u0000${KIND_CODES.get(kind)!}${String.fromCharCode(0x30 + place)}`].join('');
}

/** What `obligationKey` joined: the request, the kind, and the place among the request's obligations. */
export function obligationKeyParts(key: string): { request: string; kind: DeadlineKind | undefined; place: number } {
  return { request: key.slice(0, -3), kind: KINDS_BY_NAME[key.charCodeAt(key.length - 2) - 0x41], place: key.charCodeAt(key.length - 1) - 0x30 };
}

/** The time a stopped obligation had left when its question came: its place in `stopped`. */
export function stoppedOrder(item: IndexedObligation): number {
  return item.due - item.pausedSince!;
}

/** The party that is owed an obligation: the other side of its request. */
export function owedTo(item: IndexedObligation): string {
  return item.party === item.requesting ? item.requested : item.requesting;
}

/** Whether a request may owe an act: open, or ended and not yet erased by both parties (erasure/retention.ts). A superseded request is erased with the one that superseded it. A cheap test first: `openObligations` is the rule. */
export function mayOwe(record: RequestRecord): boolean {
  if (!ENDED.has(record.status)) return true;
  return record.status !== 'superseded' && (record.erasedBy?.length ?? 0) < 2;
}

/** A request's obligations as the index keeps them, each under its key. */
function indexedObligations(treaty: Treaty, record: RequestRecord | undefined): Map<string, IndexedObligation> {
  const out = new Map<string, IndexedObligation>();
  if (!record || !mayOwe(record)) return out;
  indexableObligations(treaty, record).forEach((item, place) => out.set(obligationKey(item.request, item.kind, place), item));
  return out;
}

function sameObligation(a: IndexedObligation, b: IndexedObligation): boolean {
  return a.due === b.due && a.party === b.party && a.since === b.since && a.article === b.article && a.pausedSince === b.pausedSince && a.requesting === b.requesting && a.requested === b.requested;
}

/**
 * The bags with one obligation put in (`sign` 1) or taken out (-1): in `stopped` if its clock is
 * stopped, else in `obligations`; the same in its pair's bags (`owedBetween`); and in
 * `emergencies` when it runs in hours (`inHours`).
 */
function editObligation<T extends ObligationBags>(index: T, key: string, item: IndexedObligation, sign: 1 | -1, inHours: boolean): T {
  const edit = (bag: PersistentBag, value: number) => (sign === 1 ? bagAdd(bag, value, key) : bagRemove(bag, value, key));
  const to = owedTo(item);
  const pairKey = owedKey(item.party, to);
  const pair = index.owedBetween[pairKey] ?? { by: item.party, to, fixed: EMPTY_BAG, stopped: EMPTY_BAG };
  const stopped = item.pausedSince !== undefined;
  const order = stopped ? stoppedOrder(item) : item.due;
  const edited = stopped ? { ...pair, stopped: edit(pair.stopped, order) } : { ...pair, fixed: edit(pair.fixed, order) };
  const owedBetween = { ...index.owedBetween, [pairKey]: edited };
  // A pair that owes nothing more is left out, as `ObligationTally` leaves it out.
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
export function moveObligations<T extends ObligationBags>(index: T, treaty: Treaty, before: RequestRecord | undefined, after: RequestRecord | undefined): T {
  return moveChangedItems(index, indexedObligations(treaty, before), indexedObligations(treaty, after), sameObligation, (next, key, item, sign) =>
    editObligation(next, key, item, sign, runsInHours(item.kind, (sign === 1 ? after : before)?.view.kind)),
  );
}

/**
 * The bags counted from scratch (figure-index.ts `buildFigureIndex`): every request's
 * obligations collected into plain arrays, made persistent once by `finish`. It gives what
 * moving each request into empty bags gives (`moveObligations`), with one element per
 * obligation shared by the whole list's bag and its pair's (bagFromElements copies what it
 * reads): fewer allocations at a restart.
 */
export class ObligationTally {
  private readonly obligations: BagElement[] = [];
  private readonly stopped: BagElement[] = [];
  private readonly stoppedSince: BagElement[] = [];
  private readonly between = new Map<string, { by: string; to: string; fixed: BagElement[]; stopped: BagElement[] }>();
  private readonly emergencies: BagElement[] = [];

  constructor(private readonly treaty: Treaty) {}

  add(record: RequestRecord): void {
    if (!mayOwe(record)) return;
    indexableObligations(this.treaty, record).forEach((item, place) => {
      const id = obligationKey(item.request, item.kind, place);
      const to = owedTo(item);
      const key = owedKey(item.party, to);
      let pair = this.between.get(key);
      if (!pair) this.between.set(key, (pair = { by: item.party, to, fixed: [], stopped: [] }));
      const byDue = { value: item.due, id };
      if (runsInHours(item.kind, record.view.kind)) this.emergencies.push(byDue);
      if (item.pausedSince === undefined) {
        this.obligations.push(byDue);
        pair.fixed.push(byDue);
      } else {
        const byTimeLeft = { value: stoppedOrder(item), id };
        this.stopped.push(byTimeLeft);
        pair.stopped.push(byTimeLeft);
        this.stoppedSince.push({ value: item.pausedSince, id });
      }
    });
  }

  /** The bags, built one at a time with pauses (persistent-bag.ts `bagBuilding`, for figure-index.ts `countFigureIndex`). */
  *finishing(): Generator<void, ObligationBags> {
    const owedBetween: Record<string, OwedBetween> = {};
    for (const [key, pair] of this.between) owedBetween[key] = { by: pair.by, to: pair.to, fixed: yield* bagBuilding(pair.fixed), stopped: yield* bagBuilding(pair.stopped) };
    return { obligations: yield* bagBuilding(this.obligations), stopped: yield* bagBuilding(this.stopped), stoppedSince: yield* bagBuilding(this.stoppedSince), owedBetween, emergencies: yield* bagBuilding(this.emergencies) };
  }
}
