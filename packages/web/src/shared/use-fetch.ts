import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './http.ts';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'error'; readonly error: ApiError | Error } | { readonly state: 'ready'; readonly value: T };

/**
 * Loads once per `key` and on `reload()`. A slower earlier answer never overwrites a later
 * one (the filter can change while a list is loading), hence the `current` guard.
 */
export function useFetch<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setLoaded({ state: 'ready', value }),
      (error: unknown) => current && setLoaded({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt on every render; `key` says when what it loads changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return [loaded, reload];
}
