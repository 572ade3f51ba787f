import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

interface Live {
  /** The size of the log the gateway has verified, as it last said; 0 before it says. */
  readonly size: number;
  /**
   * How many times the verified log has grown since the stream first said its size. Screens
   * refetch on this, not on `size`: the stream's first message only tells what a screen that
   * has just loaded already shows, and refetching on it would load every screen twice (at 10^4
   * requests, the inbox's tasks twice over, issue 15's "usable inbox in 1 s").
   */
  readonly version: number;
  /** The gateway's clock when the stream first spoke (Unix seconds), or null before: what is "new" counts from it. */
  readonly openedAt: number | null;
  /** Whether the stream has said the log's size yet: a size of 0 is a real size (a new log), not "not yet". */
  readonly heard: boolean;
  readonly connected: boolean;
}

const LiveContext = createContext<Live>({ size: 0, version: 0, openedAt: null, heard: false, connected: false });

/**
 * One server-sent event stream per console (the gateway's /api/events, issue 15): screens
 * refetch when the verified log grows, instead of each polling. The browser reconnects by
 * itself after a drop (the stream's `retry`); meanwhile `connected` is false and the log-health
 * screen says so.
 */
export function LiveProvider({ children }: { readonly children: ReactNode }) {
  const [live, setLive] = useState<Live>({ size: 0, version: 0, openedAt: null, heard: false, connected: false });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    source.addEventListener('log', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { size?: unknown; now?: unknown };
      const size = Number(data.size);
      const now = Number(data.now);
      if (!Number.isSafeInteger(size)) return;
      // The first message only tells what the screens just loaded (heard is false until then);
      // each growth after it is news.
      setLive((old) => ({ size, version: old.heard && size > old.size ? old.version + 1 : old.version, openedAt: old.openedAt ?? (Number.isSafeInteger(now) ? now : null), heard: true, connected: true }));
    });
    source.onopen = () => setLive((old) => ({ ...old, connected: true }));
    source.onerror = () => setLive((old) => ({ ...old, connected: false }));
    return () => source.close();
  }, []);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

const VISIT_KEY = 'evenhand.lastVisit.';
const visits = new Map<string, number>();

/**
 * When this official last opened the console before this visit (Unix seconds, 0 for never),
 * kept in this browser: what came after it is marked new. Read, and this visit recorded,
 * once per page load.
 */
export function previousVisit(username: string): number {
  const known = visits.get(username);
  if (known !== undefined) return known;
  let before = 0;
  try {
    before = Number(localStorage.getItem(VISIT_KEY + username) ?? '0') || 0;
    localStorage.setItem(VISIT_KEY + username, String(Math.floor(Date.now() / 1000)));
  } catch {
    // No storage: nothing is marked new.
  }
  visits.set(username, before);
  return before;
}
