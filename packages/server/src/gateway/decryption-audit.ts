import type { FastifyInstance } from 'fastify';
import { listDecryptions, recordDecryption } from '@evenhand/store';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import type { GatewayContext } from './context.ts';
import { z } from 'zod';
import { type Decryption } from '@evenhand/store';
import { route } from '../contract/common.ts';

const decryptionRowSchema = z.strictObject({
  id: z.number().int(),
  official: z.string(),
  subjectType: z.enum(['request', 'trade', 'evidence']),
  subjectId: z.string(),
  entries: z.array(z.number().int()).describe('the log indexes whose sealed members were opened; empty for an evidence file'),
  at: z.number().int(),
}) satisfies z.ZodType<Decryption>;

/**
 * Every decryption shown to an official is recorded in this gateway's own audit table (issue
 * 17): who, when, which case, which entries. Recorded before the plaintext leaves, so that no
 * plaintext is shown without its record: a failed write fails the request.
 */
export async function auditDecryption(context: GatewayContext, official: string, subject: { type: 'request' | 'trade' | 'evidence'; id: string }, entries: readonly number[]): Promise<void> {
  if (subject.type !== 'evidence' && entries.length === 0) return;
  await recordDecryption(context.store.db, { official, subjectType: subject.type, subjectId: subject.id, entries, at: context.now() });
}

const PAGE_LIMIT = 200;

/** The audit table for the state's approvers and observers, newest first, a page at a time. */
export function registerDecryptionAuditRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get('/api/audit/decryptions', { preHandler: [app.authenticate, requireRole('approver', 'observer')], schema: route({
    tags: ['audit'],
    summary: "Who in this state opened which case's sealed data, and when; newest first, filtered by `official` or `case`, paged by `before` (the last row's id) and `limit` (at most 200)",
    querystring: z.strictObject({ official: z.string().max(64).optional(), case: z.string().max(64).optional(), before: z.string().max(16).optional().describe("the id of the last row of the previous page"), limit: z.string().max(4).optional().describe(`1 to ${PAGE_LIMIT}, 50 by default`) }),
    response: { 200: z.strictObject({ items: z.array(decryptionRowSchema), next: z.string().nullable() }) },
  }) }, async (request) => {
    const query = request.query as { official?: string; case?: string; before?: string; limit?: string };
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT) throw new ServiceError('BAD_REQUEST', `query.limit: a whole number from 1 to ${PAGE_LIMIT}, found "${query.limit}"`, 'query.limit');
    const before = query.before === undefined ? undefined : Number(query.before);
    if (before !== undefined && (!Number.isInteger(before) || before < 1)) throw new ServiceError('BAD_REQUEST', `query.before: the id of the last row of the previous page, found "${query.before}"`, 'query.before');
    const rows = await listDecryptions(context.store.db, { limit, before, official: query.official, subjectId: query.case });
    return { items: rows, next: rows.length === limit ? String(rows[rows.length - 1]!.id) : null };
  });
}
