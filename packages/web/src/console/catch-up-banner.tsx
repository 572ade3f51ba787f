import { useEffect, useRef, useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { percentOf } from './log-health-page.tsx';
import { useLive } from './live.tsx';
import { href, useRoute } from './router.ts';
import type { LogHealth } from './types.ts';

type CatchingUp = NonNullable<LogHealth['catchingUp']>;

/** How often the banner asks while a catch-up lasts: it says how far it is, and goes soon after it ends. */
const ASK_WHILE_CATCHING_UP_MS = 5_000;
/**
 * When it asks once more after the console opens or its live stream reconnects: a restarted
 * gateway listens before its first round has found how far behind it is, so the first answer
 * can come before the catch-up begins.
 */
const ASK_AGAIN_AFTER_MS = 15_000;

/**
 * A line above every screen while the gateway catches up with the log (server
 * gateway/catch-up.ts): the inbox, the lists and the reciprocity figures then hold only the
 * requests of the entries stored so far, and say nothing of it themselves. Not shown on the
 * Log health page, which shows the catch-up with its progress bar. Asked when the console
 * opens and when its live stream (re)connects, once more 15 s later, and every 5 s while a
 * catch-up lasts; a failed question keeps that rhythm, so a banner cannot outlive its
 * catch-up. /api/log-health counts the webhook notifications, so the banner does not ask it
 * every minute. A catch-up that begins while the stream stays up (the exchange out of reach
 * for long, then back) shows at the next page load, and on the Log health page. No live
 * region: the figures change at every question, and a screen reader would read the whole
 * line again each time.
 */
export function CatchUpBanner() {
  const t = useT();
  const f = useFormat();
  const [first] = useRoute();
  const { connected } = useLive();
  const [catchingUp, setCatchingUp] = useState<CatchingUp | null>(null);
  const shown = useRef<CatchingUp | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = true;
    let againPending = true;
    const next = () => {
      if (!current) return;
      if (shown.current) timer = setTimeout(ask, ASK_WHILE_CATCHING_UP_MS);
      else if (againPending) {
        againPending = false;
        timer = setTimeout(ask, ASK_AGAIN_AFTER_MS);
      }
    };
    const ask = () => {
      api<LogHealth>('GET', '/api/log-health').then(
        (health) => {
          if (!current) return;
          shown.current = health.catchingUp ?? null;
          setCatchingUp(shown.current);
          next();
        },
        // Logged out: nothing more to ask. Otherwise (the gateway restarting, out of reach) the
        // Log health page says why, and the question comes again.
        (error: unknown) => {
          if (!(error instanceof ApiError && error.status === 401)) next();
        },
      );
    };
    ask();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [connected]);
  if (!catchingUp || first === 'log') return null;
  return (
    <p className="notice" data-testid="catch-up-banner">
      {t.health.catchUpBanner(f.number(catchingUp.held), f.number(catchingUp.to), f.number(percentOf(catchingUp), 1))}{' '}
      <a href={href('log')}>{t.nav.log}</a>
    </p>
  );
}
