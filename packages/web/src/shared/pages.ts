import { useState } from 'react';
import { useFetch, type Loaded } from './use-fetch.ts';

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

/** The first page once per `key` and `version` (and on `reload`), then more pages appended on `more()`; `key` and `version` as in useFetch. */
export function usePages<T>(loadPage: (after: string) => Promise<Paged<T>>, key: string, version: string | number = ''): Pages<T> {
  const [first, reload] = useFetch(() => loadPage(''), key, version);
  // The pages read after the first, tied to the first page they follow: a new first page (a
  // changed filter, a reload) drops them.
  const [extra, setExtra] = useState<{ readonly after: Paged<T>; readonly items: readonly T[]; readonly next: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const base = first.state === 'ready' ? first.value : null;
  const current = base === null ? { items: [] as readonly T[], next: null } : extra && extra.after === base ? extra : { items: base.items, next: base.next };
  const more = () => {
    if (base === null || current.next === null || busy) return;
    setBusy(true);
    loadPage(current.next).then(
      (page) => {
        setExtra({ after: base, items: [...current.items, ...page.items], next: page.next });
        setError(null);
      },
      (caught: unknown) => setError(caught instanceof Error ? caught : new Error(String(caught))),
    ).finally(() => setBusy(false));
  };
  return { first, items: current.items, next: current.next, more, busy, error, reload };
}

/** Every page from the first, at most `maxPages`: for a form that needs the whole of a filtered list, or an export. */
export async function everyPage<T>(loadPage: (after: string) => Promise<Paged<T>>, maxPages: number): Promise<T[]> {
  return (await pagesUpTo(loadPage, maxPages)).items;
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
