import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { objectBody, ownRequest, type GatewayContext } from './context.ts';
import { confirm, end, propose, proposalView } from './proposals.ts';
import { GATEWAY_PAGE_DEFAULT, rowCursor, rowCursorOf } from './page-query.ts';
import { z } from 'zod';
import { entryBodySchemas, PAGE_LIMIT } from '@evenhand/core';
import { pageOpenProposals, type ProposalKind } from '@evenhand/store';
import { booleanQuery, idParam, idParams, route, rowPageQueryShape } from '../contract/common.ts';
import { pageSchema } from '../contract/views.ts';
import { checkedByCore } from '../contract/docs.ts';
import { proposalAnswer, proposalSchema } from '../contract/console.ts';

const tags = ['proposals'];
const DECISION_MEMBERS = new Set(['decision', 'ground', 'assurances', 'onReciprocity', 'findings', 'reasons', 'sealed']);

const proposalParams = z.strictObject({ proposal: idParams.shape.id });
/** Why an approver withdraws or rejects a proposal: recorded, sealed to both parties, for a decision. */
const closingBody = z.strictObject({ reasons: z.string().max(20_000).optional() }).optional();
const closedAnswer = z.strictObject({ index: z.number().int().optional().describe("the log entry recording the closing, for a decision's proposal") });
/** A confirmation submits the entry; the last signature of a trade also commits it. */
const confirmedAnswer = z.strictObject({ index: z.number().int(), commitIndex: z.number().int().optional() });

type ProposalScope = 'case' | 'state';

/** Where each kind is confirmed: on its request's or trade's page (a case), or in the console's notice of the state's own acts. */
const SCOPE_OF: Readonly<Record<ProposalKind, ProposalScope>> = {
  'request.decide': 'case',
  'trade.sign': 'case',
  'trade.commit': 'case',
  'treaty.propose': 'state',
  'treaty.ratify': 'state',
  'treaty.denounce': 'state',
  'official.register': 'state',
  'official.revoke': 'state',
};

/** The kinds a `kind` and a `scope` keep together; undefined when neither narrows them. */
function kindsOf(kind: ProposalKind | undefined, scope: ProposalScope | undefined): ProposalKind[] | undefined {
  if (kind === undefined && scope === undefined) return undefined;
  return (Object.keys(SCOPE_OF) as ProposalKind[]).filter((each) => (kind === undefined || each === kind) && (scope === undefined || SCOPE_OF[each] === scope));
}

/**
 * The two-person rule's routes (proposals.ts): a decision is proposed here; trade signatures
 * and commits are proposed on their trade (routes-trades.ts); every kind is confirmed,
 * withdrawn or rejected here. Proposals stay inside the gateway until confirmed.
 */
export function registerProposalRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.post('/api/requests/:id/decision-proposals', { preHandler: [app.authenticate, requireRole('approver')], schema: route({
    tags,
    summary: 'Propose a decision; a second approver must confirm it. Refused at once, with the rule and article, when it could not be confirmed.',
    params: idParams,
    body: checkedByCore(entryBodySchemas['request.decide'].omit({ request: true, approvers: true, approvals: true }).extend({ reasons: z.string().max(20_000).optional().describe("a refusal's reasons, sealed to both parties") })),
    response: { 201: proposalAnswer },
  }) }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const record = await ownRequest(context, id);
    if (record.view.requested !== context.party) throw new ServiceError('WRONG_PARTY', `only the requested party of ${id} (${record.view.requested}) decides it`);
    const raw = objectBody(request.body);
    const unknown = Object.keys(raw).filter((key) => !DECISION_MEMBERS.has(key));
    if (unknown.length > 0) throw new ServiceError('BAD_REQUEST', `body: unknown member ${unknown[0]}`, `body.${unknown[0]}`);
    const proposal = await propose(context, { kind: 'request.decide', target: id, proposer: request.official!, params: raw, time: context.now() });
    return reply.status(201).send({ proposal });
  });

  // A page of the open proposals, oldest first, read with a keyset from the store (issue 14):
  // closed and confirmed ones are never read. Each is judged against the replay now, so the
  // page carries the log size it was judged at; `overtaken` is that judgement, so it filters
  // the page read, which may then be short and still have a `next`.
  app.get('/api/proposals', { preHandler: app.authenticate, schema: route({
    tags,
    summary: `This state's open proposals (decisions, trade acts, treaty acts, changes to the officials), oldest first, each with the instant it can be confirmed from, or why the history overtook it; a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}; \`overtaken\` may give fewer with a \`next\`)`,
    querystring: z.strictObject({
      ...rowPageQueryShape,
      kind: proposalSchema.shape.kind.optional().describe('only proposals of this kind'),
      scope: z.enum(['case', 'state']).optional().describe("only acts on a request or trade (case: decisions, trade signatures and commits), or only the state's own (state: treaty acts, changes to the officials)"),
      target: idParam.optional().describe('only proposals on this request, trade, treaty version or official'),
      mine: booleanQuery.optional().describe('only those the calling official proposed (true), or only those another approver proposed (false)'),
      overtaken: booleanQuery.optional().describe('only those the history overtook (true), or only those still confirmable (false)'),
    }),
    response: { 200: pageSchema(proposalSchema) },
  }) }, async (request) => {
    const { after, limit, kind, scope, target, mine, overtaken } = request.query as { after?: string; limit?: number; kind?: ProposalKind; scope?: ProposalScope; target?: string; mine?: boolean; overtaken?: boolean };
    const me = request.official!.username;
    const filter = { kinds: kindsOf(kind, scope), target, ...(mine === undefined ? {} : mine ? { proposer: me } : { notProposer: me }) };
    const page = await pageOpenProposals(context.store.db, context.party, filter, rowCursorOf(after), limit ?? GATEWAY_PAGE_DEFAULT);
    const views = page.rows.map((proposal) => proposalView(context, proposal));
    const items = overtaken === undefined ? views : views.filter((view) => (view.overtaken !== null) === overtaken);
    return { size: context.mirror.state.size, items, next: rowCursor(page.next) };
  });

  app.post('/api/proposals/:proposal/confirm', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: 'Confirm a proposal as the second approver: signs and submits the entry naming both approvers', params: proposalParams, response: { 201: confirmedAnswer } }) }, async (request, reply) => {
    const answer = await confirm(context, (request.params as { proposal: string }).proposal, request.official!);
    void context.refresh().catch(() => undefined);
    return reply.status(201).send(answer);
  });

  app.post('/api/proposals/:proposal/withdraw', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: "Withdraw one's own proposal (recorded in the log for a decision)", params: proposalParams, body: closingBody, response: { 201: closedAnswer } }) }, async (request, reply) => {
    const raw = objectBody(request.body ?? {});
    const answer = await end(context, (request.params as { proposal: string }).proposal, request.official!.username, 'withdrawn', typeof raw.reasons === 'string' ? raw.reasons : undefined);
    return reply.status(201).send(answer);
  });

  app.post('/api/proposals/:proposal/reject', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: "Reject another approver's proposal, with reasons (recorded in the log for a decision)", params: proposalParams, body: closingBody, response: { 201: closedAnswer } }) }, async (request, reply) => {
    const raw = objectBody(request.body ?? {});
    const answer = await end(context, (request.params as { proposal: string }).proposal, request.official!.username, 'rejected', typeof raw.reasons === 'string' ? raw.reasons : undefined);
    return reply.status(201).send(answer);
  });
}
