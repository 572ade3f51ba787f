import type { RequestKind, Treaty } from '../treaty/schema.ts';
import type { GroundInvocation, RequestView } from '../treaty/request-view.ts';
import { NO_FACTS, type EntryType, type Facts } from './entries.ts';
import type { UnixSeconds } from '../time.ts';
import { emptyMap, emptyPositionalMap, mapGet, mapValues, type PersistentMap } from './persistent-map.ts';
import { emptyTradeBook, type TradeBook } from '../trade/lifecycle/trade-state.ts';
import { emptyOfficialBook, type OfficialBook } from '../officials/registry.ts';
import type { Denunciation } from '../treaty/denunciation.ts';
import { emptyIncidentBook, type IncidentBook } from '../incidents/incident-book.ts';
import type { TransportKey } from '../erasure/transport-keys.ts';
import { emptyFigureIndex } from '../statistics/figure-index.ts';
import { FigureCell } from '../statistics/figure-cell.ts';

/**
 * The state of the exchange: a pure fold over the log (DESIGN.md "The log"),
 * `state = entries.reduce(apply, genesis())`. Every field is derived from entries and never
 * edited in place: `apply` returns a new State that shares unchanged parts with the old
 * one (see persistent-map.ts), so any earlier State value stays valid and can be kept.
 */
export interface State {
  /** The treaty in force: the latest version every party has ratified. */
  readonly treaty: Treaty | undefined;
  /** Treaty versions proposed and not yet ratified by every party. */
  readonly proposals: readonly TreatyProposal[];
  readonly requests: PersistentMap<RequestRecord>;
  /** Request ids by filing order (`seq`, as a decimal key): pages of requests without a sort of them all. */
  readonly requestIds: PersistentMap<string>;
  /**
   * Distinct (by, against, ground) triples of every refusal ground cited so far; this is the
   * EvaluationContext that makes mirrored grounds available (Arrangement art. 5(1)), so a
   * State can be passed to `evaluate` as is. Deduplicated: evaluate asks only whether a
   * triple exists, and the per-request history keeps every single refusal.
   */
  readonly invocations: readonly GroundInvocation[];
  /** Entries applied since genesis; the index the next entry gets in request histories. */
  readonly size: number;
  /** When a treaty first came into force (the last ratification); no entry under it may be dated earlier. */
  readonly adoptedAt?: UnixSeconds | undefined;
  /** Trades, the requests their commits lock, and credits carried across trades (trade/lifecycle). */
  readonly trades: TradeBook;
  /** The officials each party has registered, whose signatures its binding acts carry (officials/). */
  readonly officials: OfficialBook;
  /** Incidents, their groups, and the public links of requests to them and to each other (incidents/, issue 17). */
  readonly incidents: IncidentBook;
  /** Clearing's fairness credits after the last round, in millionths (entry clearing.round). */
  readonly clearingCredits?: Readonly<Record<string, number>> | undefined;
  /** When the last clearing round was recorded (its entry's time): the treaty's schedule counts from it, across restarts. */
  readonly lastClearingRoundAt?: number | undefined;
  /** Parties that denounced the treaty, in the order of their notifications (treaty/denunciation.ts, issue 17). */
  readonly denunciations?: readonly Denunciation[] | undefined;
  /** Each party's transport key in force, the one case keys are wrapped to (erasure/transport-keys.ts, issue 17). */
  readonly transportKeys?: Readonly<Record<string, TransportKey>> | undefined;
  /**
   * The statistics' sums, the open obligations and the reciprocal grants (statistics/figure-index.ts, issue 14), computed
   * when first read (statistics/figure-cell.ts `figuresOf`): derived from the fields above, so a snapshot does not store it,
   * and a restart counts it afresh while it serves (`FigureCell.counting`).
   */
  readonly figures: FigureCell;
}

export interface TreatyProposal {
  readonly treaty: Treaty;
  readonly proposedBy: string;
  readonly proposedAt: UnixSeconds;
  readonly ratifiedBy: readonly string[];
}

/**
 * The practitioners' states (reference/domain.md (c)) that the log can express. Being
 * arrested is a fact on the record (`arrestedAt`), not a status: it runs alongside review.
 */
export type RequestStatus =
  | 'filed'
  | 'acknowledged'
  | 'info-requested'
  | 'info-supplied'
  | 'granted'
  | 'granted-conditional'
  | 'refused'
  | 'refused-prosecute-instead'
  | 'surrender-scheduled'
  | 'surrendered'
  | 'received'
  | 'outcome-reported'
  | 'withdrawn'
  | 'superseded'
  /** A granted preservation (Budapest art. 29): the data is kept until `preservedUntil`, pending a request for it. */
  | 'preserved'
  /** A granted request for data whose data the requested party delivered (request.provide). */
  | 'provided';

export type DecisionKind = 'grant' | 'grant-conditional' | 'refuse' | 'refuse-prosecute';

export interface HistoryItem {
  readonly index: number;
  readonly type: EntryType;
  readonly time: UnixSeconds;
  readonly author: string;
}

export interface DecisionRecord {
  readonly kind: DecisionKind;
  readonly at: UnixSeconds;
  readonly ground?: string | undefined;
  readonly assurances: readonly string[];
  readonly onReciprocity: boolean;
  readonly approvers: readonly string[];
}

export interface ClockPause {
  readonly from: UnixSeconds;
  readonly to: UnixSeconds;
}

export interface ConsultationRecord {
  readonly ground: string;
  readonly at: UnixSeconds;
  readonly repliedAt?: UnixSeconds | undefined;
}

export type ProsecutionMilestone = 'opened' | 'charged' | 'tried' | 'verdict' | 'sentence' | 'progress';

export interface ProsecutionRecord {
  readonly milestones: readonly { readonly milestone: ProsecutionMilestone; readonly at: UnixSeconds }[];
  /** The last report (the refusal itself counts as the first): the next is due a period later. */
  readonly lastReportAt: UnixSeconds;
  readonly outcome?: { readonly outcome: 'convicted' | 'acquitted' | 'discontinued'; readonly sentenceMonths?: number | undefined; readonly at: UnixSeconds } | undefined;
}

export interface RequestRecord {
  readonly id: string;
  /** Order of filing, for stable listings. */
  readonly seq: number;
  /** The public fields the rules read, with the requested party's findings merged in. */
  readonly view: RequestView;
  readonly pseudonym: string;
  readonly follows?: string | undefined;
  readonly supersededBy?: string | undefined;
  readonly status: RequestStatus;
  readonly history: readonly HistoryItem[];
  readonly acknowledgedAt?: UnixSeconds | undefined;
  readonly arrestedAt?: UnixSeconds | undefined;
  readonly consentAt?: UnixSeconds | undefined;
  readonly extendedAt?: UnixSeconds | undefined;
  /** When the open request for information was made (status info-requested). */
  readonly infoAskedAt?: UnixSeconds | undefined;
  /**
   * Requests for information that were answered (or ended by the decision or a withdrawal),
   * from the question to its end: where the treaty says so, each stops the decision clock
   * (deadlines/clocks.ts `decisionClock`).
   */
  readonly infoPauses: readonly ClockPause[];
  readonly consultations: readonly ConsultationRecord[];
  readonly decision?: DecisionRecord | undefined;
  readonly assurancesGiven: readonly string[];
  /** When the person became ready to surrender: the grant, or the last assurance. */
  readonly readyAt?: UnixSeconds | undefined;
  readonly surrenderDate?: string | undefined;
  readonly surrenderedAt?: UnixSeconds | undefined;
  readonly receivedAt?: UnixSeconds | undefined;
  readonly withdrawnAt?: UnixSeconds | undefined;
  /** A granted preservation keeps the data until this instant (Budapest art. 29(7)), or while a request for it that follows is pending. */
  readonly preservedUntil?: UnixSeconds | undefined;
  /** When the requested party delivered the data, and the sealed evidence files it named (`sha256:` references). */
  readonly providedAt?: UnixSeconds | undefined;
  readonly provided?: readonly string[] | undefined;
  readonly prosecution?: ProsecutionRecord | undefined;
  /** When the request reached a status in `ENDED`: its retention period runs from here (erasure/retention.ts, issue 17). */
  readonly endedAt?: UnixSeconds | undefined;
  /** The parties that erased the case's personal data (request.erase), in order. */
  readonly erasedBy?: readonly string[] | undefined;
}

export function genesis(): State {
  const fields = { treaty: undefined, proposals: [], requests: emptyMap<RequestRecord>(), requestIds: emptyPositionalMap<string>(), invocations: [], size: 0, trades: emptyTradeBook(), officials: emptyOfficialBook(), incidents: emptyIncidentBook() };
  return { ...fields, figures: FigureCell.holding(emptyFigureIndex(), fields) };
}

export function getRequest(state: State, id: string): RequestRecord | undefined {
  return mapGet(state.requests, id);
}

/** The request filed `position`-th (0-based), from the filing-order index: no walk over the others. */
export function requestAt(state: State, position: number): RequestRecord | undefined {
  const id = mapGet(state.requestIds, String(position));
  return id === undefined ? undefined : mapGet(state.requests, id);
}

/** Every request in filing order. */
export function listRequests(state: State): RequestRecord[] {
  return mapValues(state.requests).sort((a, b) => a.seq - b.seq);
}

/**
 * The facts of a filing as its record keeps them, in one object literal, or NO_FACTS. zod gives them as an
 * object it filled a member at a time, and V8 keeps the members of such an object past its
 * fourth in a separate array: 40 bytes more for each filing, for as long as the state holds
 * it (issue 14, memory per entry).
 */
export function keptFacts(facts: Facts): Facts {
  const { finalJudgment, amnesty, politicalOffence, discriminationRisk, militaryOffence, fiscalOffence, pendingProceedings, essentialInterests } = facts;
  // Most filings state no fact: they share the one frozen object that says so (80 bytes a filing).
  if (!(finalJudgment || amnesty || politicalOffence || discriminationRisk || militaryOffence || fiscalOffence || pendingProceedings) && essentialInterests === undefined) return NO_FACTS;
  const stated = { finalJudgment, amnesty, politicalOffence, discriminationRisk, militaryOffence, fiscalOffence, pendingProceedings };
  return essentialInterests === undefined ? stated : { ...stated, essentialInterests };
}

/**
 * The one empty list that a record's empty lists are: `[]` in each record made a list of 32
 * bytes, three to a filing (consultations, pauses, assurances), all empty until an act adds
 * to them, which makes a new list, and a fourth for most decisions (its assurances); a restart
 * from a snapshot read some 800,000 of them at 10^6 entries (issue 14, memory per entry).
 */
export const NONE_YET: readonly never[] = Object.freeze([]);

/** `list`, or NONE_YET when it is empty: what a record keeps of a list that may well be empty. */
export function keptList<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? NONE_YET : list;
}

/** How many one-word lists `keptWordList` shares at most: party codes and a treaty's offences are far fewer. */
const SHARED_WORD_LISTS = 1024;
const sharedWordLists = new Map<string, readonly string[]>();

/**
 * `list`, as the one frozen list that every record naming that word alone shares, when it
 * holds one word: most subjects have one nationality, and most requests one offence. Each
 * filing kept two lists of one word, 56 bytes each with their element stores (issue 14,
 * memory per entry). The memo holds equal values for equal words, so a state is the same data
 * whatever it held before; past its bound a list is kept as it is.
 */
export function keptWordList(list: readonly string[]): readonly string[] {
  if (list.length !== 1) return keptList(list);
  const word = list[0]!;
  const shared = sharedWordLists.get(word);
  if (shared) return shared;
  if (sharedWordLists.size >= SHARED_WORD_LISTS) return list;
  const made = Object.freeze([word]);
  sharedWordLists.set(word, made);
  return made;
}

/** Facts found by the requested party are added to those of the filing, never removed. */
export function mergeFindings(facts: Facts, findings: Partial<Facts>): Facts {
  return keptFacts({
    finalJudgment: facts.finalJudgment || findings.finalJudgment === true,
    amnesty: facts.amnesty || findings.amnesty === true,
    politicalOffence: facts.politicalOffence || findings.politicalOffence === true,
    discriminationRisk: facts.discriminationRisk || findings.discriminationRisk === true,
    militaryOffence: facts.militaryOffence || findings.militaryOffence === true,
    fiscalOffence: facts.fiscalOffence || findings.fiscalOffence === true,
    pendingProceedings: facts.pendingProceedings || findings.pendingProceedings === true,
    ...(facts.essentialInterests === true || findings.essentialInterests === true ? { essentialInterests: true } : {}),
  });
}

/** The kinds of request that ask for a person; the others ask for data (evidence/kinds.ts). */
export const PERSON_KINDS: readonly RequestKind[] = ['extradition', 'provisional-arrest'];

/** Statuses from which a decision can still be made (the request is under review). */
export const UNDECIDED: ReadonlySet<RequestStatus> = new Set(['filed', 'acknowledged', 'info-requested', 'info-supplied']);

/**
 * Statuses from which no act remains: the case has ended, and the treaty's retention period
 * for its personal data runs (erasure/retention.ts, issue 17). One status a line, so that a
 * status added later is one line here.
 */
export const ENDED: ReadonlySet<RequestStatus> = new Set<RequestStatus>([
  'refused',
  'received',
  'outcome-reported',
  'withdrawn',
  'superseded',
  'provided',
]);

/** Statuses before surrender from which the requesting party may withdraw (domain.md (c) 8). */
export const WITHDRAWABLE: ReadonlySet<RequestStatus> = new Set([
  'filed',
  'acknowledged',
  'info-requested',
  'info-supplied',
  'granted',
  'granted-conditional',
  'surrender-scheduled',
  'preserved',
]);
