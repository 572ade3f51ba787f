import type SQLite from 'better-sqlite3';

/** Statements kept per database: far more than the distinct texts the services send. */
const STATEMENTS_KEPT = 256;
const PRAGMA = /^\s*pragma\b/i;
/** Characters of the longest text kept (`keepStatements`). */
const LONGEST_KEPT = 2_000;

/**
 * Kysely's SQLite driver prepares every query afresh (`prepare` in its executeQuery), and in
 * issue 14's sustained run preparing took 4 % of a gateway's busy time. This makes `database`
 * keep the statements of the texts it prepared last, at most `limit`, and hand a kept one out
 * again for the same text. A statement still being iterated (`busy`: a streamed select not yet
 * finished) is not handed out; a new one is prepared in its place. Statements bind their
 * parameters anew on every run, and SQLite prepares a statement again by itself if the schema
 * changes under it (sqlite.org/c3ref/prepare.html, the v2 and v3 interfaces). Pragmas are
 * never kept: some take effect when prepared, not when run.
 */
export function keepStatements(database: SQLite.Database, limit = STATEMENTS_KEPT): SQLite.Database {
  const kept = new Map<string, SQLite.Statement>();
  const prepare = database.prepare.bind(database);
  const keeping = (source: string): SQLite.Statement => {
    // "Some pragmas take effect during the SQL compilation stage, not the execution stage",
    // depending on the pragma and the release (sqlite.org/pragma.html): a kept one might not act
    // again, and an erasure sets secure_delete before it runs (case-key-repo.ts).
    if (PRAGMA.test(source)) return prepare(source);
    // A long text is a multi-row insert or a long IN list, whose text changes with its row
    // count: kept, each would push the short, hot statements out and hold its program in memory,
    // and its prepare is small beside the rows it writes.
    if (source.length > LONGEST_KEPT) return prepare(source);
    let statement = kept.get(source);
    if (statement === undefined || statement.busy) statement = prepare(source);
    // Re-inserted, so that the map's first key is the text used least recently.
    kept.delete(source);
    kept.set(source, statement);
    if (kept.size > limit) kept.delete(kept.keys().next().value as string);
    return statement;
  };
  database.prepare = keeping as typeof database.prepare;
  return database;
}
