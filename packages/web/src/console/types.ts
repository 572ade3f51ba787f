import type { Evaluation, LegalAct as CoreLegalAct, OfficialRole, UnavailableAct } from '@evenhand/core/rules';

/**
 * The gateway console API's answers (packages/server src/gateway/routes-*.ts,
 * request-views.ts), declared here so the console depends on the wire format only.
 */
export type Role = OfficialRole;

export interface Me {
  readonly username: string;
  readonly party: string;
  readonly role: Role;
  readonly csrfToken: string;
}

export interface NextDeadline {
  readonly kind: string;
  readonly party: string;
  readonly due: number;
  readonly overdue: boolean;
}

export interface RequestRow {
  readonly id: string;
  readonly requesting: string;
  readonly requested: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly counterpart: string;
  readonly kind: string;
  readonly offences: readonly string[];
  readonly filedAt: number;
  readonly status: string;
  readonly nextDeadline: NextDeadline | null;
  /** When the requested party decided, if it has. */
  readonly decidedAt: number | null;
  /** When the person was handed over (request.surrender, or a trade leg's attested handover). */
  readonly surrenderedAt: number | null;
  /** The time of the request's latest entry. */
  readonly lastActivityAt: number;
  /** The incidents the request names (issue 17). */
  readonly incidents?: readonly string[];
}

/** A page of the gateway's request list (GET /api/requests): it may be short and still have a `next`. */
export interface RequestPage {
  readonly size: number;
  readonly items: readonly RequestRow[];
  readonly next: string | null;
}

/** One obligation open now, as the inbox lists it (GET /api/tasks, gateway routes-tasks.ts). */
export interface Task {
  readonly target: 'request' | 'trade';
  readonly id: string;
  readonly kind: string;
  readonly party: string;
  readonly due: number;
  readonly overdue: boolean;
  readonly pausedSince?: number;
  readonly leg?: number;
  readonly article: string;
  readonly act: string | null;
  readonly actRoles: readonly string[];
  readonly mine: boolean;
  /** An emergency request for data: the gateway lists it first, and it counts down in hours. */
  readonly emergency?: true;
}

export interface Tasks {
  readonly now: number;
  readonly size: number;
  /** The most urgent obligations on each side, at most 50, and the count of all. */
  readonly owedByUs: readonly Task[];
  readonly owedByUsTotal: number;
  readonly owedToUs: readonly Task[];
  readonly owedToUsTotal: number;
  readonly newIncoming: { readonly count: number; readonly ids: readonly string[]; readonly atLeast?: true };
}

/** The treaty's explained outcome, exactly as core's `evaluate` returns it and the gateway serves it. */
export type { Evaluation, RuleResult } from '@evenhand/core/rules';

export interface MirrorVerdict {
  readonly requesting: string;
  readonly requested: string;
  readonly extraditable: boolean;
  readonly mandatoryRefusals: readonly string[];
  readonly availableGrounds: readonly string[];
  readonly symmetric: boolean;
}

export interface Deadline extends NextDeadline {
  readonly since: number;
  readonly article: string;
  /** The clock is stopped since then (an open request for information); the due instant moves until it runs again. */
  readonly pausedSince?: number;
}

/** An act the core says this official may take now (core legal-acts.ts), with the route that takes it (gateway acts-view.ts). */
export type LegalAct = CoreLegalAct & { readonly path: string };
export type { ActVariant, UnavailableAct } from '@evenhand/core/rules';

export interface ActList {
  readonly available: readonly LegalAct[];
  readonly unavailable: readonly UnavailableAct[];
}

export interface RequestDetail extends RequestRow {
  readonly subject: { readonly pseudonym: string; readonly nationalities: readonly string[]; readonly ageAtOffence: number };
  readonly purpose: string;
  readonly offenceDate: string;
  readonly decision: { readonly kind: string; readonly at: number; readonly ground?: string; readonly assurances?: readonly string[]; readonly approvers?: readonly string[] } | null;
  readonly consultations: readonly { readonly ground: string; readonly at: number; readonly repliedAt?: number }[];
  readonly prosecution: { readonly milestones: readonly { readonly milestone: string; readonly at: number }[]; readonly lastReportAt: number; readonly outcome?: { readonly outcome: string; readonly at: number } } | null;
  readonly timeline: readonly { readonly index: number; readonly type: string; readonly time: number; readonly author: string; readonly includedInCheckpoint: boolean; readonly official?: string }[];
  readonly evaluation: Evaluation | null;
  readonly mirror: MirrorVerdict | null;
  readonly deadlines: readonly Deadline[];
  readonly sealed: readonly { readonly index: number; readonly type: string; readonly sealed: unknown }[];
  readonly acts: ActList;
  readonly proposals: readonly Proposal[];
  /** Its public links (issue 17): the incidents it names, the requests it relates to, and those that relate to it. */
  readonly links?: RequestLinks;
  /** A request for data (issue 17): preservation, delivery and the requested party's 24/7 contact point; null for a person. */
  readonly data?: DataAnswer | null;
}

export interface DataAnswer {
  readonly preservedUntil: number | null;
  readonly providedAt: number | null;
  readonly provided: readonly string[];
  readonly contactPoint: { readonly name: string; readonly phone?: string; readonly email?: string } | null;
}

export interface RequestLink {
  readonly request: string;
  readonly relation: string;
}

export interface RequestLinks {
  readonly incidents: readonly { readonly id: string; readonly name: string; readonly date: string | null; readonly group: string | null }[];
  readonly related: readonly RequestLink[];
  readonly relatedBy: readonly RequestLink[];
}

/** An incident registered in the log, as the gateway lists it (GET /api/incidents, routes-incidents.ts). */
export interface IncidentOption {
  readonly id: string;
  readonly name: string;
  readonly date: string;
  readonly sector: string;
  readonly description: string;
  readonly group: string | null;
  readonly registeredBy: string;
  readonly requestCount: number;
}

/** A two-person act one approver prepared (gateway proposals.ts), waiting for a second. */
export interface Proposal {
  readonly id: string;
  readonly kind: 'request.decide' | 'trade.sign' | 'trade.commit' | 'treaty.propose' | 'treaty.ratify' | 'treaty.denounce' | 'official.register' | 'official.revoke';
  readonly target: string;
  readonly request?: string;
  readonly trade?: string;
  readonly proposer: string;
  readonly createdAt: number;
  /** It can be confirmed only from then (a consultation period). */
  readonly confirmableFrom: number | null;
  /** Why the case's history no longer allows it; it can then be replaced. */
  readonly overtaken: { readonly code: string; readonly message: string } | null;
  readonly decision?: string;
  readonly ground?: string;
  readonly onReciprocity?: boolean;
  readonly assurances?: readonly string[];
}

export interface Draft {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly filedIndex: number | null;
  readonly body: Record<string, unknown>;
}

export interface LogHealth {
  readonly origin: string;
  readonly checkpoint: { readonly size: number; readonly root: string; readonly cosigners: readonly { readonly witness: string; readonly timestamp: number }[] } | null;
  readonly lastConsistencyCheck: unknown;
  readonly mirrorSize: number;
  /** A long catch-up with the log, a chunk at a time (server gateway/catch-up.ts); null when there is none. */
  readonly catchingUp?: { readonly from: number; readonly to: number; readonly held: number; readonly since: number } | null;
  readonly halted: unknown;
  readonly alarms: readonly { readonly code: string; readonly message: string; readonly since: number }[];
  readonly notifications?: { readonly pending: number; readonly failing: number; readonly delivered: number; readonly lastError: string | null };
}

/** A trade as the gateway serves it (core trade/lifecycle/trade-state.ts, with this official's acts). */
export type TradeStatus = 'proposed' | 'committed' | 'completed' | 'aborted' | 'receipt-unconfirmed';

export interface TradeLeg {
  readonly kind: 'request' | 'voluntary';
  readonly request?: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly reason?: string;
  readonly weight: number;
  /** The coordinator attested the handover. */
  readonly attestedAt?: number;
  /** The giver recorded the handover. */
  readonly surrenderedAt?: number;
  readonly receivedAt?: number;
}

/** What a party still owes in the trade before its deadline (core trade-deadlines.ts). */
export interface TradeObligation {
  readonly trade: string;
  readonly party: string;
  readonly kind: 'trade-sign' | 'trade-commit' | 'trade-hand-over' | 'trade-confirm-receipt';
  readonly leg?: number;
  readonly due: number;
  readonly overdue: boolean;
}

export interface Trade {
  readonly id: string;
  readonly proposedBy: string;
  readonly proposedAt: number;
  readonly coordinator: string;
  readonly deadline: number;
  readonly venue?: string;
  readonly legs: readonly TradeLeg[];
  readonly parties: readonly string[];
  readonly signedBy: readonly string[];
  readonly status: TradeStatus;
  readonly committedAt?: number;
  readonly completedAt?: number;
  readonly abortedAt?: number;
  readonly abortedBy?: string;
  readonly breaches: readonly string[];
  readonly history: readonly { readonly index: number; readonly type: string; readonly time: number; readonly author: string; readonly official?: string }[];
  readonly acts: ActList;
  readonly proposals: readonly Proposal[];
  readonly obligations: readonly TradeObligation[];
}

/** A grant conditional on reciprocity that no committed trade holds: a leg a trade can be proposed from. */
export interface PoolGrant {
  readonly request: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly offences: readonly string[];
  readonly grantedAt: number | null;
}
