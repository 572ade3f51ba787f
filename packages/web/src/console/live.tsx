import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

interface Live {
  /** The size of the log the gateway has verified, as it last said; 0 before it says. */
  readonly size: number;
  readonly connected: boolean;
}

const LiveContext = createContext<Live>({ size: 0, connected: false });

/**
 * One server-sent event stream per console (the gateway's /api/events, issue 15): screens
 * refetch when the verified log grows, instead of each polling. The browser reconnects by
 * itself after a drop (the stream's `retry`); meanwhile `connected` is false and the log-health
 * screen says so.
 */
export function LiveProvider({ children }: { readonly children: ReactNode }) {
  const [live, setLive] = useState<Live>({ size: 0, connected: false });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    source.addEventListener('log', (event) => {
      const size = Number((JSON.parse((event as MessageEvent<string>).data) as { size?: unknown }).size);
      if (Number.isSafeInteger(size)) setLive({ size, connected: true });
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
