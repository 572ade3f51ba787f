import { parseCursor } from '@evenhand/core';
import type { RowKey } from '@evenhand/store';
import { ServiceError } from '../errors.ts';

/**
 * Reading a page request of the gateway's own lists (issue 14: every list is paginated, at most
 * 200 a page). The cursor is the `next` of the previous page, a position in the list's own
 * order; the schema has already bounded `limit`, so only the cursor's form is left to check.
 */

/** Items per page of a gateway list when the client does not say. */
export const GATEWAY_PAGE_DEFAULT = 50;

/** The position a page starts from; a cursor no page gave is a 400 naming the field. */
export function cursorOf(after: string | undefined): number {
  const from = parseCursor(after);
  if (from === undefined) throw new ServiceError('BAD_REQUEST', `query.after: expected the \`next\` of a previous page (a position), found "${after}"`, 'query.after');
  return from;
}

/** A row cursor: the instant and id of the row a page ended with (store row-page.ts). */
const ROW_CURSOR = /^(0|[1-9]\d{0,15})\.([\w.~-]{1,100})$/;

/** The row a page of a gateway's own rows starts after; none for the first page; a 400 naming the field for a cursor no page gave. */
export function rowCursorOf(after: string | undefined): RowKey | undefined {
  if (after === undefined || after === '') return undefined;
  const match = ROW_CURSOR.exec(after);
  if (!match) throw new ServiceError('BAD_REQUEST', `query.after: expected the \`next\` of a previous page (an instant and an id, as 1700000000.draft-x), found "${after}"`, 'query.after');
  return { createdAt: Number(match[1]), id: match[2]! };
}

/** The `next` of a page of rows: where the following page starts after, or null at the end. */
export function rowCursor(key: RowKey | null): string | null {
  return key === null ? null : `${key.createdAt}.${key.id}`;
}
