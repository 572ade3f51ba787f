import type { Treaty } from '../treaty/schema.ts';
import { tradeDuties, type IndexedTradeDeadline } from '../deadlines/trade-deadlines.ts';
import { isOpenTrade, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { bagAdd, bagBuilding, bagRemove, bagSize, emptyBag, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { moveChangedItems } from './keyed-changes.ts';

/**
 * What the parties of the open trades still owe (deadlines/trade-deadlines.ts), as the
 * figure index keeps them (figure-index.ts, issue 14). Before, every reading of the
 * obligations computed every open trade's and sorted them in: with a clearing round's
 * proposals unsigned (7,008 at 10^6 entries in packages/server/bench/growth.bench.ts), a first
 * page of `/v1/deadlines` took 30 ms and a gateway's `/api/tasks` 73 ms. Kept in bags by due,
 * a page reads what it shows, in O(log n) lookups.
 *
 * Derived from the trade records only, like the rest of the index.
 */
export interface TradeDutyBags {
  /**
   * Their obligations, by due (the trade's deadline), then trade and place (`tradeDutyKey`):
   * the order `deadlinesView` lists them in, after the requests' due at the same instant.
   */
  readonly tradeDuties: PersistentBag<IndexedTradeDeadline>;
  /** The same per party that owes them: a state's inbox (views/party-obligations.ts). A Map: a party's name may be "__proto__". */
  readonly tradeDutiesBy: ReadonlyMap<string, PersistentBag<IndexedTradeDeadline>>;
  /** The same per party owed them: every other party of the trade. */
  readonly tradeDutiesTo: ReadonlyMap<string, PersistentBag<IndexedTradeDeadline>>;
}

export function emptyTradeDutyBags(): TradeDutyBags {
  return { tradeDuties: emptyBag(), tradeDutiesBy: new Map(), tradeDutiesTo: new Map() };
}

/**
 * The key of a trade's obligation at `place` in its list: by trade, then place. Joined with a
 * NUL, as obligation-index.ts `obligationKey` is, so that a trade whose id begins with another's
 * sorts after it, as the ids themselves do.
 */
export function tradeDutyKey(trade: string, place: number): string {
  return [trade, String(place).padStart(4, '0')].join('\u0000');
}

/** The parties owed an obligation of `trade` that `party` owes: every other party of the trade. */
function othersIn(trade: TradeRecord, party: string): string[] {
  return trade.parties.filter((other) => other !== party);
}

function dutiesOf(treaty: Treaty, trade: TradeRecord | undefined): Map<string, IndexedTradeDeadline> {
  const out = new Map<string, IndexedTradeDeadline>();
  if (isOpenTrade(trade)) tradeDuties(treaty, trade).forEach((item, place) => out.set(tradeDutyKey(trade.id, place), item));
  return out;
}

function sameDuty(a: IndexedTradeDeadline, b: IndexedTradeDeadline): boolean {
  return a.party === b.party && a.kind === b.kind && a.leg === b.leg && a.due === b.due && a.since === b.since && a.article === b.article;
}

/** `bags` with `party`'s bag edited; a party's empty bag is left out, as `TradeDutyTally` leaves it out. */
function editParty(bags: TradeDutyBags['tradeDutiesBy'], party: string, edit: (bag: PersistentBag<IndexedTradeDeadline>) => PersistentBag<IndexedTradeDeadline>): TradeDutyBags['tradeDutiesBy'] {
  const next = new Map(bags);
  const edited = edit(bags.get(party) ?? emptyBag());
  if (bagSize(edited) === 0) next.delete(party);
  else next.set(party, edited);
  return next;
}

function editDuty<T extends TradeDutyBags>(index: T, trade: TradeRecord, key: string, item: IndexedTradeDeadline, sign: 1 | -1): T {
  const edit = (bag: PersistentBag<IndexedTradeDeadline>) => (sign === 1 ? bagAdd(bag, item.due, key, item) : bagRemove(bag, item.due, key));
  let tradeDutiesTo = index.tradeDutiesTo;
  for (const party of othersIn(trade, item.party)) tradeDutiesTo = editParty(tradeDutiesTo, party, edit);
  return { ...index, tradeDuties: edit(index.tradeDuties), tradeDutiesBy: editParty(index.tradeDutiesBy, item.party, edit), tradeDutiesTo };
}

/**
 * Moves a trade from what it owed as `before` to what it owes as `after`: only the obligations
 * that changed are taken out and put in. Keys are places in the trade's list, so a signature
 * moves the signatures owed after it in the list too; a trade's list is short (a few parties).
 */
export function moveTradeDuties<T extends TradeDutyBags>(index: T, treaty: Treaty, before: TradeRecord | undefined, after: TradeRecord | undefined): T {
  return moveChangedItems(index, dutiesOf(treaty, before), dutiesOf(treaty, after), sameDuty, (next, key, item, sign) => editDuty(next, (sign === 1 ? after : before)!, key, item, sign));
}

/** The bags counted from scratch (figure-index.ts `buildFigureIndex`): what moving each trade into empty bags gives. */
export class TradeDutyTally {
  private readonly duties: BagElement<IndexedTradeDeadline>[] = [];
  private readonly by = new Map<string, BagElement<IndexedTradeDeadline>[]>();
  private readonly to = new Map<string, BagElement<IndexedTradeDeadline>[]>();

  constructor(private readonly treaty: Treaty) {}

  add(trade: TradeRecord): void {
    for (const [id, item] of dutiesOf(this.treaty, trade)) {
      const element = { value: item.due, id, item };
      this.duties.push(element);
      listOf(this.by, item.party).push(element);
      for (const party of othersIn(trade, item.party)) listOf(this.to, party).push(element);
    }
  }

  /** The bags, built one at a time with pauses (persistent-bag.ts `bagBuilding`, for figure-index.ts `countFigureIndex`). */
  *finishing(): Generator<void, TradeDutyBags> {
    const bags = function* (lists: Map<string, BagElement<IndexedTradeDeadline>[]>): Generator<void, Map<string, PersistentBag<IndexedTradeDeadline>>> {
      const out = new Map<string, PersistentBag<IndexedTradeDeadline>>();
      for (const [party, list] of lists) out.set(party, yield* bagBuilding(list));
      return out;
    };
    return { tradeDuties: yield* bagBuilding(this.duties), tradeDutiesBy: yield* bags(this.by), tradeDutiesTo: yield* bags(this.to) };
  }
}

function listOf<T>(lists: Map<string, T[]>, key: string): T[] {
  let list = lists.get(key);
  if (!list) lists.set(key, (list = []));
  return list;
}
