import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A stored snapshot of a replay of the log (schema `replay_snapshots`, issue 14). */
export interface StoredSnapshot {
  readonly service: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly data: Uint8Array;
  readonly digest: Uint8Array;
  readonly createdAt: number;
  /** The tree's subtree hashes at `size`; undefined in snapshots written before they were kept. */
  readonly tree?: Uint8Array | undefined;
}

function toSnapshot(row: Database['replay_snapshots']): StoredSnapshot {
  // The data and the tree as the driver gave them (a Buffer is a Uint8Array): at 10^6 entries
  // they are 26 MB and 64 MB, and a copy of each would only be garbage at a restart.
  return { service: row.service, size: Number(row.size), root: new Uint8Array(row.root), data: row.data, digest: new Uint8Array(row.digest), createdAt: Number(row.created_at), ...(row.tree ? { tree: row.tree } : {}) };
}

/**
 * Stores a snapshot and deletes the service's older ones beyond the `keep` latest, in one
 * transaction. It touches no log table: a snapshot that fails to be written costs a longer
 * restart, never an entry.
 */
export async function writeSnapshot(db: Kysely<Database>, snapshot: StoredSnapshot, keep = 2): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('replay_snapshots')
      .values({ service: snapshot.service, size: snapshot.size, root: snapshot.root, data: snapshot.data, digest: snapshot.digest, created_at: snapshot.createdAt, tree: snapshot.tree ?? null })
      .onConflict((conflict) => conflict.columns(['service', 'size', 'root']).doUpdateSet({ data: snapshot.data, digest: snapshot.digest, created_at: snapshot.createdAt, tree: snapshot.tree ?? null }))
      .execute();
    const kept = await trx.selectFrom('replay_snapshots').select('size').where('service', '=', snapshot.service).orderBy('size', 'desc').limit(Math.max(1, keep)).execute();
    const oldest = kept[kept.length - 1];
    if (oldest) await trx.deleteFrom('replay_snapshots').where('service', '=', snapshot.service).where('size', '<', Number(oldest.size)).execute();
  });
}

/** The service's snapshots, latest first, at most `limit`. */
export async function listSnapshots(db: Kysely<Database>, service: string, limit = 10): Promise<StoredSnapshot[]> {
  const rows = await db.selectFrom('replay_snapshots').selectAll().where('service', '=', service).orderBy('size', 'desc').limit(limit).execute();
  return rows.map(toSnapshot);
}

/** Leaf hashes of the entries `from <= index < to`, in index order: a tree rebuilt without hashing an entry again. */
export async function readLeafHashes(db: Kysely<Database>, from: number, to: number): Promise<Uint8Array[]> {
  const rows = await db.selectFrom('log_entries').select('leaf_hash').where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute();
  return rows.map((row) => new Uint8Array(row.leaf_hash));
}
