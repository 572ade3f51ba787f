import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { rowPage, type RowKey, type RowPage } from './row-page.ts';
import { statementRuns } from './statement-runs.ts';

/**
 * A state gateway's own records (issue 4 "Gateway"): draft filings, which stay inside the
 * gateway, and the outbox of accepted submissions (two-person proposals: proposal-repo.ts). Every query is
 * scoped by party where a row belongs to one, so one state's rows never answer another's.
 */

export interface Draft {
  readonly id: string;
  readonly party: string;
  readonly createdBy: string;
  readonly body: unknown;
  readonly createdAt: number;
  readonly filedIndex: number | null;
}

export interface Submission {
  readonly index: number;
  readonly author: string;
  readonly authorSeq: number;
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly type: string;
  readonly submittedAt: number;
  readonly includedAt: number | null;
  readonly receipt: string | null;
  /** Who took the act: the official's id (issue 15, audit trail). */
  readonly official: string | null;
}

export const nullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export async function createDraft(db: Kysely<Database>, draft: Omit<Draft, 'filedIndex'>): Promise<void> {
  await db.insertInto('gateway_drafts').values({ id: draft.id, party: draft.party, created_by: draft.createdBy, body: JSON.stringify(draft.body), created_at: draft.createdAt, filed_index: null }).execute();
}

function toDraft(row: Database['gateway_drafts']): Draft {
  return { id: row.id, party: row.party, createdBy: row.created_by, body: JSON.parse(row.body) as unknown, createdAt: Number(row.created_at), filedIndex: nullableNumber(row.filed_index) };
}

/** How many drafts one official keeps that are not yet filed (the gateway's per-official limit). */
export async function countOpenDrafts(db: Kysely<Database>, party: string, createdBy: string): Promise<number> {
  const row = await db.selectFrom('gateway_drafts').select((eb) => eb.fn.countAll<number>().as('open')).where('party', '=', party).where('created_by', '=', createdBy).where('filed_index', 'is', null).executeTakeFirst();
  return Number(row?.open ?? 0);
}

/** Every draft of this party, oldest first: for a backup's check and tests; the gateway's list pages with `pageDrafts`. */
export async function listDrafts(db: Kysely<Database>, party: string): Promise<Draft[]> {
  const rows = await db.selectFrom('gateway_drafts').selectAll().where('party', '=', party).orderBy('created_at').orderBy('id').execute();
  return rows.map(toDraft);
}

/**
 * One page of this party's drafts after `after`, oldest first (row-page.ts); `filed` keeps the
 * filed ones (true) or those still open (false). Read through the indexes of migration 0015,
 * so a page costs its own rows, however many drafts were filed before.
 */
export async function pageDrafts(db: Kysely<Database>, party: string, filter: { readonly filed?: boolean | undefined }, after: RowKey | undefined, limit: number): Promise<RowPage<Draft>> {
  let query = db.selectFrom('gateway_drafts').selectAll().where('party', '=', party);
  if (filter.filed !== undefined) query = query.where('filed_index', filter.filed ? 'is not' : 'is', null);
  if (after !== undefined) query = query.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
  const rows = await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  return rowPage(rows.map(toDraft), limit);
}

/** The draft with this id of this party; another party's draft is not found. */
export async function findDraft(db: Kysely<Database>, party: string, id: string): Promise<Draft | undefined> {
  const row = await db.selectFrom('gateway_drafts').selectAll().where('id', '=', id).where('party', '=', party).executeTakeFirst();
  return row && toDraft(row);
}

/** Replaces the body of a draft not yet filed: false when there is none (or it was filed). */
export async function updateDraft(db: Kysely<Database>, party: string, id: string, body: unknown): Promise<boolean> {
  const result = await db.updateTable('gateway_drafts').set({ body: JSON.stringify(body) }).where('id', '=', id).where('party', '=', party).where('filed_index', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a draft not yet filed (a filed one stays, as the record of what was filed): false when there is none. */
export async function deleteDraft(db: Kysely<Database>, party: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('gateway_drafts').where('id', '=', id).where('party', '=', party).where('filed_index', 'is', null).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Marks a draft filed, once: false when it was filed already. */
export async function markDraftFiled(db: Kysely<Database>, party: string, id: string, index: number): Promise<boolean> {
  const result = await db.updateTable('gateway_drafts').set({ filed_index: index }).where('id', '=', id).where('party', '=', party).where('filed_index', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recordSubmission(db: Kysely<Database>, submission: Omit<Submission, 'includedAt' | 'receipt' | 'official'> & { receipt?: string | null; official?: string | null }): Promise<void> {
  await db
    .insertInto('gateway_submissions')
    .values({
      idx: submission.index,
      author: submission.author,
      author_seq: submission.authorSeq,
      bytes: submission.bytes,
      leaf_hash: submission.leafHash,
      type: submission.type,
      submitted_at: submission.submittedAt,
      included_at: null,
      receipt: submission.receipt ?? null,
      official: submission.official ?? null,
    })
    .onConflict((conflict) => conflict.column('idx').doNothing())
    .execute();
}

function toSubmission(row: Database['gateway_submissions']): Submission {
  return {
    index: Number(row.idx),
    author: row.author,
    authorSeq: Number(row.author_seq),
    bytes: new Uint8Array(row.bytes),
    leafHash: new Uint8Array(row.leaf_hash),
    type: row.type,
    submittedAt: Number(row.submitted_at),
    includedAt: nullableNumber(row.included_at),
    receipt: row.receipt ?? null,
    official: row.official ?? null,
  };
}

export async function listPendingSubmissions(db: Kysely<Database>): Promise<Submission[]> {
  const rows = await db.selectFrom('gateway_submissions').selectAll().where('included_at', 'is', null).orderBy('idx').execute();
  return rows.map(toSubmission);
}

/**
 * Marks the submissions at `indexes` included, in one statement per 500 (one durable commit for
 * what a round of the monitor found, not one per submission: issue 14's sustained run spent a
 * millisecond of the gateway's event loop on each).
 */
export async function markSubmissionsIncluded(db: Kysely<Database>, indexes: readonly number[], at: number): Promise<void> {
  if (indexes.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const { run } of statementRuns(indexes)) {
      await trx.updateTable('gateway_submissions').set({ included_at: at }).where('idx', 'in', run).where('included_at', 'is', null).execute();
    }
  });
}

/** The author's latest accepted submission, to resume its seq/prev chain after a restart. */
export async function lastSubmissionOf(db: Kysely<Database>, author: string): Promise<Submission | undefined> {
  const row = await db.selectFrom('gateway_submissions').selectAll().where('author', '=', author).orderBy('author_seq', 'desc').limit(1).executeTakeFirst();
  return row && toSubmission(row);
}

/** This state's submissions with a receipt at an index in [from, to): what a new tree must hold. */
export async function receiptsBetween(db: Kysely<Database>, from: number, to: number): Promise<Submission[]> {
  const rows = await db.selectFrom('gateway_submissions').selectAll().where('idx', '>=', from).where('idx', '<', to).where('receipt', 'is not', null).orderBy('idx').execute();
  return rows.map(toSubmission);
}
