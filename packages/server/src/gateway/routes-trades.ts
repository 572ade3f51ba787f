import type { FastifyInstance } from 'fastify';
import { getTrade, listTrades, type TradeRecord } from '@evenhand/core';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { entryTime, objectBody, withoutAt, type GatewayContext } from './context.ts';
import { submitEntry } from './submit-entry.ts';

const tags = ['trades'];

/** A trade this state gives or receives in, or coordinates; any other is answered as unknown, as for requests. */
async function ownTrade(context: GatewayContext, id: string): Promise<TradeRecord> {
  let trade = getTrade(context.mirror.state.trades, id);
  if (!trade) {
    await context.refresh();
    trade = getTrade(context.mirror.state.trades, id);
  }
  if (!trade || !(trade.parties.includes(context.party) || trade.coordinator === context.party)) throw new ServiceError('TRADE_UNKNOWN', `no trade ${id} of ${context.party} in the verified log`);
  return trade;
}

/** What this state has left to do in a trade, for the console. */
function todo(trade: TradeRecord, party: string) {
  return {
    sign: trade.status === 'proposed' && trade.parties.includes(party) && !trade.signedBy.includes(party),
    // Every party signed but nobody committed (two last signatures crossed): any party may.
    commit: trade.status === 'proposed' && trade.parties.includes(party) && trade.parties.every((other) => trade.signedBy.includes(other)),
    attest: trade.status === 'committed' && trade.coordinator === party ? trade.legs.flatMap((leg, index) => (leg.attestedAt === undefined ? [index] : [])) : [],
    confirmReceipt: trade.status === 'committed' ? trade.legs.flatMap((leg, index) => (leg.to === party && leg.attestedAt !== undefined && leg.receivedAt === undefined ? [index] : [])) : [],
  };
}

/**
 * Trades in the console API (DESIGN.md "Trades"; issue 6: "Gateways show them ... where
 * officials sign them"). Signing is an approver's act; when this state's signature is the
 * last one missing, the gateway commits the trade right after it (the core accepts
 * `trade.commit` only once every party has signed). Receipt is confirmed by a reviewer, as
 * for requests. Attesting is for a state named as coordinator. Every entry is signed with
 * the state's key and checked by the exchange's `apply`; its refusals come back as is.
 */
export function registerTradeRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get('/api/trades', { preHandler: app.authenticate, schema: { tags, summary: "Trades this state is involved in, from the gateway's own replay" } }, async () =>
    listTrades(context.mirror.state.trades)
      .filter((trade) => trade.parties.includes(context.party) || trade.coordinator === context.party)
      .map((trade) => ({ ...trade, todo: todo(trade, context.party) })),
  );

  app.get('/api/trades/:id', { preHandler: app.authenticate, schema: { tags, summary: 'One trade this state is involved in' } }, async (request) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    return { ...trade, todo: todo(trade, context.party) };
  });

  app.post('/api/trades', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: 'Propose a trade (a trade.propose body); every party then signs it' } }, async (request, reply) => {
    const raw = objectBody(request.body);
    const time = entryTime(context, raw);
    const submitted = await submitEntry(context, 'trade.propose', withoutAt(raw), time, partiesOf(context));
    return reply.status(201).send({ index: submitted.index, trade: raw.trade });
  });

  app.post('/api/trades/:id/sign', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: 'Sign a proposed trade as this state; the last signature also commits it' } }, async (request, reply) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    const raw = objectBody(request.body ?? {});
    const time = entryTime(context, raw);
    const signed = await submitEntry(context, 'trade.sign', { ...withoutAt(raw), trade: trade.id }, time, trade.parties);
    const last = trade.parties.every((party) => party === context.party || trade.signedBy.includes(party));
    if (!last) return reply.status(201).send({ index: signed.index, committed: false });
    const committed = await submitEntry(context, 'trade.commit', { trade: trade.id }, time, trade.parties);
    return reply.status(201).send({ index: signed.index, commitIndex: committed.index, committed: true });
  });

  app.post('/api/trades/:id/commit', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: 'Commit a trade every party has signed (when the last two signatures crossed, neither committed it)' } }, async (request, reply) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    const raw = objectBody(request.body ?? {});
    const committed = await submitEntry(context, 'trade.commit', { trade: trade.id }, entryTime(context, raw), trade.parties);
    return reply.status(201).send({ index: committed.index });
  });

  app.post('/api/trades/:id/attest', { preHandler: [app.authenticate, requireRole('approver')], schema: { tags, summary: "As the trade's coordinator: attest one leg's handover, identity and health checked" } }, async (request, reply) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    const raw = objectBody(request.body ?? {});
    const time = entryTime(context, raw);
    const submitted = await submitEntry(context, 'trade.attest', { ...withoutAt(raw), trade: trade.id }, time, trade.parties);
    return reply.status(201).send({ index: submitted.index });
  });

  app.post('/api/trades/:id/confirm-receipt', { preHandler: [app.authenticate, requireRole('reviewer')], schema: { tags, summary: 'Confirm receipt of the person of one leg ({"leg": n}) as its receiving state' } }, async (request, reply) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    const raw = objectBody(request.body ?? {});
    const time = entryTime(context, raw);
    const submitted = await submitEntry(context, 'trade.confirm-receipt', { ...withoutAt(raw), trade: trade.id }, time, trade.parties);
    return reply.status(201).send({ index: submitted.index });
  });
}

/**
 * Who a proposal's sealed note is encrypted to: every treaty party. Its legs name requests
 * whose parties only the log knows, and voluntary legs and destinations may name any party.
 */
function partiesOf(context: GatewayContext): string[] {
  const parties = (context.mirror.state.treaty?.parties ?? []).map((party) => party.id);
  return parties.includes(context.party) ? parties : [context.party, ...parties];
}
