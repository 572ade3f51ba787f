import type { FastifyInstance } from 'fastify';
import { ACT_ROLES, getTrade, lockOf, PAGE_LIMIT, reciprocalGrantsFrom, tradeAt, tradeObligations, type OfficialRole, type TradeEntryType, type TradeRecord } from '@evenhand/core';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { actsFor } from './acts-view.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { openProposals, propose } from './proposals.ts';
import { submitEntry } from './submit-entry.ts';
import { openedMembers, withOfficials } from './request-views.ts';
import { z } from 'zod';
import { entryBodySchemas } from '@evenhand/core';
import { bodyWithout, idParams, indexAnswer, pageQueryShape, partyQuery, route } from '../contract/common.ts';
import { pageSchema, tradeStatusSchema } from '../contract/views.ts';
import { cursorOf, GATEWAY_PAGE_DEFAULT } from './page-query.ts';
import { scanFrom, scanPage } from './scan-page.ts';
import { checkedByCore } from '../contract/docs.ts';
import { proposalAnswer, tradeViewSchema as tradeView } from '../contract/console.ts';

const tags = ['trades'];

/** A grant on reciprocity as the pool lists it: a leg a trade can be proposed from. */
const poolGrantSchema = z.strictObject({ request: z.string(), from: z.string(), to: z.string(), subject: z.string().describe('the pseudonym'), offences: z.array(z.string()), grantedAt: z.number().int().nullable() });

/** A signature may carry a note sealed to the trade's parties (core sealed-members.ts); the proposal checks it as the entry it becomes. */
const signBody = checkedByCore(z.strictObject({ note: z.string().max(20_000).optional().describe("sealed to the trade's parties") }).optional());
const commitBody = checkedByCore(z.strictObject({}).optional());


/** A trade this state gives or receives in, or coordinates; any other is answered as unknown, as for requests. */
export async function ownTrade(context: GatewayContext, id: string): Promise<TradeRecord> {
  let trade = getTrade(context.mirror.state.trades, id);
  if (!trade) {
    await context.refresh();
    trade = getTrade(context.mirror.state.trades, id);
  }
  if (!trade || !(trade.parties.includes(context.party) || trade.coordinator === context.party)) throw new ServiceError('TRADE_UNKNOWN', `no trade ${id} of ${context.party} in the verified log`);
  return trade;
}

/** A trade as the console shows it: with this official's legal acts, its open proposals, and what each party still owes. */
async function tradeAnswer(context: GatewayContext, trade: TradeRecord, official: { readonly username: string; readonly role: OfficialRole }) {
  const treaty = context.mirror.state.treaty;
  return {
    ...trade,
    history: withOfficials(trade.history, await openedMembers(context, trade.history, { official: official.username, subject: { type: 'trade', id: trade.id } })),
    acts: actsFor(context, official.role, { kind: 'trade', id: trade.id }),
    proposals: await openProposals(context, { kinds: ['trade.sign', 'trade.commit'], target: trade.id }),
    obligations: treaty ? tradeObligations(treaty, trade, context.now()) : [],
  };
}

/**
 * Trades in the console API (DESIGN.md "Trades"; issue 11: "trades carried out to the end").
 * Signing and committing are two-person acts of approvers (proposals.ts); the confirmation of
 * the last signature also commits. Each leg is carried out whoever coordinates: its giver
 * records the surrender, its receiver confirms receipt; a coordinating state may attest. After
 * the deadline any party may call the trade off. Every entry is signed with the state's key
 * and checked by the exchange's `apply`; its refusals come back as they are.
 */
export function registerTradeRoutes(app: FastifyInstance, context: GatewayContext): void {
  // A page of this state's trades in order of proposal (issue 14), walked from the cursor with
  // a bounded scan: a page costs its own trades and at most SCAN_BUDGET look-ups.
  app.get('/api/trades', { preHandler: app.authenticate, schema: route({
    tags,
    summary: `Trades this state is involved in, from the gateway's own replay, with this official's legal acts: in order of proposal, filtered by status and party, a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}; a sparse filter may give fewer with a \`next\`)`,
    querystring: z.strictObject({ ...pageQueryShape, status: tradeStatusSchema.optional().describe('only trades in this status'), party: partyQuery.optional().describe('only trades this party gives or receives in, or coordinates') }),
    response: { 200: pageSchema(tradeView) },
  }) }, async (request) => {
    const { after, limit, status, party } = request.query as { after?: string; limit?: number; status?: string; party?: string };
    const state = context.mirror.state;
    const involved = (trade: TradeRecord, who: string) => trade.parties.includes(who) || trade.coordinator === who;
    const page = await scanPage(cursorOf(after), 1, (position) => position < state.trades.ids.size, (position) => {
      const trade = tradeAt(state.trades, position);
      return trade && involved(trade, context.party) && (status === undefined || trade.status === status) && (party === undefined || involved(trade, party)) ? trade : undefined;
    }, limit ?? GATEWAY_PAGE_DEFAULT);
    return { size: state.size, items: await Promise.all(page.items.map((trade) => tradeAnswer(context, trade, request.official!))), next: page.next === null ? null : String(page.next) };
  });

  app.get('/api/trades/:id', { preHandler: app.authenticate, schema: route({ tags, summary: 'One trade this state is involved in, with its legal acts and open proposals', params: idParams, response: { 200: tradeView } }) }, async (request) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    return tradeAnswer(context, trade, request.official!);
  });

  // The pool in filing order, a page at a time (issue 14); `counterpart` gives the proposal
  // form every grant one party gives or receives, without the rest of the pool.
  app.get('/api/trade-pool', { preHandler: app.authenticate, schema: route({
    tags,
    summary: `Grants conditional on reciprocity that no committed trade holds: the legs a trade can be proposed from (public fields only), in filing order, a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}; a sparse filter may give fewer with a \`next\`)`,
    querystring: z.strictObject({ ...pageQueryShape, counterpart: partyQuery.optional().describe('only the grants this party gives or receives in') }),
    response: { 200: pageSchema(poolGrantSchema) },
  }) }, async (request) => {
    const { after, limit, counterpart } = request.query as { after?: string; limit?: number; counterpart?: string };
    const state = context.mirror.state;
    // From the cursor, a filing position, in the state's index of the grants, which is sorted by
    // filing (core reciprocalGrantsFrom): a page reads what it shows, not the whole pool. Grants
    // locked in a trade, or between other parties, are passed over, SCAN_BUDGET at most a page.
    const { items, next } = await scanFrom(
      reciprocalGrantsFrom(state, cursorOf(after)),
      (record) => (lockOf(state.trades, record.id) === undefined && (counterpart === undefined || record.view.requested === counterpart || record.view.requesting === counterpart)
        ? { request: record.id, from: record.view.requested, to: record.view.requesting, subject: record.pseudonym, offences: record.view.offences, grantedAt: record.decision?.at ?? null }
        : undefined),
      limit ?? GATEWAY_PAGE_DEFAULT,
    );
    return { size: state.size, items, next: next === undefined ? null : String(next.seq) };
  });

  app.post('/api/trades', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: 'Propose a trade (a trade.propose body); every party then signs it', body: checkedByCore(entryBodySchemas['trade.propose']), response: { 201: z.strictObject({ index: z.number().int(), trade: z.string() }) } }) }, async (request, reply) => {
    const raw = objectBody(request.body);
    const time = context.now();
    const submitted = await submitEntry(context, 'trade.propose', raw, time, treatyParties(context), request.official!.username);
    return reply.status(201).send({ index: submitted.index, trade: raw.trade });
  });

  // Two-person acts: the first approver proposes, a second confirms at /api/proposals/:id/confirm.
  for (const kind of ['trade.sign', 'trade.commit'] as const) {
    const path = kind === 'trade.sign' ? 'sign' : 'commit';
    app.post(`/api/trades/:id/${path}`, { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags, summary: `Propose to ${path} the trade as this state; a second approver confirms it (the last signature also commits)`, params: idParams, body: kind === 'trade.sign' ? signBody : commitBody, response: { 201: proposalAnswer } }) }, async (request, reply) => {
      const trade = await ownTrade(context, (request.params as { id: string }).id);
      const raw = objectBody(request.body ?? {});
      const proposal = await propose(context, { kind, target: trade.id, proposer: request.official!, params: raw, time: context.now() });
      return reply.status(201).send({ proposal });
    });
  }

  const single: readonly { path: string; type: TradeEntryType; summary: string }[] = [
    { path: 'surrender', type: 'trade.surrender', summary: 'Record that this state handed over the person of one leg ({"leg": n}); whoever coordinates' },
    { path: 'attest', type: 'trade.attest', summary: "As the trade's coordinator: attest one leg's handover, identity and health checked" },
    { path: 'confirm-receipt', type: 'trade.confirm-receipt', summary: 'Confirm receipt of the person of one leg ({"leg": n}) as its receiving state' },
    { path: 'abort', type: 'trade.abort', summary: 'Call off the trade after its deadline (any party, or the exchange, whoever acts first); the locks are released' },
  ];
  for (const act of single) {
    app.post(`/api/trades/:id/${act.path}`, { preHandler: app.authenticate, schema: route({ tags, summary: act.summary, params: idParams, body: checkedByCore(bodyWithout(entryBodySchemas[act.type], 'trade').optional()), response: { 201: indexAnswer } }) }, async (request, reply) => {
      const trade = await ownTrade(context, (request.params as { id: string }).id);
      await requireRole(...ACT_ROLES[act.type])(request, reply);
      const raw = objectBody(request.body ?? {});
      const submitted = await submitEntry(context, act.type, { ...raw, trade: trade.id }, context.now(), trade.parties, request.official!.username);
      return reply.status(201).send({ index: submitted.index });
    });
  }
}

/**
 * Who a proposal's sealed note is encrypted to: every treaty party. Its legs name requests
 * whose parties only the log knows, and voluntary legs and destinations may name any party.
 */
function treatyParties(context: GatewayContext): string[] {
  const parties = (context.mirror.state.treaty?.parties ?? []).map((party) => party.id);
  return parties.includes(context.party) ? parties : [context.party, ...parties];
}
