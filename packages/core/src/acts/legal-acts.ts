import type { UnixSeconds } from '../time.ts';
import type { AnyDomainEntry, EntryType } from '../request/entries.ts';
import { getRequest, type State } from '../request/state.ts';
import { openObligations, type DeadlineKind } from '../deadlines/deadlines.ts';
import { tradeObligations, type TradeDeadlineKind } from '../deadlines/trade-deadlines.ts';
import { getTrade } from '../trade/lifecycle/trade-state.ts';
import { bodyFor, checkAct, sealedMemberOf } from './act-check.ts';
import { rolesFor, TWO_PERSON_ACTS, type OfficialRole } from './official-roles.ts';
import { requestCandidates, type Candidate } from './request-candidates.ts';
import { tradeCandidates } from './trade-candidates.ts';

export type ActTarget = { readonly kind: 'request'; readonly id: string } | { readonly kind: 'trade'; readonly id: string };

/** Who asks: a party (or the exchange, author "exchange"), and the official's role within it. */
export interface Actor {
  readonly party: string;
  /** Without a role, every act the party may take is listed, whoever inside it takes it. */
  readonly role?: OfficialRole | undefined;
}

/** One way of taking an act: the public fields chosen, and from when it applies if not now. */
export interface ActVariant {
  readonly label: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The act applies only from this instant (a consultation period still running); now it may be prepared. */
  readonly availableFrom?: UnixSeconds | undefined;
  /** This way needs the sealed text although the act's does not always (a refusal's reasons). */
  readonly sealedRequired?: boolean | undefined;
}

/** The obligation an act discharges, from the deadlines every party computes alike. */
export interface DischargedObligation {
  readonly kind: DeadlineKind | TradeDeadlineKind;
  readonly due: UnixSeconds;
  readonly overdue: boolean;
  readonly article: string;
  readonly pausedSince?: UnixSeconds | undefined;
}

export interface LegalAct {
  /** The entry type the act writes. */
  readonly type: EntryType;
  /** The officials of the party who take it. */
  readonly roles: readonly OfficialRole[];
  /** It binds the state: one approver prepares it, a second confirms (DESIGN.md "Decisions need two approvers"). */
  readonly twoPerson: boolean;
  /** The sealed member the official writes (encrypted to the parties), and whether the rules require it. */
  readonly sealed?: { readonly name: string; readonly required: boolean } | undefined;
  /** Every way of taking it that applies now (or from `availableFrom`); never empty. */
  readonly variants: readonly ActVariant[];
  readonly discharges?: DischargedObligation | undefined;
}

/** An act, or one way of taking it, that would not apply, and why: `apply`'s own code and words (with the rule's article). */
export interface UnavailableAct {
  readonly type: EntryType;
  readonly label: string;
  /** The choice's public fields, as for an available act's variant (a console words the choice from them). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly code: string;
  readonly message: string;
}

export interface ActList {
  /** Most urgent first: by the due instant of the obligation each discharges. */
  readonly available: readonly LegalAct[];
  readonly unavailable: readonly UnavailableAct[];
}

/**
 * Every act `actor` may take on a request or a trade at `now`, each with the ways of taking it
 * that apply and the obligation it discharges, and every one it may not, with the reason
 * (issue 11: "legal acts come from the core, one function for everyone"). It runs the very
 * `apply` the exchange and every verifier run on each candidate (act-check.ts), so a listed
 * act applies by construction; the console offers these and nothing else.
 */
export function legalActs(state: State, actor: Actor, now: UnixSeconds, target: ActTarget): ActList {
  const treaty = state.treaty;
  if (!treaty) return { available: [], unavailable: [] };
  let candidates: Candidate[];
  let ref: Record<string, unknown>;
  let obligations: { readonly kind: DeadlineKind | TradeDeadlineKind; readonly party: string; readonly leg?: number | undefined; readonly due: UnixSeconds; readonly overdue: boolean; readonly article: string; readonly pausedSince?: UnixSeconds | undefined }[];
  if (target.kind === 'request') {
    const record = getRequest(state, target.id);
    if (!record) return { available: [], unavailable: [] };
    candidates = requestCandidates(state, treaty, record, now);
    ref = { request: record.id };
    obligations = openObligations(treaty, record, now);
  } else {
    const trade = getTrade(state.trades, target.id);
    if (!trade) return { available: [], unavailable: [] };
    candidates = tradeCandidates(trade);
    ref = { trade: trade.id };
    obligations = tradeObligations(treaty, trade, now);
  }

  const byType = new Map<EntryType, ActVariant[]>();
  const unavailable: UnavailableAct[] = [];
  for (const candidate of candidates) {
    const entry = { author: actor.party, time: now, type: candidate.type, body: bodyFor(candidate.type, ref, candidate.params) } as AnyDomainEntry;
    const checked = checkAct(state, entry);
    if (!checked.ok) {
      unavailable.push({ type: candidate.type, label: candidate.label, params: candidate.params, code: checked.error.code, message: checked.error.message });
      continue;
    }
    const roles = rolesFor(candidate.type);
    if (actor.role !== undefined && !roles.includes(actor.role)) {
      unavailable.push({ type: candidate.type, label: candidate.label, params: candidate.params, code: 'ROLE_NOT_PERMITTED', message: `role: ${candidate.label} is taken by ${roles.length === 0 ? `${actor.party}'s gateway itself, on its timer, not by an official` : `${roles.join(' or ')} officials of ${actor.party}, not by a ${actor.role}`}` });
      continue;
    }
    const variants = byType.get(candidate.type) ?? [];
    variants.push({ label: candidate.label, params: candidate.params, ...(checked.value.from === undefined ? {} : { availableFrom: checked.value.from }), ...(candidate.sealedRequired ? { sealedRequired: true } : {}) });
    byType.set(candidate.type, variants);
  }

  const available = [...byType].map(([type, variants]): LegalAct => {
    const owed = obligations.find((obligation) => obligation.party === actor.party && DISCHARGES[type]?.includes(obligation.kind) && (obligation.leg === undefined || variants.some((variant) => variant.params.leg === obligation.leg)));
    const sealed = sealedMemberOf(type);
    return {
      type,
      roles: rolesFor(type),
      twoPerson: TWO_PERSON_ACTS.has(type),
      ...(sealed ? { sealed: variants.every((variant) => variant.sealedRequired) ? { ...sealed, required: true } : sealed } : {}),
      variants,
      ...(owed ? { discharges: { kind: owed.kind, due: owed.due, overdue: owed.overdue, article: owed.article, ...(owed.pausedSince === undefined ? {} : { pausedSince: owed.pausedSince }) } } : {}),
    };
  });
  // Most urgent first; acts that discharge nothing keep their lifecycle order after them.
  const order = new Map(candidates.map((candidate, index) => [candidate.type, index] as const));
  available.sort((a, b) => (a.discharges?.due ?? Infinity) - (b.discharges?.due ?? Infinity) || (order.get(a.type) ?? 0) - (order.get(b.type) ?? 0));
  return { available, unavailable };
}

/**
 * The acts that discharge an obligation, the usual one first: what a task list names as
 * the next act for the obligation (issue 15's inbox). Its roles are ACT_ROLES'.
 */
export function actsDischarging(kind: DeadlineKind | TradeDeadlineKind): EntryType[] {
  return (Object.entries(DISCHARGES) as [EntryType, readonly (DeadlineKind | TradeDeadlineKind)[]][]).filter(([, kinds]) => kinds.includes(kind)).map(([type]) => type);
}

/** Which obligations each act discharges (deadlines.ts, trade-deadlines.ts). */
const DISCHARGES: Partial<Record<EntryType, readonly (DeadlineKind | TradeDeadlineKind)[]>> = {
  'request.acknowledge': ['acknowledge'],
  'request.decide': ['decide'],
  'request.supply-info': ['reply-to-info-request'],
  'request.consult-reply': ['reply-to-consultation'],
  'request.schedule-surrender': ['surrender'],
  'request.surrender': ['surrender'],
  'request.provide': ['provide'],
  'prosecution.milestone': ['prosecution-report'],
  'prosecution.outcome': ['prosecution-report'],
  'request.erase': ['erase-personal-data'],
  'trade.sign': ['trade-sign'],
  'trade.commit': ['trade-commit'],
  'trade.surrender': ['trade-hand-over'],
  'trade.attest': ['trade-hand-over'],
  'trade.confirm-receipt': ['trade-confirm-receipt'],
};
