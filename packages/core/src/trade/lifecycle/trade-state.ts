import type { UnixSeconds } from '../../time.ts';
import type { TradeEntryType } from '../../request/entries.ts';
import { emptyMap, emptyPositionalMap, mapGet, mapValues, type PersistentMap } from '../../request/persistent-map.ts';
import { bagAdd, bagFromElements, bagRemove, EMPTY_BAG, type BagElement, type PersistentBag } from '../../statistics/persistent-bag.ts';

/**
 * The trades part of the state (DESIGN.md "Trades"): proposed → signed by every involved
 * party → committed (legs locked) → executed with coordinator attestations → completed when
 * every receiver confirmed receipt, or aborted after the deadline with a leg not handed over.
 * Like requests, it is derived from entries only, in persistent maps, so every earlier State
 * value stays valid (request/persistent-map.ts).
 */
export type TradeStatus = 'proposed' | 'committed' | 'completed' | 'aborted' | 'receipt-unconfirmed';

/**
 * The three endings of a trade (issue 11): every receipt confirmed (completed); called off
 * at its deadline with a leg not handed over (aborted); or called off with every leg handed
 * over but a receipt never confirmed (receipt-unconfirmed).
 */
export const TRADE_ENDINGS: ReadonlySet<TradeStatus> = new Set(['completed', 'aborted', 'receipt-unconfirmed']);

export interface TradeLeg {
  readonly kind: 'request' | 'voluntary';
  /** The conditional grant this leg executes; absent for a voluntary transfer. */
  readonly request?: string | undefined;
  /** The party that hands the person over: the requested party of a request leg. */
  readonly from: string;
  /** The party that receives the person: the requester, or the leg's destination. */
  readonly to: string;
  /** Public pseudonym of the person, never a name. */
  readonly subject: string;
  readonly reason?: 'pardon' | 'family' | 'other' | undefined;
  /** The leg's value under the weighted and bloc-credits rules; 1 unless the proposal says otherwise. */
  readonly weight: number;
  /** The coordinator attested the handover, identity and health checked. */
  readonly attestedAt?: UnixSeconds | undefined;
  /** The handing-over party recorded the handover (trade.surrender). */
  readonly surrenderedAt?: UnixSeconds | undefined;
  readonly receivedAt?: UnixSeconds | undefined;
}

/** When the person of a leg was handed over: the coordinator's attestation or the giver's record, whichever came first. */
export function handedOverAt(leg: TradeLeg): UnixSeconds | undefined {
  if (leg.attestedAt === undefined) return leg.surrenderedAt;
  if (leg.surrenderedAt === undefined) return leg.attestedAt;
  return Math.min(leg.attestedAt, leg.surrenderedAt);
}

export interface TradeHistoryItem {
  readonly index: number;
  readonly type: TradeEntryType;
  readonly time: UnixSeconds;
  readonly author: string;
}

/** Net credit per account: what it gave minus what it received, in leg weights. */
export type CreditChange = Readonly<Record<string, number>>;

export interface TradeRecord {
  readonly id: string;
  /** Order of proposal, for stable listings. */
  readonly seq: number;
  readonly proposedBy: string;
  readonly proposedAt: UnixSeconds;
  readonly coordinator: string;
  readonly deadline: UnixSeconds;
  readonly venue?: string | undefined;
  readonly legs: readonly TradeLeg[];
  /** Every party that gives or receives in a leg, sorted: each must sign. */
  readonly parties: readonly string[];
  readonly signedBy: readonly string[];
  readonly status: TradeStatus;
  readonly committedAt?: UnixSeconds | undefined;
  readonly completedAt?: UnixSeconds | undefined;
  /** When and by whom the trade was called off after its deadline (ending aborted or receipt-unconfirmed). */
  readonly abortedAt?: UnixSeconds | undefined;
  readonly abortedBy?: string | undefined;
  /** Parties whose leg was not handed over by the deadline of a committed trade. */
  readonly breaches: readonly string[];
  readonly history: readonly TradeHistoryItem[];
}

export interface TradeBook {
  readonly byId: PersistentMap<TradeRecord>;
  /** Trade ids by order of proposal (`seq`, as a decimal key). */
  readonly ids: PersistentMap<string>;
  /**
   * Request id → the committed trade that holds it (DESIGN.md "Trades" 3: commit locks the
   * legs). The persistent map has no deletion, so a released lock is kept as null.
   */
  readonly locks: PersistentMap<string | null>;
  /**
   * Credits carried across trades (reference/trade-matching.md §2, IKEP credits): per bloc
   * (under the bloc-credits rule) and per party, given weight minus received weight over
   * every committed trade, less the legs of aborted trades that never moved. Each sums to zero.
   */
  readonly blocCredits: CreditChange;
  readonly partyCredits: CreditChange;
  /**
   * The trades not yet ended, by deadline, then id: what the exchange's schedule calls off
   * once their deadline has passed (open-trades.ts), without walking every trade ever
   * proposed. A persistent bag, where a sorted array was copied whole at every proposal and
   * ending (issue 14: a clearing round of 7,008 proposals at 10^6 entries copied some 25
   * million elements). Derived from `byId`: a snapshot does not carry it (request/state-reader.ts
   * counts it from the trades), so a snapshot cannot hide an open trade from the call-offs.
   */
  readonly open: PersistentBag;
}

export function emptyTradeBook(): TradeBook {
  return { byId: emptyMap(), ids: emptyPositionalMap(), locks: emptyMap(), blocCredits: {}, partyCredits: {}, open: EMPTY_BAG };
}

/** Whether a trade is still open: not yet completed nor called off. */
export function isOpenTrade(trade: TradeRecord | undefined): trade is TradeRecord {
  return trade !== undefined && !TRADE_ENDINGS.has(trade.status);
}

/** The open bag with `trade` put in when proposed, taken out when ended. A trade's deadline never moves, so the element taken out is the one put in. */
export function withOpen(open: PersistentBag, trade: TradeRecord): PersistentBag {
  return TRADE_ENDINGS.has(trade.status) ? bagRemove(open, trade.deadline, trade.id) : bagAdd(open, trade.deadline, trade.id);
}

/** The open bag of a book's trades, counted from its records (a state read from a snapshot). */
export function openTradesOf(trades: Iterable<TradeRecord>): PersistentBag {
  const open: BagElement[] = [];
  for (const trade of trades) if (isOpenTrade(trade)) open.push({ value: trade.deadline, id: trade.id });
  return bagFromElements(open);
}

export function getTrade(book: TradeBook, id: string): TradeRecord | undefined {
  return mapGet(book.byId, id);
}

/** Every trade in proposal order. */
export function listTrades(book: TradeBook): TradeRecord[] {
  return mapValues(book.byId).sort((a, b) => a.seq - b.seq);
}

/** The committed trade that locks a request, if any. */
export function lockOf(book: TradeBook, request: string): string | undefined {
  return mapGet(book.locks, request) ?? undefined;
}

/** Adds `change` into `credits`, keeping keys sorted so that states compare equal as JSON. */
export function addCredits(credits: CreditChange, change: CreditChange, sign: 1 | -1): CreditChange {
  // A Map, not an object: bloc names come from the treaty and may be "__proto__".
  const out = new Map(Object.entries(credits));
  for (const [key, value] of Object.entries(change)) out.set(key, (out.get(key) ?? 0) + sign * value);
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
