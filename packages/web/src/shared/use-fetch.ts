import { useCallback, useEffect, useRef, useState } from 'react';
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
 * page does not blink at every growth of the log. Answers for the key on screen are taken in
 * the order they were asked, a slower earlier one never over a later one; one still under way
 * when the version moves on is taken all the same, so a log that grows faster than a slow answer
 * comes still updates the screen.
 */
export function useFetch<T>(load: () => Promise<T>, key: string, version: string | number = ''): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<{ readonly key: string; readonly asked: number; readonly loaded: Loaded<T> }>({ key, asked: 0, loaded: LOADING });
  const [round, setRound] = useState(0);
  const asked = useRef(0);
  const shown = useRendered(key);
  useEffect(() => {
    const number = ++asked.current;
    const take = (answer: Loaded<T>) =>
      setLoaded((before) => (shown.current !== key || (before.key === key && before.asked > number) ? before : { key, asked: number, loaded: answer }));
    load().then(
      (value) => take({ state: 'ready', value }),
      (error: unknown) => take({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    // `load` is rebuilt on every render; `key` and `version` say when what it loads changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, version, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return [loaded.key === key ? loaded.loaded : LOADING, reload];
}

/**
 * The `value` of the latest render, for an answer that comes back after it changed (the key on
 * screen when a load or a "more" ends): derived from the props, never from an answer.
 */
export function useRendered<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
