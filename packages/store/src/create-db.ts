import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations.ts';
import { preparingPool } from './pg-prepared.ts';
import { keepStatements } from './sqlite-statements.ts';

export type StoreConfig =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string; readonly schema?: string; readonly poolSize?: number };

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: StoreConfig['engine'];
  close(): Promise<void>;
}

const PG_INT8 = 20;

/**
 * Opens a store and brings its schema up to date. SQLite runs in WAL mode with
 * `synchronous=FULL`, so that a transaction is on disk when its commit returns: an
 * acknowledged append survives a crash or a power cut (sqlite.org/pragma.html#pragma_synchronous).
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const db = config.engine === 'sqlite' ? new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(config.file) }) }) : openPostgres(config);
  try {
    await migrateToLatest(db, config.engine);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine: config.engine, close: () => db.destroy() };
}

function openSqlite(file: string): SQLite.Database {
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Freed content is overwritten with zeros, so that an erased case key (case-key-repo.ts) leaves
  // no copy in a freed cell or page, whenever the page was last rebalanced (issue 17).
  database.pragma('secure_delete = ON');
  const mode = database.pragma('journal_mode', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite at ${file} refused WAL mode (journal_mode is ${String(mode)})`);
  return keepStatements(database);
}

function openPostgres(config: Extract<StoreConfig, { engine: 'postgres' }>): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    // Entry counts fit in a double; `pg` would otherwise return int8 as a string.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === PG_INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) },
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
