import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './http.ts';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'error'; readonly error: ApiError | Error } | { readonly state: 'ready'; readonly value: T };

const LOADING = { state: 'loading' } as const;

/**
 * Loads once per `key` and `version`, and on `reload()`.
 *
 * `key` is what is shown: a request's id, a list's filter. An answer is kept with the key it
 * was loaded for, and under another key reads as loading, so that request B never shows
 * request A's answer while its own loads. `version` is how new it is (the verified log's size):
 * a newer version of the same key loads again while the answer before stays on screen, so a
 * page does not blink at every growth of the log. A slower earlier answer never overwrites a
 * later one (the `current` guard).
 */
export function useFetch<T>(load: () => Promise<T>, key: string, version: string | number = ''): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<{ readonly key: string; readonly loaded: Loaded<T> }>({ key, loaded: LOADING });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setLoaded({ key, loaded: { state: 'ready', value } }),
      (error: unknown) => current && setLoaded({ key, loaded: { state: 'error', error: error instanceof Error ? error : new Error(String(error)) } }),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt on every render; `key` and `version` say when what it loads changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, version, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return [loaded.key === key ? loaded.loaded : LOADING, reload];
}
