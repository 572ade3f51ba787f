import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { entryBodySchemas, issuesFromZod } from '@evenhand/core';
import { createProposal, findProposal, listOpenProposals, markProposalConfirmed, type DecisionProposal } from '@evenhand/store';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { entryTime, objectBody, ownRequest, withoutAt, type GatewayContext } from './context.ts';
import { gatherSealed, sealBody } from './sealed-members.ts';

const tags = ['decisions'];
const DECISION_MEMBERS = new Set(['decision', 'ground', 'assurances', 'onReciprocity', 'findings', 'reasons', 'sealed', 'at']);

function view(proposal: DecisionProposal) {
  return { id: proposal.id, request: proposal.request, proposer: proposal.proposer, createdAt: proposal.createdAt, confirmedBy: proposal.confirmedBy, entryIndex: proposal.entryIndex, ...(proposal.body as object) };
}

/**
 * The two-person rule (DESIGN.md "Decisions need two approvers"): one approver proposes a
 * decision, which stays inside the gateway and submits nothing; a different approver of the
 * same state confirms it, and only then is `request.decide` signed, naming both. The check
 * that the two differ is made here, at the source, and again by the core on the entry.
 */
export function registerDecisionRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.post('/api/requests/:id/decision-proposals', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: 'Propose a decision; a second approver must confirm it' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const record = await ownRequest(context, id);
    if (record.view.requested !== context.party) throw new ServiceError('WRONG_PARTY', `only the requested party of ${id} (${record.view.requested}) decides it`);
    const raw = objectBody(request.body);
    const unknown = Object.keys(raw).filter((key) => !DECISION_MEMBERS.has(key));
    if (unknown.length > 0) throw new ServiceError('BAD_REQUEST', `body: unknown member ${unknown[0]}`, `body.${unknown[0]}`);
    const time = entryTime(context, raw);
    const proposer = request.official!.username;
    // Check the shape now, with the proposer twice standing in for the two approvers.
    const draft = gatherSealed('request.decide', { ...withoutAt(raw), request: id, approvers: [proposer, `${proposer}.`] });
    const parsed = entryBodySchemas['request.decide'].safeParse(draft, { reportInput: true });
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error.issues, ['body']);
      throw new ServiceError('BODY_INVALID', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues[0]?.path);
    }
    const proposal = { id: `proposal-${randomBytes(9).toString('base64url')}`, party: context.party, request: id, proposer, body: raw.at === undefined ? withoutAt(raw) : { ...withoutAt(raw), at: time }, createdAt: context.now() };
    await createProposal(context.store.db, proposal);
    return reply.status(201).send({ proposal: view({ ...proposal, confirmedBy: null, entryIndex: null }) });
  });

  app.get('/api/decision-proposals', { preHandler: app.authenticate, schema: { tags, summary: "This state's decision proposals awaiting a second approver" } }, async () => (await listOpenProposals(context.store.db, context.party)).map(view));

  app.post('/api/decision-proposals/:proposal/confirm', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: 'Confirm a proposal as the second approver: signs and submits request.decide' } }, async (request, reply) => {
    const id = (request.params as { proposal: string }).proposal;
    const confirmer = request.official!.username;
    // Check, submit and mark in one turn of the submission queue, so two confirmations of
    // the same proposal cannot both submit.
    const index = await context.submitter.exclusive(async () => {
      const proposal = await findProposal(context.store.db, context.party, id);
      if (!proposal) throw new ServiceError('NOT_FOUND', `no decision proposal ${id} of ${context.party}`);
      if (proposal.confirmedBy !== null) throw new ServiceError('PROPOSAL_CONFIRMED', `proposal ${id} was confirmed by ${proposal.confirmedBy} already`);
      if (proposal.proposer === confirmer) throw new ServiceError('SAME_APPROVER', `the two-person rule: ${confirmer} proposed this decision, so another approver must confirm it`);
      const record = await ownRequest(context, proposal.request);
      // The decision is made when confirmed, unless the (demo) proposer backdated it.
      const { at, ...stored } = proposal.body as Record<string, unknown> & { at?: number };
      const time = at ?? context.now();
      const body = gatherSealed('request.decide', { ...stored, request: proposal.request, approvers: [proposal.proposer, confirmer] });
      const sealed = await sealBody(body, [record.view.requesting, record.view.requested, ...context.sealObservers], context.sealRecipients);
      const submitted = await context.submitter.submitNow({ time, type: 'request.decide', body: sealed });
      await markProposalConfirmed(context.store.db, context.party, id, confirmer, submitted.index);
      return submitted.index;
    });
    void context.refresh().catch(() => undefined);
    return reply.status(201).send({ index });
  });
}
