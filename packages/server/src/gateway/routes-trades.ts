import type { FastifyInstance } from 'fastify';
import { ACT_ROLES, getTrade, listRequests, listTrades, lockOf, tradeObligations, type OfficialRole, type TradeEntryType, type TradeRecord } from '@evenhand/core';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { actsFor } from './acts-view.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { openProposals, propose } from './proposals.ts';
import { submitEntry } from './submit-entry.ts';
import { openedMembers, withOfficials } from './request-views.ts';
import { z } from 'zod';
import { entryBodySchemas } from '@evenhand/core';
import { bodyWithout, idParams, indexAnswer, route } from '../contract/common.ts';
import { checkedByCore } from '../contract/docs.ts';
import { proposalAnswer, tradeViewSchema as tradeView } from '../contract/console.ts';

const tags = ['trades'];

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
    proposals: await openProposals(context, (proposal) => proposal.target === trade.id && proposal.kind.startsWith('trade.')),
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
  app.get('/api/trades', { preHandler: app.authenticate, schema: route({ tags, summary: "Trades this state is involved in, from the gateway's own replay, with this official's legal acts", response: { 200: z.array(tradeView) } }) }, async (request) => {
    const own = listTrades(context.mirror.state.trades).filter((trade) => trade.parties.includes(context.party) || trade.coordinator === context.party);
    return Promise.all(own.map((trade) => tradeAnswer(context, trade, request.official!)));
  });

  app.get('/api/trades/:id', { preHandler: app.authenticate, schema: route({ tags, summary: 'One trade this state is involved in, with its legal acts and open proposals', params: idParams, response: { 200: tradeView } }) }, async (request) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    return tradeAnswer(context, trade, request.official!);
  });

  app.get('/api/trade-pool', { preHandler: app.authenticate, schema: route({
    tags,
    summary: 'Grants conditional on reciprocity that no committed trade holds: the legs a trade can be proposed from (public fields only)',
    response: { 200: z.array(z.strictObject({ request: z.string(), from: z.string(), to: z.string(), subject: z.string().describe('the pseudonym'), offences: z.array(z.string()), grantedAt: z.number().int().nullable() })) },
  }) }, async () =>
    listRequests(context.mirror.state)
      .filter((record) => record.status === 'granted-conditional' && record.decision?.onReciprocity === true && lockOf(context.mirror.state.trades, record.id) === undefined)
      .map((record) => ({ request: record.id, from: record.view.requested, to: record.view.requesting, subject: record.pseudonym, offences: record.view.offences, grantedAt: record.decision?.at ?? null })),
  );

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
