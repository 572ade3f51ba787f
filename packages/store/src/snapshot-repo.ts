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
  /**
   * For a delta, the snapshot it follows: its data and tree hold only what changed since
   * (server snapshot-keeper.ts). Undefined in a whole snapshot.
   */
  readonly base?: { readonly size: number; readonly digest: Uint8Array } | undefined;
}

function toSnapshot(row: Database['replay_snapshots']): StoredSnapshot {
  // The data and the tree as the driver gave them (a Buffer is a Uint8Array): at 10^6 entries
  // they are 26 MB and 64 MB, and a copy of each would only be garbage at a restart.
  const base = row.base_size === null || row.base_digest === null ? undefined : { size: Number(row.base_size), digest: new Uint8Array(row.base_digest) };
  return { service: row.service, size: Number(row.size), root: new Uint8Array(row.root), data: row.data, digest: new Uint8Array(row.digest), createdAt: Number(row.created_at), ...(row.tree ? { tree: row.tree } : {}), ...(base ? { base } : {}) };
}

/**
 * Stores a snapshot. Storing a whole one also deletes what came before the `keep` latest whole
 * ones, with the deltas that follow them, in the same transaction: a chain is kept or deleted
 * whole. It touches no log table: a snapshot that fails to be written costs a longer restart,
 * never an entry.
 */
export async function writeSnapshot(db: Kysely<Database>, snapshot: StoredSnapshot, keep = 2): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const columns = { data: snapshot.data, digest: snapshot.digest, created_at: snapshot.createdAt, tree: snapshot.tree ?? null, base_size: snapshot.base?.size ?? null, base_digest: snapshot.base?.digest ?? null };
    await trx
      .insertInto('replay_snapshots')
      .values({ service: snapshot.service, size: snapshot.size, root: snapshot.root, ...columns })
      .onConflict((conflict) => conflict.columns(['service', 'size', 'root']).doUpdateSet(columns))
      .execute();
    if (snapshot.base) return;
    // Rows beyond 2^53 are no snapshots (readSnapshotChain): counted as kept, they would have the ones written deleted.
    const kept = await trx.selectFrom('replay_snapshots').select('size').where('service', '=', snapshot.service).where('base_size', 'is', null).where('size', '<=', Number.MAX_SAFE_INTEGER).orderBy('size', 'desc').limit(Math.max(1, keep)).execute();
    const oldest = kept[kept.length - 1];
    if (oldest) await trx.deleteFrom('replay_snapshots').where('service', '=', snapshot.service).where('size', '<', Number(oldest.size)).execute();
  });
}

/** Links in a chain at most: a whole snapshot and the deltas a keeper writes after it (server snapshot-keeper.ts writes one fewer deltas than this). */
export const MAX_CHAIN_LINKS = 65;

/**
 * The service's latest chain of snapshots: its latest snapshot and those it follows, back to
 * a whole one, oldest first; empty when there is none. Each link is the row of the size and
 * digest its successor names (two rows may share a size: another history's). A chain whose
 * base is missing, or longer than MAX_CHAIN_LINKS, comes back starting with a delta, for the
 * reader to refuse. Each link is read by its own size and digest, so that rows edited in the
 * table (a size no number holds exactly, thousands of links) cost a refusal, never a failed
 * query or a walk that grows with the square of the rows.
 */
export async function readSnapshotChain(db: Kysely<Database>, service: string): Promise<StoredSnapshot[]> {
  // A size no number holds exactly (beyond 2^53) is no snapshot this service wrote: read back
  // as another number, its row could not be found again, or deleted once refused, and it would
  // head the chain, refused at every start.
  const heads = await db.selectFrom('replay_snapshots').select(['size', 'digest', 'base_size', 'base_digest']).where('service', '=', service).where('size', '<=', Number.MAX_SAFE_INTEGER).orderBy('size', 'desc').execute();
  const key = (size: unknown, digest: Uint8Array) => `${String(size)}:${Buffer.from(digest).toString('hex')}`;
  const byKey = new Map(heads.map((head) => [key(head.size, head.digest), head]));
  const chain: (typeof heads)[number][] = [];
  const seen = new Set<string>();
  let next = heads[0];
  while (next && chain.length < MAX_CHAIN_LINKS && !seen.has(key(next.size, next.digest))) {
    seen.add(key(next.size, next.digest));
    chain.unshift(next);
    next = next.base_size === null || next.base_digest === null ? undefined : byKey.get(key(next.base_size, next.base_digest));
  }
  const rows: StoredSnapshot[] = [];
  for (const link of chain) {
    const row = await db.selectFrom('replay_snapshots').selectAll().where('service', '=', service).where('size', '=', link.size).where('digest', '=', link.digest).executeTakeFirst();
    if (row) rows.push(toSnapshot(row));
  }
  return rows;
}

/** Deletes the named snapshots of a service (a chain a restart refused: it is never read again). */
export async function deleteSnapshots(db: Kysely<Database>, service: string, snapshots: readonly { readonly size: number; readonly digest: Uint8Array }[]): Promise<void> {
  for (const { size, digest } of snapshots) await db.deleteFrom('replay_snapshots').where('service', '=', service).where('size', '=', size).where('digest', '=', digest).execute();
}

/** Deletes every snapshot of a service (one of them held a record that did not read: none is trusted). */
export async function deleteServiceSnapshots(db: Kysely<Database>, service: string): Promise<void> {
  await db.deleteFrom('replay_snapshots').where('service', '=', service).execute();
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
