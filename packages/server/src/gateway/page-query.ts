import { parseCursor } from '@evenhand/core';
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
