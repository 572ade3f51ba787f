import type { FastifyInstance } from 'fastify';
import { requestRoles } from '@evenhand/core';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { ACTIONS } from './actions.ts';
import { actsFor } from './acts-view.ts';
import { objectBody, ownRequest, type GatewayContext } from './context.ts';
import { requestDetail, sealedSearchText } from './request-views.ts';
import { auditDecryption } from './decryption-audit.ts';
import { BoundedCache } from './bounded-cache.ts';
import { REQUEST_PAGE, SEALED_SCAN_BUDGET, searchOwnRequests, type RequestQuery } from './request-search.ts';
import { submitEntry } from './submit-entry.ts';
import { SCAN_BUDGET } from './scan-page.ts';
import { evidenceSealedTo } from './routes-evidence.ts';
import type { ExchangeClient } from './exchange-client.ts';
import { z } from 'zod';
import { entryBodySchemas } from '@evenhand/core';
import { bodyWithout, booleanQuery, idParams, route, wholeQuery } from '../contract/common.ts';
import { checkedByCore } from '../contract/docs.ts';
import { requestDetailSchema, requestListAnswer } from '../contract/console.ts';

const tags = ['requests'];

/** A filing: its log index, the request's id, and whether the mirror holds it yet. */
export const filedAnswer = z.strictObject({ index: z.number().int(), request: z.string(), visible: z.boolean().describe('whether the request opens in this gateway yet (a witnessed checkpoint covers it); while it does not, GET /api/requests/{id} waits a few seconds for it, then answers REQUEST_PENDING (409)') });

/** An action's body is its entry body without the request, which the path names; each action's own schema, by the action's name. */
const actionBodies = Object.entries(ACTIONS).map(([action, rule]) => bodyWithout(entryBodySchemas[rule.type], 'request').describe(`${action} (${rule.type})`));

const requestQuery = z.strictObject({
  direction: z.enum(['incoming', 'outgoing', 'all']).optional(),
  status: z.string().max(40).optional(),
  sort: z.enum(['filed', 'filed-desc', 'due']).optional().describe('filing order (the default), newest first, or soonest open obligation first (read from the list of open obligations, then the requests with none, in filing order)'),
  q: z.string().max(200).optional().describe(`words to find, every one, in the id, pseudonym, counterpart and offences, or in the sealed members this state can open (a page opens those of about ${SEALED_SCAN_BUDGET} entries at most, and each request found there is recorded in the decryption audit)`),
  owed: z.enum(['us', 'them']).optional().describe('whose act the next deadline awaits'),
  overdue: booleanQuery.optional(),
  counterpart: z.string().max(3).optional(),
  incident: z.string().max(64).optional().describe('only the requests that name this incident'),
  after: z.string().max(12).optional().describe('the `next` of the previous page'),
  limit: wholeQuery(1, REQUEST_PAGE.max).optional(),
  acts: booleanQuery.optional().describe('with each request of the page, the acts this official may take on it now, as its own page lists them (issue 11)'),
});

/**
 * How long a filing's answer waits (`?wait`). By default it is held, up to 5 s, until the
 * request opens in this gateway (a witnessed checkpoint covers it), so that an API client can
 * read it at once. `wait=false` answers with the acknowledged write: the exchange has signed
 * its receipt and this gateway has recorded the submission, so nothing filed is lost from
 * there on. The console asks that: the request's page waits for the checkpoint itself and
 * says the request is pending meanwhile (context.ts `ownRequest`), and issue 14 asks a filing
 * to answer within 150 ms (p99) while the cosigned proof may take 300 ms.
 */
export const filingQuery = z.strictObject({
  wait: booleanQuery.optional().describe('false: answer as soon as the exchange has signed its receipt, without waiting (up to 5 s by default) for the request to open in this gateway; `visible` then says whether it has'),
});

/** Files a request as this state (the requesting party), sealed to both parties; `visible` says whether the request opens in this gateway yet. Waits unless `wait` is false (`filingQuery`). */
export async function fileRequest(context: GatewayContext, body: Record<string, unknown>, official: string, wait = true): Promise<{ index: number; request: unknown; visible: boolean }> {
  const time = context.now();
  const requested = typeof body.requested === 'string' ? body.requested : '';
  if (requested === context.party) throw new ServiceError('REQUESTED_INVALID', `body.requested: ${context.party} cannot request itself`, 'body.requested');
  const submitted = await submitEntry(context, 'request.file', body, time, [context.party, requested], official);
  const visible = wait ? await context.waitForMirror(submitted.index, 5_000) : context.mirror.size > submitted.index;
  return { index: submitted.index, request: body.request, visible };
}

/** A search's finding in sealed members (official, request, entries) recorded again only after this long. */
const SEARCH_AUDIT_REPEAT_SECONDS = 600;

export function registerRequestRoutes(app: FastifyInstance, context: GatewayContext, options: { readonly exchange: ExchangeClient }): void {
  /** When each recent finding was recorded; bounded, so a forgotten one is merely recorded again. */
  const searchAudited = new BoundedCache<string, number>(10_000);
  app.get(
    '/api/requests',
    {
      preHandler: app.authenticate,
      schema: route({
        tags,
        summary: `Requests this state is a party to, from the gateway's own replay: filtered, searched and paged on the server. A page examines at most ${SCAN_BUDGET} requests, and opens the sealed members of about ${SEALED_SCAN_BUDGET} entries at most to search them, so a sparse filter may answer fewer than \`limit\` rows with a \`next\`; no count of all matches is given`,
        querystring: requestQuery,
        response: { 200: requestListAnswer },
      }),
    },
    async (request) => {
      const { acts, ...query } = request.query as RequestQuery & { acts?: boolean };
      const official = request.official!;
      const { sealedMatches, ...page } = await searchOwnRequests(context.mirror.state, context.party, context.now(), query, (record) => sealedSearchText(context, record));
      // A row found in sealed members tells the official what they hold: audited as opened
      // (issue 15). The console reloads its list as the log grows, so the same finding comes
      // back every few seconds while a search is on screen: recorded once in SEARCH_AUDIT_REPEAT_SECONDS.
      // A request opened and not found records nothing: the page showed nothing of it, and
      // told only that a word is not there.
      for (const match of sealedMatches) {
        const finding = `${official.username}\u0000${match.request}\u0000${match.entries.join(',')}`;
        const recordedAt = searchAudited.get(finding);
        if (recordedAt !== undefined && context.now() - recordedAt < SEARCH_AUDIT_REPEAT_SECONDS) continue;
        await auditDecryption(context, official.username, { type: 'request', id: match.request }, match.entries);
        searchAudited.set(finding, context.now());
      }
      if (!acts) return page;
      // A page at most REQUEST_PAGE.max long: the acts cost a page, never the whole log.
      return { ...page, items: page.items.map((item) => ({ ...item, acts: actsFor(context, official.role, { kind: 'request', id: item.id }) })) };
    },
  );

  app.get('/api/requests/:id', { preHandler: app.authenticate, schema: route({ tags, summary: "One request: timeline, evaluation, mirror verdict, deadlines, the sealed members this state can open, this official's legal acts and the open decision proposals", params: idParams, response: { 200: requestDetailSchema } }) }, async (request) => {
    const record = await ownRequest(context, (request.params as { id: string }).id);
    return requestDetail(context, record, request.official!);
  });

  app.post('/api/requests', { preHandler: [app.authenticate, requireRole('clerk')], schema: route({ tags, summary: 'File a request (a request.file body; `sealed` in plaintext is encrypted to both parties)', querystring: filingQuery, body: checkedByCore(entryBodySchemas['request.file']), response: { 201: filedAnswer } }) }, async (request, reply) => {
    const { wait } = request.query as z.infer<typeof filingQuery>;
    return reply.status(201).send(await fileRequest(context, objectBody(request.body), request.official!.username, wait));
  });

  app.post(
    '/api/requests/:id/actions/:action',
    {
      preHandler: app.authenticate,
      schema: route({
        tags,
        summary: 'Act on a request (the body is the rest of the entry body; sealed members are encrypted before signing)',
        params: z.strictObject({ id: idParams.shape.id, action: z.string().max(40).describe(`one of ${Object.keys(ACTIONS).join(', ')}`) }),
        body: checkedByCore(z.union(actionBodies).optional().describe("the action's entry body without `request`, as the schema of its name")),
        response: { 201: z.strictObject({ index: z.number().int(), type: z.string().describe('the entry type written') }) },
      }),
    },
    async (request, reply) => {
      const { id, action } = request.params as { id: string; action: string };
      // Own keys only: "constructor" or "__proto__" must be unknown actions, not Object.prototype's.
      const rule = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!rule) throw new ServiceError('NOT_FOUND', `no action ${action}; the actions are ${Object.keys(ACTIONS).join(', ')}`);
      await requireRole(...rule.roles)(request, reply);
      const record = await ownRequest(context, id);
      // "A party acts only for itself": the side of the request this action belongs to.
      const side = requestRoles[rule.type as keyof typeof requestRoles];
      const actor = side === 'requesting' ? record.view.requesting : record.view.requested;
      if (actor !== context.party) throw new ServiceError('WRONG_PARTY', `${action} belongs to the ${side} party of ${id} (${actor}); this gateway acts for ${context.party}`);
      const raw = objectBody(request.body ?? {});
      if (rule.type === 'request.provide') await requireStoredEvidence(options.exchange, raw.evidence, record.view.requesting, record.id);
      const time = context.now();
      const submitted = await submitEntry(context, rule.type, { ...raw, request: id }, time, [record.view.requesting, record.view.requested], request.official!.username);
      // The official's next view of the request shows the act (bounded: a slow quorum leaves it pending).
      await context.waitForMirror(submitted.index, 5_000);
      return reply.status(201).send({ index: submitted.index, type: rule.type });
    },
  );
}

/** Data is delivered through the sealed evidence store: each file named must be there, sealed to the requesting party (routes-evidence.ts). */
async function requireStoredEvidence(exchange: ExchangeClient, evidence: unknown, requesting: string, request: string): Promise<void> {
  if (!Array.isArray(evidence)) return; // the core's schema names the field and the rule
  for (const [index, ref] of evidence.entries()) {
    if (typeof ref !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(ref)) continue;
    const found = await evidenceSealedTo(exchange, ref, requesting, request);
    if (found === 'missing') {
      throw new ServiceError('BAD_REQUEST', `body.evidence[${index}]: ${ref} is not in the evidence store; upload the file with POST /api/evidence?request=${request} and name the reference it answers`, `body.evidence[${index}]`);
    }
    if (found === 'not-for-reader') {
      throw new ServiceError('BAD_REQUEST', `body.evidence[${index}]: ${ref} is not sealed to ${requesting}, which asked for the data and could not open it; upload it again with POST /api/evidence?request=${request}`, `body.evidence[${index}]`);
    }
  }
}
