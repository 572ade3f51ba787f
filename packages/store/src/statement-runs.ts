/**
 * Rows (or values of an IN list) in one statement at most. A statement binds at most 32,766
 * parameters on SQLite and 65,535 on PostgreSQL: an insert of a row of the log (7 parameters)
 * refused past 4,680 rows on SQLite, and a gateway's mirror that fell that far behind could
 * never store what it caught up on. 500 rows of up to 7 parameters stay well under both.
 */
export const ROWS_PER_STATEMENT = 500;

/** `items` in runs of ROWS_PER_STATEMENT, in order, each with the position of its first item. */
export function* statementRuns<T>(items: readonly T[]): Generator<{ readonly offset: number; readonly run: T[] }> {
  for (let offset = 0; offset < items.length; offset += ROWS_PER_STATEMENT) yield { offset, run: items.slice(offset, offset + ROWS_PER_STATEMENT) };
}
