import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { statementRuns } from './statement-runs.ts';

export interface NewEntry {
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly author: string;
  readonly authorSeq: number;
  readonly type: string;
  readonly time: number;
}

export interface StoredEntry extends NewEntry {
  readonly index: number;
}

export type AppendResult =
  | { readonly ok: true; readonly firstIndex: number; readonly count: number }
  | { readonly ok: false; readonly code: 'AUTHOR_SEQ_TAKEN'; readonly author: string; readonly authorSeq: number };

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  // SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; PostgreSQL: 23505 unique_violation.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Appends a batch of entries in one transaction and returns the index of the first. The
 * sequence row is bumped first, which takes a row lock in PostgreSQL (and the write lock in
 * SQLite), so concurrent appends get disjoint, gap-free ranges. Either the whole batch is
 * stored or nothing is: an author seq already taken aborts the batch.
 */
export async function appendEntries(db: Kysely<Database>, entries: readonly NewEntry[]): Promise<AppendResult> {
  if (entries.length === 0) return { ok: true, firstIndex: await countEntries(db), count: 0 };
  try {
    const firstIndex = await db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('log_sequence')
        .set((eb) => ({ next_idx: eb('next_idx', '+', entries.length) }))
        .where('id', '=', 1)
        .returning('next_idx')
        .executeTakeFirstOrThrow();
      const first = Number(bumped.next_idx) - entries.length;
      // In runs: a mirror appends an extension, or a chunk of a long one, thousands of entries, in one batch (statement-runs.ts).
      for (const { offset, run } of statementRuns(entries)) {
        await trx
          .insertInto('log_entries')
          .values(
            run.map((entry, i) => ({
              idx: first + offset + i,
              bytes: entry.bytes,
              leaf_hash: entry.leafHash,
              author: entry.author,
              author_seq: entry.authorSeq,
              type: entry.type,
              time: entry.time,
            })),
          )
          .execute();
      }
      return first;
    });
    return { ok: true, firstIndex, count: entries.length };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const taken = await findTakenSeq(db, entries);
    return { ok: false, code: 'AUTHOR_SEQ_TAKEN', author: taken?.author ?? '', authorSeq: taken?.authorSeq ?? 0 };
  }
}

async function findTakenSeq(db: Kysely<Database>, entries: readonly NewEntry[]): Promise<NewEntry | undefined> {
  for (const entry of entries) {
    const row = await db.selectFrom('log_entries').select('idx').where('author', '=', entry.author).where('author_seq', '=', entry.authorSeq).executeTakeFirst();
    if (row) return entry;
  }
  // Two entries of the same batch shared a seq.
  return entries.find((entry, index) => entries.findIndex((other) => other.author === entry.author && other.authorSeq === entry.authorSeq) !== index);
}

export async function countEntries(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('log_sequence').select('next_idx').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.next_idx);
}

/**
 * Every entry with `from <= index < to`, in index order, or an Error that says where the store
 * has none: what a replay reads up to the count `log_sequence` keeps (`counted`, for the message). A count edited or left
 * beyond the rows, or rows deleted below it, made a start read empty batches up to the count
 * (at 10^12, a start that never ended) or start short of it in silence.
 */
export async function readEntryRun(db: Kysely<Database>, from: number, to: number, counted: number = to): Promise<StoredEntry[]> {
  const entries = await readEntries(db, from, to);
  const gap = entries.findIndex((entry, offset) => entry.index !== from + offset);
  if (gap >= 0 || entries.length !== to - from) {
    const missing = gap >= 0 ? from + gap : from + entries.length;
    throw new Error(`the store holds no entry ${missing}, below the ${counted} its sequence counts: its log tables were edited or lost rows; restore them from a backup`);
  }
  return entries;
}

/** Entries read at a time by `storedEntriesFrom`: a restart's replay holds one run in memory, never the log. */
const REPLAY_RUN = 1024;

/** Every stored entry from `from` to the count `log_sequence` keeps, in index order, read a run at a time (`readEntryRun`): what a restart replays. */
export async function* storedEntriesFrom(db: Kysely<Database>, from: number): AsyncGenerator<StoredEntry> {
  const count = await countEntries(db);
  for (let start = from; start < count; start += REPLAY_RUN) yield* await readEntryRun(db, start, Math.min(count, start + REPLAY_RUN), count);
}

/**
 * Throws when an entry's stored leaf hash is not `computed`, the hash of its bytes (RFC 6962
 * §2.1): the column was edited. A snapshot's check at a restart reads the column, the replay
 * the bytes: a store where they differ had every snapshot refused, each start a full replay.
 */
export function assertStoredLeaf(entry: StoredEntry, computed: Uint8Array): void {
  if (Buffer.compare(Buffer.from(entry.leafHash.buffer, entry.leafHash.byteOffset, entry.leafHash.byteLength), Buffer.from(computed.buffer, computed.byteOffset, computed.byteLength)) !== 0) {
    throw new Error(`the stored leaf hash of entry ${entry.index} is not the hash of its bytes: the store's log_entries table was edited; restore it from a backup`);
  }
}

/** Entries with `from <= index < to`, in index order. */
export async function readEntries(db: Kysely<Database>, from: number, to: number): Promise<StoredEntry[]> {
  const rows = await db.selectFrom('log_entries').selectAll().where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute();
  return rows.map(toStoredEntry);
}

/** The entries at `indexes` (any order, repeats allowed), by index; an index the store does not hold is absent. One query per ROWS_PER_STATEMENT indexes, not one per entry. */
export async function readEntriesAt(db: Kysely<Database>, indexes: readonly number[]): Promise<Map<number, StoredEntry>> {
  const wanted = [...new Set(indexes)];
  const found = new Map<number, StoredEntry>();
  for (const { run } of statementRuns(wanted)) {
    const rows = await db.selectFrom('log_entries').selectAll().where('idx', 'in', run).execute();
    for (const row of rows) found.set(Number(row.idx), toStoredEntry(row));
  }
  return found;
}

function toStoredEntry(row: Database['log_entries']): StoredEntry {
  return {
    index: Number(row.idx),
    bytes: new Uint8Array(row.bytes),
    leafHash: new Uint8Array(row.leaf_hash),
    author: row.author,
    authorSeq: Number(row.author_seq),
    type: row.type,
    time: Number(row.time),
  };
}

/** The last entry of an author, for chaining `seq` and `prev`. */
export async function lastEntryOf(db: Kysely<Database>, author: string): Promise<StoredEntry | undefined> {
  const row = await db.selectFrom('log_entries').select('idx').where('author', '=', author).orderBy('author_seq', 'desc').limit(1).executeTakeFirst();
  if (!row) return undefined;
  const [entry] = await readEntries(db, Number(row.idx), Number(row.idx) + 1);
  return entry;
}
