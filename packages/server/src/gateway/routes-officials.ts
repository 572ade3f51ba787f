import type { FastifyInstance } from 'fastify';
import { entryBodySchemas, mapValues } from '@evenhand/core';
import { listAccounts } from '@evenhand/store';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { approvalsRequired } from './approvals.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { propose } from './proposals.ts';
import { submitEntry } from './submit-entry.ts';
import { z } from 'zod';
import { idParams, route } from '../contract/common.ts';
import { proposalAnswer } from '../contract/console.ts';

/** Where in the log an act took place: its entry's index and time. */
const logPoint = z.strictObject({ index: z.number().int(), time: z.number().int() });
const officialKeySchema = z.strictObject({ id: z.string(), key: z.string().describe("the official's Ed25519 public key") });
const officialsAnswer = z.strictObject({
  party: z.string(),
  approvalsRequired: z.boolean().describe('whether binding acts of this state need two registered approvers now'),
  registered: z.array(z.strictObject({ party: z.string(), id: z.string(), key: z.string(), registeredAt: logPoint.describe('the registration'), revokedAt: logPoint.nullable().describe('the revocation, if any') })),
  unregistered: z.array(officialKeySchema),
});

const tags = ['officials'];

/**
 * The officials registered in the log (issue 13): their pseudonymous ids and public keys, by
 * which anyone checks the two approvals on a binding act. A state's founding set is
 * registered once, signed by the state's key alone: every approver account of this gateway
 * that holds a signing key.
 */
export function registerOfficialRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get('/api/officials', { preHandler: app.authenticate, schema: route({ tags, summary: "Every party's officials registered in the log, and this gateway's approvers not registered yet", response: { 200: officialsAnswer } }) }, async () => {
    const state = context.mirror.state;
    const registered = mapValues(state.officials.byId).map((official) => ({ party: official.party, id: official.id, key: official.key, registeredAt: official.registeredAt, revokedAt: official.revokedAt ?? null }));
    const ownIds = ownRegisteredIds(context);
    const unregistered = (await approverKeys(context)).filter((official) => !ownIds.has(official.id));
    return { party: context.party, approvalsRequired: approvalsRequired(state, context.party), registered, unregistered };
  });

  app.post('/api/officials/founding', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: "Register this state's founding set of officials (every approver account with a signing key), once, signed by the state's key", response: { 201: z.strictObject({ index: z.number().int(), officials: z.array(z.string()) }) } }) }, async (request, reply) => {
    if (approvalsRequired(context.mirror.state, context.party)) {
      throw new ServiceError('OFFICIAL_EXISTS', `${context.party} has registered its founding officials already; a new official is registered by two registered approvers`);
    }
    const idSchema = entryBodySchemas['official.register'].shape.officials.element.shape.id;
    const officials = (await approverKeys(context)).filter((official) => idSchema.safeParse(official.id).success);
    const submitted = await submitEntry(context, 'official.register', { officials }, context.now(), [], request.official!.username);
    return reply.status(201).send({ index: submitted.index, officials: officials.map((official) => official.id) });
  });

  // After the founding set, a change to the state's officials binds it like a decision: one
  // registered approver proposes it and a second confirms it, both signing (core officials/).
  app.post('/api/officials/register', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: "Propose registering this gateway's approvers who are not registered yet (or those named in `officials`); a second approver confirms", body: z.strictObject({ officials: z.array(z.string().max(64)).max(100).optional().describe('the usernames to register; all waiting ones by default') }).optional(), response: { 201: proposalAnswer } }) }, async (request, reply) => {
    if (!approvalsRequired(context.mirror.state, context.party)) throw new ServiceError('APPROVALS_REQUIRED', `${context.party} has registered no officials yet: register its founding set first (POST /api/officials/founding)`);
    const raw = objectBody(request.body ?? {});
    const named = Array.isArray(raw.officials) ? new Set(raw.officials.map(String)) : undefined;
    const registered = ownRegisteredIds(context);
    const officials = (await approverKeys(context)).filter((official) => !registered.has(official.id) && (named?.has(official.id) ?? true));
    if (officials.length === 0) throw new ServiceError('BAD_REQUEST', `officials: no approver account of ${context.party} with a signing key is waiting to be registered${named ? ' among those named' : ''}`, 'officials');
    const proposal = await propose(context, { kind: 'official.register', target: officials.map((official) => official.id).join(', '), proposer: request.official!, params: { officials }, time: context.now() });
    return reply.status(201).send({ proposal });
  });

  app.post('/api/officials/:id/revoke', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: "Propose revoking a registered official's key, with a public reason; a second approver confirms. Acts it approved before stay valid.", params: idParams, body: z.strictObject({ reason: z.string().max(500).optional().describe('public: it is in the log') }).optional(), response: { 201: proposalAnswer } }) }, async (request, reply) => {
    const raw = objectBody(request.body ?? {});
    const params = typeof raw.reason === 'string' && raw.reason.trim() ? { reason: raw.reason.trim() } : {};
    const proposal = await propose(context, { kind: 'official.revoke', target: (request.params as { id: string }).id, proposer: request.official!, params, time: context.now() });
    return reply.status(201).send({ proposal });
  });
}

/** This gateway's approver accounts that hold a signing key: who it can register, by username and public key. */
async function approverKeys(context: GatewayContext): Promise<{ id: string; key: string }[]> {
  const accounts = await listAccounts(context.store.db);
  return accounts.flatMap((account) => (account.party === context.party && account.role === 'approver' && account.signingKey ? [{ id: account.username, key: account.signingKey }] : []));
}

/** The ids this state has registered in the log, revoked ones included (an id is never reused). */
function ownRegisteredIds(context: GatewayContext): Set<string> {
  return new Set(mapValues(context.mirror.state.officials.byId).filter((official) => official.party === context.party).map((official) => official.id));
}
