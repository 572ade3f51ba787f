import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { countOpenDrafts, createDraft, deleteDraft, findDraft, markDraftFiled, pageDrafts, updateDraft, type Draft } from '@evenhand/store';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { fileRequest, filedAnswer, filingQuery } from './routes-requests.ts';
import { z } from 'zod';
import { PAGE_LIMIT } from '@evenhand/core';
import { booleanQuery, idParams, noContent, route, rowPageQueryShape } from '../contract/common.ts';
import { rowPageSchema } from '../contract/views.ts';
import { GATEWAY_PAGE_DEFAULT, rowCursor, rowCursorOf } from './page-query.ts';

const tags = ['drafts'];

/** A draft is a request.file body in progress: any JSON object, checked only when it is filed. */
const draftBodySchema = z.record(z.string(), z.unknown()).describe('a request.file body, complete or not; the core checks it when the draft is filed');
const draftSchema = z.strictObject({ id: z.string(), createdBy: z.string(), createdAt: z.number().int(), filedIndex: z.number().int().nullable(), body: draftBodySchema });

/** Limits on what one official keeps here (issue 14): drafts are plaintext working copies, not an archive. */
export const DRAFT_LIMITS = { openPerOfficial: 200, bytes: 64 * 1024 } as const;

/** A draft body within the size limit, or the reason it is refused. */
function draftBody(raw: unknown): Record<string, unknown> {
  const body = objectBody(raw);
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > DRAFT_LIMITS.bytes) throw new ServiceError('BODY_TOO_LARGE', `body: a draft is at most ${DRAFT_LIMITS.bytes} bytes of JSON; this one is ${bytes}`, 'body');
  return body;
}

function view(draft: Draft) {
  return { id: draft.id, createdBy: draft.createdBy, createdAt: draft.createdAt, filedIndex: draft.filedIndex, body: draft.body };
}

/**
 * Draft filings (issue 4: "an official sees only their own state's drafts"). A draft is
 * stored in this gateway only, in plaintext, and is never sent to the exchange until it is
 * filed; another state's gateway has no way to reach it, and this state's queries are
 * scoped to its party, so a draft id from elsewhere is simply not found.
 */
export function registerDraftRoutes(app: FastifyInstance, context: GatewayContext): void {
  /**
   * Drafts being filed now: neither changed, deleted nor filed again until the filing ends.
   * A delete that came while a draft was being filed removed it, so the request was in the log
   * with no draft left as the record of what was filed; two files at once filed it twice.
   * One gateway process serves a state, so its own memory is where the filing is known.
   */
  const filing = new Set<string>();
  const notWhileFiling = (id: string) => {
    if (filing.has(id)) throw new ServiceError('DRAFT_FILED', `draft ${id} is being filed now; once filed it stays as the record of what was filed`);
  };
  app.post('/api/drafts', { preHandler: [app.authenticate, requireRole('clerk')], schema: route({ tags, summary: 'Save a draft request.file body (stays in this gateway)', body: draftBodySchema, response: { 201: draftSchema } }) }, async (request, reply) => {
    const body = draftBody(request.body);
    const createdBy = request.official!.username;
    const draft = { id: `draft-${randomBytes(9).toString('base64url')}`, party: context.party, createdBy, body, createdAt: context.now() };
    // Counted and written in one turn of the gateway's queue, so two posts cannot both pass the count.
    await context.submitter.exclusive(async () => {
      const open = await countOpenDrafts(context.store.db, context.party, createdBy);
      if (open >= DRAFT_LIMITS.openPerOfficial) throw new ServiceError('DRAFT_LIMIT', `${createdBy} keeps ${open} drafts not yet filed, the most one official may; file or delete some first`);
      await createDraft(context.store.db, draft);
    });
    return reply.status(201).send(view({ ...draft, filedIndex: null }));
  });

  // A page of drafts, oldest first, read with a keyset from the store (issue 14). The page has
  // no log size: drafts are this gateway's own rows, which the log never holds.
  app.get('/api/drafts', { preHandler: app.authenticate, schema: route({
    tags,
    summary: `This state's drafts, oldest first, a page at a time (${GATEWAY_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}); filed ones stay as the record of what was filed. The page has no \`size\`: drafts are not in the log.`,
    querystring: z.strictObject({ ...rowPageQueryShape, filed: booleanQuery.optional().describe('only the drafts filed (true) or only those not filed yet (false)') }),
    response: { 200: rowPageSchema(draftSchema) },
  }) }, async (request) => {
    const { after, limit, filed } = request.query as { after?: string; limit?: number; filed?: boolean };
    const page = await pageDrafts(context.store.db, context.party, { filed }, rowCursorOf(after), limit ?? GATEWAY_PAGE_DEFAULT);
    return { items: page.rows.map(view), next: rowCursor(page.next) };
  });

  app.get('/api/drafts/:id', { preHandler: app.authenticate, schema: route({ tags, summary: 'One draft of this state', params: idParams, response: { 200: draftSchema } }) }, async (request) => {
    const draft = await findDraft(context.store.db, context.party, (request.params as { id: string }).id);
    if (!draft) throw new ServiceError('NOT_FOUND', `no draft ${(request.params as { id: string }).id} of ${context.party}`);
    return view(draft);
  });

  app.put('/api/drafts/:id', { preHandler: [app.authenticate, requireRole('clerk')], schema: route({ tags, summary: 'Replace the body of a draft not yet filed', params: idParams, body: draftBodySchema, response: { 200: draftSchema } }) }, async (request) => {
    const { id } = request.params as { id: string };
    const body = draftBody(request.body);
    notWhileFiling(id);
    if (!(await updateDraft(context.store.db, context.party, id, body))) throw draftGone(context, id, await findDraft(context.store.db, context.party, id));
    return view((await findDraft(context.store.db, context.party, id))!);
  });

  app.delete('/api/drafts/:id', { preHandler: [app.authenticate, requireRole('clerk')], schema: route({ tags, summary: 'Delete a draft not yet filed', params: idParams, response: { 204: noContent('deleted') } }) }, async (request, reply) => {
    const { id } = request.params as { id: string };
    notWhileFiling(id);
    if (!(await deleteDraft(context.store.db, context.party, id))) throw draftGone(context, id, await findDraft(context.store.db, context.party, id));
    return reply.status(204).send();
  });

  app.post('/api/drafts/:id/file', { preHandler: [app.authenticate, requireRole('clerk')], schema: route({ tags, summary: 'File a draft as a request', params: idParams, querystring: filingQuery, response: { 201: filedAnswer } }) }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { wait } = request.query as z.infer<typeof filingQuery>;
    notWhileFiling(id);
    filing.add(id);
    try {
      const draft = await findDraft(context.store.db, context.party, id);
      if (!draft) throw new ServiceError('NOT_FOUND', `no draft ${id} of ${context.party}`);
      if (draft.filedIndex !== null) throw new ServiceError('DRAFT_FILED', `draft ${id} was filed already, as entry ${draft.filedIndex}`);
      const filed = await fileRequest(context, objectBody(draft.body), request.official!.username, wait);
      await markDraftFiled(context.store.db, context.party, id, filed.index);
      return reply.status(201).send(filed);
    } finally {
      filing.delete(id);
    }
  });
}

/** Why a draft cannot be changed: it does not exist for this state, or it was filed (and stays as the record of what was). */
function draftGone(context: GatewayContext, id: string, draft: Draft | undefined): ServiceError {
  return draft ? new ServiceError('DRAFT_FILED', `draft ${id} was filed as entry ${draft.filedIndex}; it stays as the record of what was filed`) : new ServiceError('NOT_FOUND', `no draft ${id} of ${context.party}`);
}
