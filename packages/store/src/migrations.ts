import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { StoreConfig } from './create-db.ts';

/** The shape shared by the log's head, its published checkpoint and a witness's state (checkpoint-repo.ts). */
async function createCheckpointTable(db: Kysely<any>, name: string, bytes: 'bytea' | 'blob'): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('origin', 'text', (column) => column.primaryKey())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('root', bytes, (column) => column.notNull())
    .addColumn('note', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();
}

/**
 * Migrations live in code, so that the package carries its schema wherever it runs. They
 * differ between engines only in the binary column type.
 */
export function migrations(engine: StoreConfig['engine']): Record<string, Migration> {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001-log': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('log_entries')
          .addColumn('idx', 'bigint', (column) => column.primaryKey())
          .addColumn('bytes', bytes, (column) => column.notNull())
          .addColumn('leaf_hash', bytes, (column) => column.notNull())
          .addColumn('author', 'text', (column) => column.notNull())
          .addColumn('author_seq', 'bigint', (column) => column.notNull())
          .addColumn('type', 'text', (column) => column.notNull())
          .addColumn('time', 'bigint', (column) => column.notNull())
          // Each author's chain has one entry per seq: a replayed entry cannot get in twice.
          .addUniqueConstraint('log_entries_author_seq', ['author', 'author_seq'])
          .execute();
        await db.schema
          .createTable('log_sequence')
          .addColumn('id', 'integer', (column) => column.primaryKey())
          .addColumn('next_idx', 'bigint', (column) => column.notNull())
          .execute();
        await db.insertInto('log_sequence').values({ id: 1, next_idx: 0 }).execute();
        await createCheckpointTable(db, 'log_head', bytes);
        await createCheckpointTable(db, 'witness_state', bytes);
      },
    },
    '0002-accounts': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('accounts')
          .addColumn('username', 'text', (column) => column.primaryKey())
          .addColumn('party', 'text', (column) => column.notNull())
          .addColumn('role', 'text', (column) => column.notNull())
          .addColumn('password_hash', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id_hash', 'text', (column) => column.primaryKey())
          .addColumn('username', 'text', (column) => column.notNull().references('accounts.username').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (column) => column.notNull())
          .addColumn('expires_at', 'bigint', (column) => column.notNull())
          .execute();
      },
    },
    '0003-published': {
      async up(db: Kysely<any>) {
        await createCheckpointTable(db, 'log_published', bytes);
      },
    },
    // A state gateway's own working data (issue 4 "Gateway"): drafts and decision proposals
    // never leave the gateway, and the outbox lets it resume its entry chain and check that
    // each submission was included.
    '0004-gateway': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('gateway_drafts')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('party', 'text', (column) => column.notNull())
          .addColumn('created_by', 'text', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('filed_index', 'bigint')
          .execute();
        await db.schema
          .createTable('gateway_proposals')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('party', 'text', (column) => column.notNull())
          .addColumn('request', 'text', (column) => column.notNull())
          .addColumn('proposer', 'text', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('confirmed_by', 'text')
          .addColumn('entry_index', 'bigint')
          .execute();
        await db.schema
          .createTable('gateway_submissions')
          .addColumn('idx', 'bigint', (column) => column.primaryKey())
          .addColumn('author', 'text', (column) => column.notNull())
          .addColumn('author_seq', 'bigint', (column) => column.notNull())
          .addColumn('bytes', bytes, (column) => column.notNull())
          .addColumn('leaf_hash', bytes, (column) => column.notNull())
          .addColumn('type', 'text', (column) => column.notNull())
          .addColumn('submitted_at', 'bigint', (column) => column.notNull())
          .addColumn('included_at', 'bigint')
          .execute();
      },
    },
    '0005-blobs': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('blobs')
          .addColumn('hash', 'text', (column) => column.primaryKey())
          .addColumn('bytes', bytes, (column) => column.notNull())
          .addColumn('author', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .execute();
      },
    },
    // Two-person acts beyond decisions (trade signatures and commits), and proposals that end
    // without a confirmation: withdrawn by their proposer, rejected by a second approver, or
    // overtaken by the request's history (issue 11).
    '0006-proposal-lifecycle': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('gateway_proposals').addColumn('kind', 'text', (column) => column.notNull().defaultTo('request.decide')).execute();
        await db.schema.alterTable('gateway_proposals').addColumn('confirmable_from', 'bigint').execute();
        await db.schema.alterTable('gateway_proposals').addColumn('closed_at', 'bigint').execute();
        await db.schema.alterTable('gateway_proposals').addColumn('closed_by', 'text').execute();
        await db.schema.alterTable('gateway_proposals').addColumn('closed_outcome', 'text').execute();
      },
    },
    // The exchange's signed receipt for each accepted submission (issue 12): the gateway's
    // witness refuses a tree that does not hold the entry where the receipt put it.
    '0007-receipts': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('gateway_submissions').addColumn('receipt', 'text').execute();
      },
    },
    // Every checkpoint the exchange published, the first time it published each size, with the
    // instant its witnesses had cosigned it (issue 12): entry times are bound to these.
    '0008-checkpoint-archive': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('log_checkpoints')
          .addColumn('size', 'bigint', (column) => column.primaryKey())
          .addColumn('root', bytes, (column) => column.notNull())
          .addColumn('note', 'text', (column) => column.notNull())
          .addColumn('witnessed_at', 'bigint', (column) => column.notNull())
          .execute();
      },
    },
    // Who took each act this gateway submitted (issue 15, "audit trail").
    '0009-submission-official': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('gateway_submissions').addColumn('official', 'text').execute();
      },
    },
    // Notifications a gateway owes its operator's webhooks (issue 15), delivered at least once,
    // and the small state the notifier keeps between runs (how far it has looked).
    '0010-notifications': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('gateway_notifications')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('url', 'text', (column) => column.notNull())
          .addColumn('event', 'text', (column) => column.notNull())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('attempts', 'integer', (column) => column.notNull())
          .addColumn('next_at', 'bigint', (column) => column.notNull())
          .addColumn('delivered_at', 'bigint')
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex('gateway_notifications_due').on('gateway_notifications').columns(['delivered_at', 'next_at']).execute();
        await db.schema.createTable('gateway_state').addColumn('key', 'text', (column) => column.primaryKey()).addColumn('value', 'text', (column) => column.notNull()).execute();
      },
    },
    // Approvers' personal signing keys (issue 13): the public half, registered in the log, and
    // the seed sealed under the password; a session keeps the seed sealed under its own id; a
    // proposal keeps the body its approvers sign and the proposer's signature.
    '0011-official-keys': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('accounts').addColumn('signing_key', 'text').execute();
        await db.schema.alterTable('accounts').addColumn('signing_key_sealed', 'text').execute();
        await db.schema.alterTable('sessions').addColumn('signing_seal', 'text').execute();
        await db.schema.alterTable('gateway_proposals').addColumn('signed', 'text').execute();
      },
    },
    // Who decrypted what, when (issue 17): the gateway's audit of its own officials.
    '0012-decryption-audit': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('gateway_decryptions')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (column) => (engine === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement()))
          .addColumn('official', 'text', (column) => column.notNull())
          .addColumn('subject_type', 'text', (column) => column.notNull())
          .addColumn('subject_id', 'text', (column) => column.notNull())
          .addColumn('entries', 'text', (column) => column.notNull())
          .addColumn('at', 'bigint', (column) => column.notNull())
          .execute();
        await db.schema.createIndex('gateway_decryptions_official').on('gateway_decryptions').columns(['official', 'id']).execute();
        await db.schema.createIndex('gateway_decryptions_subject').on('gateway_decryptions').columns(['subject_id', 'id']).execute();
      },
    },
    // Each case's own key (issue 17, docs/erasure.md): sealed under the gateway's local key, with
    // the instant from which it is erased, indexed so that the erasure timer reads only due rows.
    '0013-case-keys': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('gateway_case_keys')
          .addColumn('request', 'text', (column) => column.primaryKey())
          .addColumn('sealed_key', 'text')
          .addColumn('wrap_kid', 'text', (column) => column.notNull())
          .addColumn('filed_index', 'bigint', (column) => column.notNull())
          .addColumn('erase_after', 'bigint')
          .addColumn('erased_at', 'bigint')
          .execute();
        await db.schema.createIndex('gateway_case_keys_due').on('gateway_case_keys').column('erase_after').execute();
      },
    },
    // Snapshots of the replayed state (issue 14, "Snapshots"): a restart replays only the log
    // after the latest one. Keyed by who replayed (the exchange, or a party's gateway), the
    // tree size and its root; a few are kept, the older deleted as new ones are written.
    '0014-replay-snapshots': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('replay_snapshots')
          .addColumn('service', 'text', (column) => column.notNull())
          .addColumn('size', 'bigint', (column) => column.notNull())
          .addColumn('root', bytes, (column) => column.notNull())
          .addColumn('data', bytes, (column) => column.notNull())
          .addColumn('digest', bytes, (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addPrimaryKeyConstraint('replay_snapshots_pk', ['service', 'size', 'root'])
          .execute();
      },
    },
    // Keyset pages of the gateway's own rows (issue 14, store row-page.ts): each list reads a
    // page through an index in (created_at, id) order. The open proposals and open drafts have
    // partial indexes, so that a page of them never walks the confirmed, closed or filed rows
    // that history leaves behind; an open proposal is also found by its target that way.
    '0015-row-pages': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('gateway_proposals_open').on('gateway_proposals').columns(['party', 'created_at', 'id']).where(sql.ref('confirmed_by'), 'is', null).where(sql.ref('closed_at'), 'is', null).execute();
        await db.schema.createIndex('gateway_proposals_open_target').on('gateway_proposals').columns(['party', 'request']).where(sql.ref('confirmed_by'), 'is', null).where(sql.ref('closed_at'), 'is', null).execute();
        await db.schema.createIndex('gateway_drafts_order').on('gateway_drafts').columns(['party', 'created_at', 'id']).execute();
        await db.schema.createIndex('gateway_drafts_open').on('gateway_drafts').columns(['party', 'created_at', 'id']).where(sql.ref('filed_index'), 'is', null).execute();
      },
    },
    // A snapshot's Merkle tree (issue 14, restart at 10^6 entries): every stored subtree hash
    // at the snapshot's size, so that a restart does not read and hash every leaf again. Null
    // in snapshots written before, which a restart refuses once (the full replay then writes one with its tree).
    '0016-snapshot-tree': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('replay_snapshots').addColumn('tree', bytes).execute();
      },
    },
    // Snapshots as a chain (issue 14, no periodic cost that grows with history): a delta names
    // the snapshot it follows by size and digest; a whole snapshot has neither.
    '0017-snapshot-chain': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('replay_snapshots').addColumn('base_size', 'bigint').execute();
        await db.schema.alterTable('replay_snapshots').addColumn('base_digest', bytes).execute();
      },
    },
    // A gateway's pending submissions (issue 14, no periodic task over the whole history): every
    // monitor round and case-key catch-up lists the submissions not yet seen in the log. Without
    // an index that list read every submission ever made, bytes and all: in the sustained run it
    // was the gateway's costliest statement (11 s of 150; 6.7 ms a call on average while the
    // table grew to 15,000 rows), and its cost grew with the log. The partial index holds only
    // the pending ones, in index order. A restart resumes an author's chain from its latest
    // submission (`lastSubmissionOf`), which the second index finds without a scan.
    '0018-pending-submissions': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('gateway_submissions_pending').on('gateway_submissions').column('idx').where(sql.ref('included_at'), 'is', null).execute();
        await db.schema.createIndex('gateway_submissions_author').on('gateway_submissions').columns(['author', 'author_seq']).execute();
      },
    },
    // The webhook notifications delivered, as a counter (issue 14): the log-health screen counted
    // every delivered row at each read, and delivered rows are kept. Seeded once, here, from them.
    '0019-notifications-delivered-counter': {
      async up(db: Kysely<any>) {
        const delivered = await db.selectFrom('gateway_notifications').select((eb) => eb.fn.count('delivered_at').as('count')).executeTakeFirst();
        // The key as notification-repo.ts names it (DELIVERED_COUNTER), written out: a migration never changes with the code after it.
        await db.insertInto('gateway_state').values({ key: 'notifications.delivered', value: String(Number(delivered?.count ?? 0)) }).execute();
      },
    },
    // Indexes for the statements that a request or a periodic round makes on tables that history
    // fills (issue 14): an erasure finds its case's filed draft and its proposals (filed drafts and
    // closed proposals are kept, and 0015's partial indexes hold only the open ones); the metrics
    // count the open sessions and the gateway sweeps the expired ones; the decryption audit
    // filtered by an official and a case at once walked all of one of them.
    '0020-history-indexes': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('gateway_drafts_filed').on('gateway_drafts').column('filed_index').execute();
        await db.schema.createIndex('gateway_proposals_request').on('gateway_proposals').column('request').execute();
        await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
        await db.schema.createIndex('gateway_decryptions_official_subject').on('gateway_decryptions').columns(['official', 'subject_id', 'id']).execute();
      },
    },
  };
}

export async function migrateToLatest(db: Kysely<any>, engine: StoreConfig['engine']): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(engine) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
