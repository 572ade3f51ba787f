import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { approvalsRequired } from './approvals.ts';
import { propose } from './proposals.ts';
import { deadlinesPage, denunciationViews, monthlySeries, PAGE_LIMIT, statistics, type DeadlineFilter } from '@evenhand/core';
import { cursorOf, GATEWAY_PAGE_DEFAULT } from './page-query.ts';
import { toBase64 } from '@evenhand/log';
import { requireRole } from '../auth/sessions.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { submitEntry } from './submit-entry.ts';
import { notificationStatus } from '@evenhand/store';
import { z } from 'zod';
import { entryBodySchemas, treatySchema } from '@evenhand/core';
import { indexAnswer, instant, pageQueryShape, route } from '../contract/common.ts';
import { checkedByCore } from '../contract/docs.ts';
import { dashboardAnswer, proposalAnswer } from '../contract/console.ts';
import { deadlineFilterQuery, deadlinesAnswer, denunciationViewSchema, pairStatisticsSchema } from '../contract/views.ts';

/** A treaty act is signed at once (before the state registers officials), or prepared for a second approver. */
const treatyActAnswer = { 201: z.union([indexAnswer, proposalAnswer]) };

/** Treaty adoption through the gateway, and the views recomputed from its own replay. */
export function registerLogRoutes(app: FastifyInstance, context: GatewayContext): void {
  // A treaty act binds the state: signed by its key alone until it registers its officials,
  // then prepared by one approver and confirmed by a second, both signing (issue 13).
  const treatyAct = (type: 'treaty.propose' | 'treaty.ratify' | 'treaty.denounce', label: (raw: Record<string, unknown>) => string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = objectBody(request.body);
    if (approvalsRequired(context.mirror.state, context.party)) {
      const proposal = await propose(context, { kind: type, target: label(raw), proposer: request.official!, params: raw, time: context.now() });
      return reply.status(201).send({ proposal });
    }
    const submitted = await submitEntry(context, type, raw, context.now(), [], request.official!.username);
    return reply.status(201).send({ index: submitted.index });
  };
  const versionOf = (treaty: unknown) => {
    const { id, version } = (treaty ?? {}) as { id?: unknown; version?: unknown };
    return `${String(id)} v${String(version)}`;
  };
  app.post('/api/treaty/propose', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags: ['treaty'], summary: 'Propose a treaty document (it must already carry every party’s entry key); a proposal for a second approver once the state has registered its officials', body: checkedByCore(entryBodySchemas['treaty.propose'].pick({ treaty: true })), response: treatyActAnswer }) }, treatyAct('treaty.propose', (raw) => versionOf(raw.treaty)));
  // Leaving the treaty (issue 17): the body names the treaty in force ({ "treaty": id }); the
  // entry is the notification, and the treaty's notice period runs from its time.
  app.post('/api/treaty/denounce', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags: ['treaty'], summary: 'Denounce the treaty in force for this state ({ "treaty": id }); it takes effect after the notice period the treaty states. A proposal for a second approver once the state has registered its officials', body: checkedByCore(entryBodySchemas['treaty.denounce'].pick({ treaty: true })), response: treatyActAnswer }) }, treatyAct('treaty.denounce', (raw) => String(raw.treaty)));
  app.post('/api/treaty/ratify', { preHandler: [app.authenticate, requireRole('approver')], schema: route({ tags: ['treaty'], summary: 'Ratify a proposed treaty version for this state; a proposal for a second approver once the state has registered its officials', body: checkedByCore(entryBodySchemas['treaty.ratify'].pick({ treaty: true, version: true })), response: treatyActAnswer }) }, treatyAct('treaty.ratify', (raw) => versionOf({ id: raw.treaty, version: raw.version })));

  // Public, before any login: the login page says whose gateway this is (issue 15).
  app.get('/api/gateway', { schema: route({ tags: ['session'], summary: 'Which state this gateway serves, for the login page', response: { 200: z.strictObject({ party: z.string(), name: z.string(), centralAuthority: z.string().nullable() }) } }) }, async () => {
    const party = context.mirror.state.treaty?.parties.find((each) => each.id === context.party);
    return { party: context.party, name: party?.name ?? context.party, centralAuthority: party?.centralAuthority ?? null };
  });

  app.get('/api/treaty', { preHandler: app.authenticate, schema: route({
    tags: ['treaty'],
    summary: 'The treaty in force, pending proposals, denunciations with their effective dates, and the grounds cited so far (for mirrored grounds), from the replay',
    response: {
      200: z.strictObject({
        treaty: treatySchema.nullable(),
        proposals: z.array(z.strictObject({ id: z.string(), version: z.number().int(), proposedBy: z.string(), ratifiedBy: z.array(z.string()) })),
        denunciations: z.array(denunciationViewSchema),
        invocations: z.array(z.strictObject({ by: z.string(), against: z.string(), ground: z.string() })),
      }),
    },
  }) }, async () => {
    const state = context.mirror.state;
    const { treaty, proposals, invocations } = state;
    return {
      treaty: treaty ?? null,
      proposals: proposals.map((proposal) => ({ id: proposal.treaty.id, version: proposal.treaty.version, proposedBy: proposal.proposedBy, ratifiedBy: proposal.ratifiedBy })),
      denunciations: denunciationViews(state, context.now()),
      invocations,
    };
  });

  app.get('/api/statistics', { preHandler: app.authenticate, schema: route({ tags: ['views'], summary: "Statistics per pair, from this gateway's own replay", response: { 200: z.strictObject({ at: instant, size: z.number().int(), pairs: z.array(pairStatisticsSchema) }) } }) }, async () => {
    const at = context.now();
    return { at, size: context.mirror.size, pairs: statistics(context.mirror.state, at) };
  });

  // The reciprocity dashboard's months with each counterpart (issue 5), counted from the index (issue 14): what the
  // console read before as every request of this state, a page at a time, again at each growth of the log.
  app.get('/api/dashboard', { preHandler: app.authenticate, schema: route({ tags: ['views'], summary: "This state's extraditions filed and persons handed over with each counterpart, month by month, from its own replay", response: { 200: dashboardAnswer } }) }, async () => {
    const at = context.now();
    return { size: context.mirror.size, at, counterparts: monthlySeries(context.mirror.state, at, context.party) };
  });

  // This state's obligations, a page at a time and filtered on the server (issue 14), cut from
  // the core's list as the exchange cuts its own, so the two pages read alike.
  app.get('/api/deadlines', { preHandler: app.authenticate, schema: route({
    tags: ['views'],
    summary: `Open obligations in this state's requests and trades, from its own replay, soonest first, filtered and a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT})`,
    querystring: z.strictObject({ ...pageQueryShape, ...deadlineFilterQuery }),
    response: { 200: deadlinesAnswer },
  }) }, async (request) => {
    const { after, limit, ...filter } = request.query as { after?: string; limit?: number } & DeadlineFilter;
    const state = context.mirror.state;
    // Positions count every obligation of the log; this state's own are those it is involved in.
    return deadlinesPage(state, context.now(), filter, cursorOf(after), limit ?? GATEWAY_PAGE_DEFAULT, context.party);
  });

  app.get('/api/log-health', { preHandler: app.authenticate, schema: route({
    tags: ['views'],
    summary: 'The latest verified checkpoint, the mirror, and the alarms',
    response: {
      200: z.strictObject({
        origin: z.string(),
        checkpoint: z.strictObject({ size: z.number().int(), root: z.string().describe('base64'), cosigners: z.array(z.strictObject({ witness: z.string(), timestamp: instant })) }).nullable(),
        lastConsistencyCheck: instant.nullable(),
        mirrorSize: z.number().int(),
        catchingUp: z.strictObject({
          from: z.number().int().describe('entries the mirror held when it began'),
          to: z.number().int().describe("the signed tree's size it is catching up to"),
          held: z.number().int().describe('entries checked, replayed and stored so far'),
          since: instant,
        }).nullable().describe('a long catch-up with the log, taken a chunk at a time after a stop or on an empty database; null when there is none'),
        halted: z.string().nullable().describe('why the mirror stopped (fail-stop), until a restart'),
        alarms: z.array(z.strictObject({ code: z.string(), message: z.string(), since: instant, evidence: z.record(z.string(), z.string()).optional() })),
        notifications: z.strictObject({ pending: z.number().int(), failing: z.number().int(), delivered: z.number().int(), lastError: z.string().nullable() }),
      }),
    },
  }) }, async () => {
    const verified = context.mirror.verified;
    return {
      origin: context.origin,
      checkpoint: verified ? { size: verified.checkpoint.size, root: toBase64(verified.checkpoint.root), cosigners: verified.cosignatures.map((entry) => ({ witness: entry.witness, timestamp: entry.timestamp })) } : null,
      lastConsistencyCheck: context.mirror.lastConsistencyCheck ?? null,
      mirrorSize: context.mirror.size,
      catchingUp: context.mirror.catchingUp ?? null,
      halted: context.mirror.halted ?? null,
      alarms: context.alarms.list(),
      // The operator's webhooks (issue 15): what is still owed, and the latest failure.
      notifications: await notificationStatus(context.store.db),
    };
  });
}
