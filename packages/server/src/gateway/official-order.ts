import { mapChanges, mapEntries, mapGet, type OfficialBook, type OfficialRecord, type PersistentMap } from '@evenhand/core';

/**
 * The registered officials in a fixed order, so that their list pages from a position cursor
 * (issue 14). The core keeps them in a hash trie, which has no order to walk from. Officials
 * are only ever added, each at a later log position than those before, so the order by
 * (registration index, party, id) only grows at its end, and a revocation changes a record,
 * not its place. The gateway keeps the order beside its replay and brings it up to date from
 * what changed since the book it last saw (core mapChanges): the cost of the change, not of
 * the book. Anything else (a book that lost an official, or gained one out of order, as a
 * replay started again would) rebuilds it once.
 */
export class OfficialOrder {
  private seen: PersistentMap<OfficialRecord> | undefined;
  private keys: string[] = [];

  /** The officials' keys in order, as of `book`: position n is the nth registered. */
  keysOf(book: OfficialBook): readonly string[] {
    if (this.seen === book.byId) return this.keys;
    const added = this.seen === undefined ? undefined : appended(this.seen, book.byId, this.keys);
    if (added === undefined) this.keys = ordered(mapEntries(book.byId));
    else this.keys.push(...added);
    this.seen = book.byId;
    return this.keys;
  }
}

function compare(a: readonly [string, OfficialRecord], b: readonly [string, OfficialRecord]): number {
  return a[1].registeredAt.index - b[1].registeredAt.index || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function ordered(entries: (readonly [string, OfficialRecord])[]): string[] {
  return entries.sort(compare).map(([key]) => key);
}

/** The keys `after` adds at the end of the order of `before`, or undefined when the change is not only that. */
function appended(before: PersistentMap<OfficialRecord>, after: PersistentMap<OfficialRecord>, keys: readonly string[]): string[] | undefined {
  const added: (readonly [string, OfficialRecord])[] = [];
  for (const change of mapChanges(before, after)) {
    if (change.after === undefined) return undefined;
    if (change.before === undefined) added.push([change.key, change.after]);
  }
  const lastKey = keys[keys.length - 1];
  const last = lastKey === undefined ? undefined : mapGet(after, lastKey);
  if (lastKey !== undefined && last === undefined) return undefined;
  if (last !== undefined && added.some((entry) => compare(entry, [lastKey!, last]) <= 0)) return undefined;
  return ordered(added);
}
