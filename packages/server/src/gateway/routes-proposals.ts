import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { objectBody, ownRequest, type GatewayContext } from './context.ts';
import { confirm, end, openProposals, propose } from './proposals.ts';
import { z } from 'zod';
import { entryBodySchemas } from '@evenhand/core';
import { idParams, route } from '../contract/common.ts';
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

  app.get('/api/proposals', { preHandler: app.authenticate, schema: route({ tags, summary: "This state's open proposals (decisions, trade signatures and commits), each with the instant it can be confirmed from, or why the history overtook it", response: { 200: z.array(proposalSchema) } }) }, async () => openProposals(context));

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
