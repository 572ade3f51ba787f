import { useEffect, useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { percentOf } from './log-health-page.tsx';
import { useLive } from './live.tsx';
import { href, useRoute } from './router.ts';
import type { LogHealth } from './types.ts';

type CatchingUp = NonNullable<LogHealth['catchingUp']>;

/** How often the banner asks again while a catch-up lasts: it says how far it is, and goes when it ends. */
const ASK_EVERY_MS = 5_000;

/**
 * A line above every screen while the gateway catches up with the log (server
 * gateway/catch-up.ts): the inbox, the lists and the reciprocity figures then hold only the
 * requests of the entries stored so far, and say nothing of it themselves. Asked once when the
 * console opens and when its live stream (re)connects, and again only while a catch-up lasts,
 * so a caught-up gateway costs two requests a page load. A catch-up that begins while the
 * stream stays up (the exchange out of reach for long, then back) shows at the next page
 * load, and on the Log health page when it is opened.
 */
export function CatchUpBanner() {
  const t = useT();
  const f = useFormat();
  const [first] = useRoute();
  const { connected } = useLive();
  const [catchingUp, setCatchingUp] = useState<CatchingUp | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = true;
    let lasting = false;
    const again = () => {
      if (current && lasting) timer = setTimeout(ask, ASK_EVERY_MS);
    };
    const ask = () => {
      api<LogHealth>('GET', '/api/log-health').then(
        (health) => {
          if (!current) return;
          lasting = Boolean(health.catchingUp);
          setCatchingUp(health.catchingUp ?? null);
          again();
        },
        // Unreachable or refused: the Log health page says why. The banner stays as it was, and
        // a catch-up shown is asked about again, so that it cannot stay after its end.
        again,
      );
    };
    ask();
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Asked again when the live stream opens or reopens: a gateway restarted on an empty
    // database drops the stream, and catches up once it is back.
  }, [connected]);
  // The Log health page shows the catch-up itself, with its progress bar.
  if (!catchingUp || first === 'log') return null;
  return (
    <p className="notice" role="status" data-testid="catch-up-banner">
      {t.health.catchUpBanner(f.number(catchingUp.held), f.number(catchingUp.to), f.number(percentOf(catchingUp), 1))}{' '}
      <a href={href('log')}>{t.nav.log}</a>
    </p>
  );
}
