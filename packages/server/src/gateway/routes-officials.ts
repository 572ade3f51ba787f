import type { FastifyInstance } from 'fastify';
import { entryBodySchemas, getOfficial, mapGet, PAGE_LIMIT } from '@evenhand/core';
import { listAccounts } from '@evenhand/store';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { approvalsRequired } from './approvals.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { propose } from './proposals.ts';
import { submitEntry } from './submit-entry.ts';
import { z } from 'zod';
import { booleanQuery, idParams, pageQueryShape, partyQuery, route } from '../contract/common.ts';
import { pageSchema } from '../contract/views.ts';
import { OfficialOrder } from './official-order.ts';
import { cursorOf, GATEWAY_PAGE_DEFAULT } from './page-query.ts';
import { scanPage } from './scan-page.ts';
import { proposalAnswer } from '../contract/console.ts';

/** Where in the log an act took place: its entry's index and time. */
const logPoint = z.strictObject({ index: z.number().int(), time: z.number().int() });
const officialKeySchema = z.strictObject({ id: z.string(), key: z.string().describe("the official's Ed25519 public key") });
const registeredSchema = z.strictObject({ party: z.string(), id: z.string(), key: z.string(), registeredAt: logPoint.describe('the registration'), revokedAt: logPoint.nullable().describe('the revocation, if any') });
/**
 * A page of the registered officials, with what the console needs beside them on every page:
 * whether this state's acts need two registered approvers, and its approvers still to register
 * (this gateway's own accounts, as many as its staff, not a list the log grows).
 */
const officialsAnswer = pageSchema(registeredSchema).extend({
  party: z.string(),
  approvalsRequired: z.boolean().describe('whether binding acts of this state need two registered approvers now'),
  unregistered: z.array(officialKeySchema).describe("this gateway's approvers with a signing key who are not registered yet"),
});

const tags = ['officials'];

/**
 * The officials registered in the log (issue 13): their pseudonymous ids and public keys, by
 * which anyone checks the two approvals on a binding act. A state's founding set is
 * registered once, signed by the state's key alone: every approver account of this gateway
 * that holds a signing key.
 */
export function registerOfficialRoutes(app: FastifyInstance, context: GatewayContext): void {
  // A page of every party's officials in order of registration (issue 14), walked from the
  // cursor through the order kept beside the replay (official-order.ts), at most SCAN_BUDGET
  // officials examined: a sparse filter may give fewer with a `next`.
  const order = new OfficialOrder();
  app.get('/api/officials', { preHandler: app.authenticate, schema: route({
    tags,
    summary: `Every party's officials registered in the log, in order of registration, a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}; a sparse filter may give fewer with a \`next\`), and this gateway's approvers not registered yet`,
    querystring: z.strictObject({ ...pageQueryShape, party: partyQuery.optional().describe("only this party's officials"), revoked: booleanQuery.optional().describe('only the revoked officials (true), or only those whose key is in force (false)') }),
    response: { 200: officialsAnswer },
  }) }, async (request) => {
    const { after, limit, party, revoked } = request.query as { after?: string; limit?: number; party?: string; revoked?: boolean };
    const state = context.mirror.state;
    const keys = order.keysOf(state.officials);
    const from = cursorOf(after);
    if (from > keys.length) throw new ServiceError('BAD_REQUEST', `query.after: ${from} is past the end of the list (${keys.length} officials); start again without \`after\``, 'query.after');
    const page = await scanPage(from, 1, (position) => position < keys.length, (position) => {
      const official = mapGet(state.officials.byId, keys[position]!);
      return official && (party === undefined || official.party === party) && (revoked === undefined || (official.revokedAt !== undefined) === revoked) ? official : undefined;
    }, limit ?? GATEWAY_PAGE_DEFAULT);
    const items = page.items.map((official) => ({ party: official.party, id: official.id, key: official.key, registeredAt: official.registeredAt, revokedAt: official.revokedAt ?? null }));
    const unregistered = (await approverKeys(context)).filter((official) => !isRegistered(context, official.id));
    return { size: state.size, items, next: page.next === null ? null : String(page.next), party: context.party, approvalsRequired: approvalsRequired(state, context.party), unregistered };
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
    const officials = (await approverKeys(context)).filter((official) => !isRegistered(context, official.id) && (named?.has(official.id) ?? true));
    if (officials.length === 0) throw new ServiceError('BAD_REQUEST', `body.officials: no approver account of ${context.party} with a signing key is waiting to be registered${named ? ' among those named' : ''}`, 'body.officials');
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

/** Whether this state has registered the id in the log, revoked or not (an id is never reused): one look-up, not a walk of the book. */
function isRegistered(context: GatewayContext, id: string): boolean {
  return getOfficial(context.mirror.state.officials, context.party, id) !== undefined;
}
