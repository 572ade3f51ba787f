import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { nullableNumber } from './gateway-repo.ts';

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

/** Proposals of this party that are neither confirmed nor closed, oldest first. */
export async function listOpenProposals(db: Kysely<Database>, party: string): Promise<ActProposal[]> {
  const rows = await db
    .selectFrom('gateway_proposals')
    .selectAll()
    .where('party', '=', party)
    .where('confirmed_by', 'is', null)
    .where('closed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toProposal);
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
