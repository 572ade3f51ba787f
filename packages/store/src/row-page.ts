/**
 * Pages of a gateway's own rows, read with a keyset (issue 14: "a page's cost does not grow
 * with history"). Rows are in the order (created_at, id); a page asks for the rows strictly
 * after the key its cursor names, with a LIMIT, so the database reads a page through an index
 * and never the rows before it. One row more than asked tells whether there is a next page.
 */

/** Where a page ends: the key of its last row. A row may be gone since; the next page starts after it all the same. */
export interface RowKey {
  readonly createdAt: number;
  readonly id: string;
}

export interface RowPage<T> {
  readonly rows: T[];
  /** The key to read on from, or null when no row follows. */
  readonly next: RowKey | null;
}

/** Cuts the `limit + 1` rows a query read into a page and the key it ends at. */
export function rowPage<T extends { readonly createdAt: number; readonly id: string }>(read: T[], limit: number): RowPage<T> {
  if (read.length <= limit) return { rows: read, next: null };
  const rows = read.slice(0, limit);
  const last = rows[rows.length - 1]!;
  return { rows, next: { createdAt: last.createdAt, id: last.id } };
}
