import { useCallback, useEffect, useState } from 'react';
import { useFetch, useRendered, type Loaded } from './use-fetch.ts';

/**
 * Reading a list a page at a time (issue 14: every list is paginated on the server). A page
 * carries `next`, where to go on, or null at the end; a page may be short and still have a
 * `next` (the server examines a bounded number of records per page), so a screen offers "more"
 * whenever `next` is set, not only when a page is full.
 */
export interface Paged<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export interface Pages<T> {
  /** The first page: loading, failed, or ready. */
  readonly first: Loaded<Paged<T>>;
  /** Every item read so far, the first page's and each "more". */
  readonly items: readonly T[];
  readonly next: string | null;
  /** Reads the page at `next` and appends it. */
  readonly more: () => void;
  /** A "more" is under way. */
  readonly busy: boolean;
  /** Why the last "more" failed, until the next one succeeds. */
  readonly error: Error | null;
  readonly reload: () => void;
}

/**
 * The first page once per `key` and `version` (and on `reload`), then more pages appended on
 * `more()`; `key` and `version` as in useFetch. Once "more" has added pages, a newer version
 * does not load the first page again: the log grows every second on a busy exchange, and the
 * pages an official went on to read would be gone each time. A reload, or another key, starts
 * from the first page again.
 */
export function usePages<T>(loadPage: (after: string) => Promise<Paged<T>>, key: string, version: string | number = ''): Pages<T> {
  // The items read so far past the first page, with the key and version they were read under.
  const [extra, setExtra] = useState<{ readonly key: string; readonly version: string | number; readonly items: readonly T[]; readonly next: string | null } | null>(null);
  const kept = extra !== null && extra.key === key ? extra : null;
  const shownVersion = kept ? kept.version : version;
  const [first, reloadFirst] = useFetch(() => loadPage(''), key, shownVersion);
  // What "more" is doing or failed at, for the key it was asked under: another filter shows neither.
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ readonly key: string; readonly error: Error } | null>(null);
  useEffect(() => setExtra(null), [key]);
  // The key on screen, for a "more" that comes back after it changed: its pages belong to another list.
  const shown = useRendered(key);
  const base = first.state === 'ready' ? first.value : null;
  const current = kept ?? (base === null ? { items: [] as readonly T[], next: null } : { items: base.items, next: base.next });
  const more = () => {
    if (base === null || current.next === null || busy === key) return;
    setBusy(key);
    loadPage(current.next).then(
      (page) => {
        if (shown.current !== key) return;
        setExtra({ key, version: shownVersion, items: [...current.items, ...page.items], next: page.next });
        setError(null);
      },
      (caught: unknown) => setError({ key, error: caught instanceof Error ? caught : new Error(String(caught)) }),
    ).finally(() => setBusy((asked) => (asked === key ? null : asked)));
  };
  const reload = useCallback(() => {
    setExtra(null);
    reloadFirst();
  }, [reloadFirst]);
  return { first, items: current.items, next: current.next, more, busy: busy === key, error: error?.key === key ? error.error : null, reload };
}

/**
 * Every page from the first, at most `maxPages`, and whether the list went on beyond them
 * (`cut`): an export says so rather than end short in silence. A search in sealed members
 * walks fewer requests a page (the gateway's SEALED_SCAN_BUDGET), so it reaches the bound sooner.
 */
export async function pagesUpTo<T>(loadPage: (after: string) => Promise<Paged<T>>, maxPages: number): Promise<{ items: T[]; cut: boolean }> {
  const items: T[] = [];
  let after = '';
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await loadPage(after);
    items.push(...page.items);
    if (page.next === null) return { items, cut: false };
    after = page.next;
  }
  return { items, cut: true };
}
