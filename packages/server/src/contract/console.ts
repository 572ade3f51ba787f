import { z } from 'zod';
import { contactPointSchema, factsSchema, OFFICIAL_ROLES, type OfficialRole, REQUEST_KINDS, REQUEST_RELATIONS, type DecisionRecord, type LegalAct, type PairMonths, type ProsecutionRecord, type UnavailableAct } from '@evenhand/core';
import type { requestDetail, RequestRow } from '../gateway/request-views.ts';
import { instant, partyId } from './common.ts';
import { documents } from './documents.ts';
import { deadlineKindSchema, decisionKindSchema, entryTypeSchema, evaluationSchema, publicTradeSchema, requestDeadlineSchema, requestStatusSchema, tradeDeadlineKindSchema, tradeDeadlineSchema, tradeEntryTypeSchema } from './views.ts';

/**
 * The answers of a gateway's console API (issue 16, "API contracts"): what an official's
 * routes return, beside the public views of views.ts. Each schema names the core type it
 * documents; `documents<T>()` makes a field the schema lacks a compile error.
 */

/** An official's role inside a state: the core's list. */
export const roleSchema = z.enum(OFFICIAL_ROLES as [OfficialRole, ...OfficialRole[]]);

/** Who is logged in, with the CSRF token every write must carry (auth/sessions.ts). */
export const sessionAnswer = z.strictObject({ username: z.string(), party: partyId, role: roleSchema, csrfToken: z.string() });

/** A two-person act prepared by one approver and waiting for a second (gateway/proposals.ts `proposalView`). */
export const proposalSchema = z
  .looseObject({
    id: z.string(),
    kind: z.enum(['request.decide', 'trade.sign', 'trade.commit', 'treaty.propose', 'treaty.ratify', 'treaty.denounce', 'official.register', 'official.revoke']),
    target: z.string().describe('the request, trade, treaty version or official the act is about'),
    request: z.string().optional(),
    trade: z.string().optional(),
    proposer: z.string(),
    createdAt: instant,
    confirmableFrom: instant.nullable().describe('the instant a second approver may confirm from, or null for now'),
    overtaken: z.strictObject({ code: z.string(), message: z.string() }).nullable().describe('why the history overtook the proposal, with the rule'),
  })
  .describe("the proposal's own choices follow: a decision's, a trade act's or an official act's public fields")
  .meta({ id: 'Proposal' });

export const proposalAnswer = z.strictObject({ proposal: proposalSchema });

const dischargedSchema = z.strictObject({ kind: z.union([deadlineKindSchema, tradeDeadlineKindSchema]), due: instant, overdue: z.boolean(), article: z.string(), pausedSince: instant.optional() });

const legalActSchema = documents<LegalAct & { path: string }>()(
  z.strictObject({
    type: entryTypeSchema.describe('the entry type the act writes'),
    roles: z.array(roleSchema),
    twoPerson: z.boolean(),
    sealed: z.strictObject({ name: z.string(), required: z.boolean() }).optional(),
    variants: z.array(z.strictObject({ label: z.string(), params: z.record(z.string(), z.unknown()), availableFrom: instant.optional(), sealedRequired: z.boolean().optional() })),
    discharges: dischargedSchema.optional(),
    path: z.string().describe('the route that takes it'),
  }),
);

const unavailableActSchema = documents<UnavailableAct>()(
  z.strictObject({ type: entryTypeSchema, label: z.string(), params: z.record(z.string(), z.unknown()), code: z.string(), message: z.string() }),
);

/** The acts this official may take on a case now, from the core's `legalActs`, and those it may not, with `apply`'s reason (issue 11). */
export const actListSchema = z
  .strictObject({ available: z.array(legalActSchema), unavailable: z.array(unavailableActSchema) })
  .meta({ id: 'Acts' });

const nextDeadlineSchema = z.strictObject({ kind: deadlineKindSchema, party: partyId, due: instant, overdue: z.boolean() });

/** A request as the console's list shows it (gateway/request-views.ts `requestRow`). */
export const requestRowShape = {
  id: z.string(),
  requesting: partyId,
  requested: partyId,
  direction: z.enum(['outgoing', 'incoming']),
  counterpart: partyId,
  kind: z.enum(REQUEST_KINDS),
  offences: z.array(z.string()),
  filedAt: instant,
  status: requestStatusSchema,
  nextDeadline: nextDeadlineSchema.nullable(),
  decidedAt: instant.nullable(),
  surrenderedAt: instant.nullable(),
  lastActivityAt: instant,
  incidents: z.array(z.string()),
};

documents<RequestRow>()(z.strictObject(requestRowShape));

export const requestRowSchema = z.strictObject({ ...requestRowShape, acts: actListSchema.optional().describe('with ?acts=true') }).meta({ id: 'RequestRow' });

export const requestListAnswer = z.strictObject({ size: z.number().int().describe('the log size of the replay the page was read from'), items: z.array(requestRowSchema), next: z.string().nullable().describe('where to go on (`?after=`), or null at the end; a page may hold fewer rows than asked and still have one') });

/** A log entry of a case, with the official who took it where this state can open its sealed member (issue 15). */
const timelineShape = { index: z.number().int(), time: instant, author: partyId, official: z.string().optional().describe('the official who took the act, read from its sealed member') };
const requestTimelineItemSchema = z.strictObject({ ...timelineShape, type: entryTypeSchema, includedInCheckpoint: z.boolean() });
const tradeTimelineItemSchema = z.strictObject({ ...timelineShape, type: tradeEntryTypeSchema });

/** A sealed member this state opened, or the marker of an erased case (issue 17). */
const openedSealedSchema = z.strictObject({ index: z.number().int(), type: z.string(), sealed: z.unknown().describe("the member's plaintext: personal data, reasons, evidence references") });

export const decisionSchema = documents<DecisionRecord>()(
  z.strictObject({ kind: decisionKindSchema, at: instant, ground: z.string().optional(), assurances: z.array(z.string()), onReciprocity: z.boolean(), approvers: z.array(z.string()) }),
);

const prosecutionSchema = documents<ProsecutionRecord>()(
  z.strictObject({
    milestones: z.array(z.strictObject({ milestone: z.enum(['opened', 'charged', 'tried', 'verdict', 'sentence', 'progress']), at: instant })),
    lastReportAt: instant,
    outcome: z.strictObject({ outcome: z.enum(['convicted', 'acquitted', 'discontinued']), sentenceMonths: z.number().optional(), at: instant }).optional(),
  }),
);

const mirrorVerdictSchema = z.strictObject({ requesting: partyId, requested: partyId, extraditable: z.boolean(), mandatoryRefusals: z.array(z.string()), availableGrounds: z.array(z.string()), symmetric: z.boolean() });

/** One request of this state with everything its page shows (gateway/request-views.ts `requestDetail`). */
// A proposal's `overtaken.code` is the core's ApplyErrorCode, a union zod has no list of: the
// proposals are checked by the contract test rather than here.
export const requestDetailSchema = documents<Omit<Awaited<ReturnType<typeof requestDetail>>, 'proposals'> & { proposals: unknown }>()(
  z
    .strictObject({
      ...requestRowShape,
      subject: z.strictObject({ pseudonym: z.string(), nationalities: z.array(z.string()), ageAtOffence: z.number() }),
      purpose: z.enum(['prosecution', 'enforcement']),
      offenceDate: z.string(),
      facts: factsSchema,
      decision: decisionSchema.nullable(),
      consultations: z.array(z.strictObject({ ground: z.string(), at: instant, repliedAt: instant.optional() })),
      prosecution: prosecutionSchema.nullable(),
      data: z
        .strictObject({ preservedUntil: instant.nullable(), providedAt: instant.nullable(), provided: z.array(z.string()), contactPoint: contactPointSchema.nullable() })
        .nullable()
        .describe('a request for data: preservation, the files it was answered with, the 24/7 contact point'),
      timeline: z.array(requestTimelineItemSchema),
      evaluation: evaluationSchema.nullable(),
      mirror: mirrorVerdictSchema.nullable().describe('the same request with the roles reversed (DESIGN.md "Symmetry is a checked property")'),
      deadlines: z.array(requestDeadlineSchema),
      sealed: z.array(openedSealedSchema),
      acts: actListSchema,
      erasure: z.strictObject({ erasedBy: z.array(partyId), erasedHere: z.boolean() }),
      links: z.strictObject({
        incidents: z.array(z.strictObject({ id: z.string(), name: z.string(), date: z.string().nullable(), group: z.string().nullable() })),
        related: z.array(z.strictObject({ request: z.string(), relation: z.enum(REQUEST_RELATIONS) })),
        relatedBy: z.array(z.strictObject({ request: z.string(), relation: z.enum(REQUEST_RELATIONS) })),
      }),
      proposals: z.array(proposalSchema),
    })
    .meta({ id: 'RequestDetail' }),
);

/** A trade as the console shows it (gateway/routes-trades.ts `tradeAnswer`): the core's whole record, with acts, proposals and what each party owes. */
export const tradeViewSchema = publicTradeSchema
  .extend({
    seq: z.number().int().describe('its place in the order of proposal'),
    venue: z.string().optional(),
    history: z.array(tradeTimelineItemSchema),
    acts: actListSchema,
    proposals: z.array(proposalSchema),
    obligations: z.array(tradeDeadlineSchema),
  })
  .meta({ id: 'TradeView' });

const monthlyCounts = z.array(z.number().int().min(0));

/** One counterpart's months on the dashboard (core `PairMonths`), every series one number per month of `months`. */
export const pairMonthsSchema = documents<PairMonths>()(
  z.strictObject({
    counterpart: partyId,
    months: z.array(z.string().regex(/^\d{4}-\d{2}$/)).describe('every month, YYYY-MM in UTC, from the first filing between the two to the reading’s'),
    filedIncoming: monthlyCounts.describe('extradition requests the counterpart filed with this state'),
    filedOutgoing: monthlyCounts.describe('extradition requests this state filed with the counterpart'),
    surrendered: monthlyCounts.describe('persons this state handed over to the counterpart'),
    received: monthlyCounts.describe('persons the counterpart handed over to this state'),
    before: z.strictObject({ surrendered: z.number().int().min(0), received: z.number().int().min(0) }).describe('handed over before the first month shown, where a running balance starts'),
  }),
);

/** The reciprocity dashboard's months (core `monthlySeries`), at the size and instant read. */
export const dashboardAnswer = z.strictObject({ size: z.number().int().min(0), at: instant, counterparts: z.array(pairMonthsSchema) });
