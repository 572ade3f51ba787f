import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { nullableNumber } from './gateway-repo.ts';
import { rowPage, type RowKey, type RowPage } from './row-page.ts';

/**
 * A two-person act prepared inside a state's gateway (DESIGN.md "Decisions need two
 * approvers"): one approver proposes it, a different one confirms it, and only then is the
 * entry signed. It may also end unconfirmed: withdrawn by its proposer, rejected by another
 * approver, or overtaken by the case's history. Rows are scoped by party.
 */
export type ProposalKind = 'request.decide' | 'trade.sign' | 'trade.commit' | 'treaty.propose' | 'treaty.ratify' | 'treaty.denounce' | 'official.register' | 'official.revoke';
export type ProposalEnding = 'withdrawn' | 'rejected' | 'overtaken';

export interface ActProposal {
  readonly id: string;
  readonly party: string;
  readonly kind: ProposalKind;
  /** The request (decisions), trade (signatures, commits) or official (revocations) the act is on; a label for treaty acts and registrations. */
  readonly target: string;
  readonly proposer: string;
  readonly body: unknown;
  readonly createdAt: number;
  readonly confirmableFrom: number | null;
  readonly confirmedBy: string | null;
  readonly entryIndex: number | null;
  readonly closed: { readonly at: number; readonly by: string; readonly outcome: ProposalEnding } | null;
  /**
   * Once the state has registered its officials (issue 13): the body both approvers sign, sealed
   * when proposed, and the proposer's signature over it (and over the commit that a last trade
   * signature brings with it). Null for a state without registered officials.
   */
  readonly signed: SignedProposal | null;
}

export interface SignedProposal {
  readonly body: Record<string, unknown>;
  readonly approval: string;
  readonly commit?: { readonly body: Record<string, unknown>; readonly approval: string } | undefined;
}

export async function createProposal(db: Kysely<Database>, proposal: Omit<ActProposal, 'confirmedBy' | 'entryIndex' | 'closed' | 'signed'> & { readonly signed?: SignedProposal | null }): Promise<void> {
  await db
    .insertInto('gateway_proposals')
    .values({
      id: proposal.id,
      party: proposal.party,
      kind: proposal.kind,
      request: proposal.target,
      proposer: proposal.proposer,
      body: JSON.stringify(proposal.body),
      created_at: proposal.createdAt,
      confirmable_from: proposal.confirmableFrom,
      confirmed_by: null,
      entry_index: null,
      closed_at: null,
      closed_by: null,
      closed_outcome: null,
      signed: proposal.signed ? JSON.stringify(proposal.signed) : null,
    })
    .execute();
}

function toProposal(row: Database['gateway_proposals']): ActProposal {
  const closedAt = nullableNumber(row.closed_at);
  return {
    id: row.id,
    party: row.party,
    kind: row.kind as ProposalKind,
    target: row.request,
    proposer: row.proposer,
    body: JSON.parse(row.body) as unknown,
    createdAt: Number(row.created_at),
    confirmableFrom: nullableNumber(row.confirmable_from),
    confirmedBy: row.confirmed_by,
    entryIndex: nullableNumber(row.entry_index),
    closed: closedAt === null ? null : { at: closedAt, by: row.closed_by ?? '', outcome: row.closed_outcome as ProposalEnding },
    signed: row.signed ? (JSON.parse(row.signed) as SignedProposal) : null,
  };
}

export async function findProposal(db: Kysely<Database>, party: string, id: string): Promise<ActProposal | undefined> {
  const row = await db.selectFrom('gateway_proposals').selectAll().where('id', '=', id).where('party', '=', party).executeTakeFirst();
  return row && toProposal(row);
}

/** Which open proposals a read wants: a kind among `kinds`, one target, by or not by one proposer. */
export interface OpenProposalFilter {
  readonly kinds?: readonly ProposalKind[] | undefined;
  readonly target?: string | undefined;
  readonly proposer?: string | undefined;
  readonly notProposer?: string | undefined;
}

/** The open proposals of this party that `filter` keeps, oldest first, without a page: for one target, where at most one per kind is open. */
function openQuery(db: Kysely<Database>, party: string, filter: OpenProposalFilter) {
  let query = db.selectFrom('gateway_proposals').selectAll().where('party', '=', party).where('confirmed_by', 'is', null).where('closed_at', 'is', null);
  // No kind asked for (a kind outside the scope asked for) keeps nothing.
  if (filter.kinds !== undefined) query = filter.kinds.length > 0 ? query.where('kind', 'in', [...filter.kinds]) : query.where(sql<boolean>`1 = 0`);
  if (filter.target !== undefined) query = query.where('request', '=', filter.target);
  if (filter.proposer !== undefined) query = query.where('proposer', '=', filter.proposer);
  if (filter.notProposer !== undefined) query = query.where('proposer', '<>', filter.notProposer);
  return query.orderBy('created_at').orderBy('id');
}

/**
 * Proposals of this party that are neither confirmed nor closed, oldest first. Without a
 * target this is every open one: callers that list them page with `pageOpenProposals`.
 */
export async function listOpenProposals(db: Kysely<Database>, party: string, filter: OpenProposalFilter = {}): Promise<ActProposal[]> {
  return (await openQuery(db, party, filter).execute()).map(toProposal);
}

/**
 * One page of the open proposals `filter` keeps, after `after` (row-page.ts). The partial
 * index on open rows (migration 0015) means closed and confirmed proposals, the history, are
 * never read.
 */
export async function pageOpenProposals(db: Kysely<Database>, party: string, filter: OpenProposalFilter, after: RowKey | undefined, limit: number): Promise<RowPage<ActProposal>> {
  let query = openQuery(db, party, filter);
  if (after !== undefined) query = query.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
  return rowPage((await query.limit(limit + 1).execute()).map(toProposal), limit);
}

/** Records the confirmation, once (compare-and-swap): false when already confirmed or closed. */
export async function markProposalConfirmed(db: Kysely<Database>, party: string, id: string, confirmer: string, index: number): Promise<boolean> {
  return updateOpen(db, party, id, { confirmed_by: confirmer, entry_index: index });
}

/** Ends an open proposal without a confirmation, once: false when it was confirmed or closed already. */
export async function markProposalClosed(db: Kysely<Database>, party: string, id: string, by: string, outcome: ProposalEnding, at: number): Promise<boolean> {
  return updateOpen(db, party, id, { closed_at: at, closed_by: by, closed_outcome: outcome });
}

/** Changes a proposal that is still open (neither confirmed nor closed); false when it is not. */
async function updateOpen(db: Kysely<Database>, party: string, id: string, set: Partial<Database['gateway_proposals']>): Promise<boolean> {
  const result = await db.updateTable('gateway_proposals').set(set).where('id', '=', id).where('party', '=', party).where('confirmed_by', 'is', null).where('closed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
