import { z } from 'zod';
import {
  entryTypes,
  INCIDENT_SECTORS,
  REQUEST_KINDS,
  REQUEST_RELATIONS,
  treatySchema,
  type DataRequestFigures,
  type Deadline,
  type DeadlineKind,
  type DecisionKind,
  type DenunciationView,
  type EntryType,
  type IncidentRequestRow,
  type PairStatistics,
  type publicRequest,
  type publicTrade,
  type RequestFigures,
  type RequestStatus,
  type TradeDeadline,
  type TradeDeadlineKind,
  type TradeEntryType,
  type TradeLeg,
  type TradeStatus,
} from '@evenhand/core';
import { booleanQuery, idParam, instant, partyId, partyQuery } from './common.ts';
import { documents } from './documents.ts';
import { enumOf } from './enum-of.ts';
import { publicEvaluationSchema } from './evaluation.ts';

export { evaluationSchema, ruleResultSchema } from './evaluation.ts';

/**
 * The answers of the public views (issue 16, "API contracts"; core views/*.ts): what the
 * exchange serves under /v1 to anyone, and what a gateway recomputes from its own replay.
 * Each schema is tied to the core type it documents (documents.ts).
 */

const count = z.number().int().min(0);
const logSize = count.describe('the log size the view was computed at');
const logIndex = count.describe('a log index');
const strings = z.array(z.string());
/** Counts by a key (a ground, a kind): every key is a count. */
const countsBy = z.record(z.string(), count);

export const requestStatusSchema = enumOf<RequestStatus>({
  filed: true, acknowledged: true, 'info-requested': true, 'info-supplied': true, granted: true, 'granted-conditional': true, refused: true,
  'refused-prosecute-instead': true, 'surrender-scheduled': true, surrendered: true, received: true, 'outcome-reported': true, withdrawn: true,
  superseded: true, preserved: true, provided: true,
});
export const decisionKindSchema = enumOf<DecisionKind>({ grant: true, 'grant-conditional': true, refuse: true, 'refuse-prosecute': true });
export const entryTypeSchema = z.enum(entryTypes as [EntryType, ...EntryType[]]);
export const tradeEntryTypeSchema = z.enum(entryTypes.filter((type) => type.startsWith('trade.')) as [TradeEntryType, ...TradeEntryType[]]);

/** Every obligation a request's deadline can be (core DeadlineKind); a case proof's `?unanswered=` takes one. */
export const deadlineKindSchema = enumOf<DeadlineKind>({
  acknowledge: true, decide: true, 'reply-to-info-request': true, 'reply-to-consultation': true, surrender: true, 'file-full-request': true,
  'release-from-provisional-arrest': true, 'prosecution-report': true, provide: true, 'erase-personal-data': true,
});

/** A page of a list (core `Page`): at most PAGE_LIMIT items and the cursor of the next page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({ size: logSize, items: z.array(item), next: z.string().nullable().describe('the cursor of the next page (`?after=`), or null at the end') });
}

/** A page of a gateway's own rows that have nothing to do with the log (drafts): no log size to read them at. */
export function rowPageSchema<T extends z.ZodType>(item: T) {
  return pageSchema(item).omit({ size: true });
}

/** A page of a view judged at an instant (core `TimedPage`). */
export function timedPageSchema<T extends z.ZodType>(item: T) {
  return pageSchema(item).extend({ at: instant.describe('the instant deadlines and figures are judged at') });
}

const historyItemSchema = z.strictObject({ index: logIndex, type: entryTypeSchema, time: instant, author: z.string() });

/** What the public may see of a request (core `publicRequest`): no official's id, no sealed field. */
export const publicRequestSchema = documents<ReturnType<typeof publicRequest>>()(
  z
    .strictObject({
      id: z.string(),
      subject: z.string().describe("the person's public pseudonym, never a name"),
      requesting: partyId,
      requested: partyId,
      kind: z.enum(REQUEST_KINDS),
      purpose: z.enum(['prosecution', 'enforcement']),
      offences: strings,
      filedAt: instant,
      status: requestStatusSchema,
      decision: z.strictObject({ kind: decisionKindSchema, at: instant, ground: z.string().optional(), assurances: strings, onReciprocity: z.boolean() }).optional(),
      history: z.array(historyItemSchema),
      evaluation: publicEvaluationSchema.optional().describe('absent before any treaty is adopted'),
    })
    .meta({ id: 'PublicRequest' }),
);

export const requestsAnswer = pageSchema(publicRequestSchema);

/** `GET /v1/requests/:id`: one request's public view at a stated size. */
export const publicRequestAnswer = publicRequestSchema.extend({ size: logSize });

export const tradeStatusSchema = enumOf<TradeStatus>({ proposed: true, committed: true, completed: true, aborted: true, 'receipt-unconfirmed': true });

/** One leg of a trade (core `TradeLeg`): who hands whom to whom, by pseudonym, and when it was carried out. */
export const tradeLegSchema = documents<TradeLeg>()(
  z.strictObject({
    kind: z.enum(['request', 'voluntary']),
    request: z.string().optional().describe('the conditional grant the leg executes; absent for a voluntary transfer'),
    from: partyId,
    to: partyId,
    subject: z.string().describe("the person's public pseudonym"),
    reason: z.enum(['pardon', 'family', 'other']).optional(),
    weight: z.number(),
    attestedAt: instant.optional(),
    surrenderedAt: instant.optional(),
    receivedAt: instant.optional(),
  }),
);

/** What anyone may see of a trade (core `publicTrade`): parties, legs by pseudonym, status and breaches. */
export const publicTradeSchema = documents<ReturnType<typeof publicTrade>>()(
  z
    .strictObject({
      id: z.string(),
      status: tradeStatusSchema,
      proposedBy: z.string(),
      proposedAt: instant,
      coordinator: z.string(),
      deadline: instant,
      parties: z.array(partyId),
      signedBy: z.array(partyId),
      legs: z.array(tradeLegSchema),
      committedAt: instant.optional(),
      completedAt: instant.optional(),
      abortedAt: instant.optional(),
      abortedBy: z.string().optional(),
      breaches: z.array(partyId).describe('parties whose leg was not handed over by the deadline of a committed trade'),
      history: z.array(z.strictObject({ index: logIndex, type: tradeEntryTypeSchema, time: instant, author: z.string() })),
    })
    .meta({ id: 'PublicTrade' }),
);

export const tradesAnswer = pageSchema(publicTradeSchema);

const dataRequestFiguresSchema = documents<DataRequestFigures>()(
  z.strictObject({
    filed: count,
    byKind: countsBy.describe('filed, by kind'),
    acknowledgedOnTime: count,
    decided: count,
    decidedOnTime: count,
    granted: count,
    refused: count,
    refusedByGround: countsBy,
    provided: count,
    providedOnTime: count,
    withdrawn: count,
    pending: count,
    unansweredPastDeadline: count,
    undeliveredPastDeadline: count,
  }),
);

/** The figures of a set of requests (core `RequestFigures`): a pair's, an incident's or a group's. */
const requestFiguresShape = {
  filed: count,
  provisionalArrests: count,
  acknowledged: count,
  acknowledgedOnTime: count,
  decided: count,
  decidedOnTime: count,
  granted: count,
  grantedConditional: count,
  refused: count,
  refusedByGround: countsBy.describe('refusals (plain and with prosecution instead) by the ground cited'),
  withdrawn: count,
  pending: count.describe('undecided and not withdrawn'),
  surrendered: count,
  prosecutionsOwed: count,
  prosecutionsOpened: count,
  prosecutionsReported: count,
  prosecutionReportsOverdue: count,
  medianDaysToDecision: z.number().nullable().describe('median days from filing to decision over decided requests; null when none is decided'),
  medianDaysToDecisionWithPending: z.number().nullable().describe('median whole days to a decision counting pending requests as still waiting; null while half have waited longer undecided'),
  decisionDays: z.strictObject({ decided: z.array(count), pending: z.array(count) }).describe('days to decision, or waited so far, counted in buckets: under 30, 60, 90, 180 days, then longer'),
  unansweredPastDeadline: count.describe('undecided requests whose decision deadline has passed: the "no answer" count'),
  unacknowledgedPastDeadline: count,
  dataRequests: dataRequestFiguresSchema.describe('requests for data, counted apart from those for persons'),
};

const requestFiguresSchema = documents<RequestFigures>()(z.strictObject(requestFiguresShape));
const pairFiguresSchema = z.strictObject({ requesting: partyId, requested: partyId, ...requestFiguresShape });

/** Statistics of one ordered pair of parties, requesting → requested (core `PairStatistics`). */
export const pairStatisticsSchema = documents<PairStatistics>()(
  z
    .strictObject({
      requesting: partyId,
      requested: partyId,
      ...requestFiguresShape,
      tradeBreaches: count.describe('trades aborted in which the requested party did not hand a person to the requesting party'),
      tradeReceiptsUnconfirmed: count.describe('trades called off with every leg handed over but a receipt never confirmed'),
    })
    .meta({ id: 'PairStatistics' }),
);

export const statisticsAnswer = z.strictObject({ size: logSize, at: instant, pairs: z.array(pairStatisticsSchema) });

export const requestDeadlineSchema = documents<Deadline>()(
  z.strictObject({
    request: z.string(),
    requesting: partyId,
    requested: partyId,
    party: partyId.describe('the party that owes the act'),
    kind: deadlineKindSchema,
    due: instant.describe('the last on-time instant'),
    since: instant.describe('the entry time the period runs from'),
    overdue: z.boolean(),
    article: z.string(),
    pausedSince: instant.optional().describe('the clock is stopped since this instant (an open request for information)'),
  }),
);

export const tradeDeadlineKindSchema = enumOf<TradeDeadlineKind>({ 'trade-sign': true, 'trade-commit': true, 'trade-hand-over': true, 'trade-confirm-receipt': true });

export const tradeDeadlineSchema = documents<TradeDeadline>()(
  z.strictObject({
    trade: z.string(),
    party: partyId,
    kind: tradeDeadlineKindSchema,
    leg: count.optional(),
    due: instant,
    since: instant,
    overdue: z.boolean(),
    article: z.string(),
  }),
);

/** An open obligation of a request or of a trade (core `Deadline | TradeDeadline`). */
export const deadlineItemSchema = documents<Deadline | TradeDeadline>()(z.union([requestDeadlineSchema, tradeDeadlineSchema]).meta({ id: 'Deadline' }));

/** A page of open obligations (core `deadlinesPage`): soonest first, `next` the position of the next one that passes the filter. */
export const deadlinesAnswer = timedPageSchema(deadlineItemSchema);

/**
 * The filters of a list of obligations (core `DeadlineFilter`), the exchange's and a gateway's
 * alike; each given must hold. Unknown kinds are refused, naming the field, rather than
 * answering an empty page.
 */
export const deadlineFilterQuery = {
  owedBy: partyQuery.optional().describe('only the obligations this party owes'),
  party: partyQuery.optional().describe('only the obligations of requests and trades this party is involved in'),
  overdue: booleanQuery.optional().describe('true: only the obligations overdue at the instant of the view'),
  kind: z.union([deadlineKindSchema, tradeDeadlineKindSchema]).optional().describe('only obligations of this kind'),
  request: idParam.optional().describe("only this request's obligations"),
  trade: idParam.optional().describe("only this trade's obligations"),
};

/** A denunciation as the treaty views show it (core `DenunciationView`). */
export const denunciationViewSchema = documents<DenunciationView>()(
  z.strictObject({
    party: partyId,
    index: logIndex.describe('the log index of the treaty.denounce entry'),
    notifiedAt: instant,
    effectiveAt: instant,
    effectiveDate: z.string(),
    article: z.string(),
    pending: z.literal('continue'),
    pendingArticle: z.string(),
    status: z.enum(['pending', 'in-effect']),
    effectiveIndex: logIndex.optional().describe("the entry from which the party's witness is out of the quorum"),
  }),
);

/** `GET /v1/treaty`: the treaty in force (core's own treaty schema), or null before one is adopted. */
export const treatyAnswer = z.strictObject({ size: logSize, treaty: treatySchema.nullable(), denunciations: z.array(denunciationViewSchema) });

const caseFiguresSchema = z.strictObject({ figures: requestFiguresSchema, pairs: z.array(pairFiguresSchema) });

const incidentRequestRowSchema = documents<IncidentRequestRow>()(
  z.strictObject({
    id: z.string(),
    requesting: partyId,
    requested: partyId,
    kind: z.enum(REQUEST_KINDS),
    status: requestStatusSchema,
    filedAt: instant,
    decision: z.strictObject({ kind: decisionKindSchema, at: instant, ground: z.string().nullable() }).nullable(),
    overdue: z.array(z.strictObject({ party: partyId, kind: deadlineKindSchema, due: instant, article: z.string() })).describe('the obligations overdue, and who owes them'),
    prosecution: z.strictObject({ opened: z.boolean(), reported: z.boolean(), lastReportAt: instant }).nullable(),
    incidents: strings,
    related: z.array(z.strictObject({ request: z.string(), relation: z.enum(REQUEST_RELATIONS) })),
    relatedBy: z.array(z.strictObject({ request: z.string(), relation: z.enum(REQUEST_RELATIONS) })),
  }),
);

/** An incident's public record (core `publicIncident`). */
const incidentShape = {
  id: z.string(),
  name: z.string(),
  date: z.string().describe('the day the incident began (YYYY-MM-DD)'),
  sector: z.enum(INCIDENT_SECTORS),
  description: z.string(),
  group: z.string().nullable().describe('the criminal group as publicly named'),
  registeredBy: partyId,
  registeredAt: z.strictObject({ index: logIndex, time: instant }),
  requestCount: count,
  statistics: caseFiguresSchema,
  requests: z.array(incidentRequestRowSchema),
};

/** `GET /v1/incidents`: incidents with their first requests; `requestsNext` pages the rest from the incident itself. */
export const incidentsAnswer = timedPageSchema(z.strictObject({ ...incidentShape, requestsNext: z.string().nullable() }));

/** `GET /v1/incidents/:id`: one incident and a page of its requests (`next` is their cursor). */
export const incidentAnswer = z.strictObject({ size: logSize, at: instant, ...incidentShape, next: z.string().nullable() });

export const groupsAnswer = timedPageSchema(
  z.strictObject({ group: z.string(), incidents: z.array(z.strictObject({ id: z.string(), name: z.string(), date: z.string() })), statistics: caseFiguresSchema }),
);
