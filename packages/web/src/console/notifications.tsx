import { useEffect, useRef, useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { useLive } from './live.tsx';
import { href } from './router.ts';
import { dueSoon } from './due-soon.ts';
import type { Tasks } from './types.ts';

/** What an official has asked the console to tell them of (issue 15), kept per official in this browser. */
export interface NotificationPrefs {
  readonly incoming: boolean;
  readonly deadlines: boolean;
  readonly withinDays: number;
  /** Also as the operating system's notifications, where the browser allows them. */
  readonly system: boolean;
}

const PREFS_KEY = 'evenhand.notify.';
const DEFAULT_PREFS: NotificationPrefs = { incoming: false, deadlines: false, withinDays: 7, system: false };
/** Obligations already announced, remembered so that each is told once; the oldest are forgotten past this many. */
const TOLD_LIMIT = 500;

export function readPrefs(username: string): NotificationPrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFS_KEY + username) ?? 'null') as Partial<NotificationPrefs> | null;
    return { ...DEFAULT_PREFS, ...(stored ?? {}) };
  } catch {
    return DEFAULT_PREFS;
  }
}

function writePrefs(username: string, prefs: NotificationPrefs): void {
  try {
    localStorage.setItem(PREFS_KEY + username, JSON.stringify(prefs));
  } catch {
    // No storage: the choice holds until the page is closed.
  }
}

interface Alert {
  readonly key: string;
  readonly text: string;
  readonly link: string;
}

/** How long after the console opens its notifications take their first look. */
const FIRST_LOOK_DELAY_MS = 3000;

/**
 * The official's notifications in the console: whenever the verified log grows (the live
 * stream, no polling), the inbox is asked what is new since the last look, and each new
 * incoming request, and each obligation of this state falling due within N days, is announced
 * once, in a polite live region and, if the official allowed it, as a system notification.
 */
export function NotificationCentre({ username }: { readonly username: string }) {
  const t = useT();
  const f = useFormat();
  const live = useLive();
  const [prefs, setPrefs] = useState(() => readPrefs(username));
  const [alerts, setAlerts] = useState<readonly Alert[]>([]);
  // The first look waits until the screen the official opened has loaded: it asks the same
  // gateway for the same tasks, and at 10^4 requests two such answers at once would delay the
  // inbox past its second (issue 15).
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(true), FIRST_LOOK_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  const since = useRef<number | null>(null);
  const told = useRef(new Set<string>());

  useEffect(() => {
    const onChange = (event: Event) => {
      if ((event as CustomEvent<string>).detail === username) setPrefs(readPrefs(username));
    };
    window.addEventListener('evenhand-notify-prefs', onChange);
    return () => window.removeEventListener('evenhand-notify-prefs', onChange);
  }, [username]);

  useEffect(() => {
    if (!prefs.incoming && !prefs.deadlines) return;
    if (!live.heard || !settled) return;
    let cancelled = false;
    // Counted from when the stream opened, on the gateway's clock, so a request filed while
    // the first look waits is still announced.
    const from = since.current ?? live.openedAt;
    api<Tasks>('GET', `/api/tasks${from === null ? '' : `?since=${from}`}`).then(
      (tasks) => {
        if (cancelled) return;
        since.current = tasks.now;
        const fresh: Alert[] = [];
        if (prefs.incoming && from !== null) {
          for (const id of tasks.newIncoming.ids) fresh.push({ key: `incoming:${id}`, text: t.notify.incoming(id), link: href('requests', id) });
        }
        if (prefs.deadlines) {
          for (const task of dueSoon(tasks, prefs.withinDays)) {
            const obligation = t.obligations[task.kind] ?? task.kind;
            fresh.push({ key: `due:${task.target}:${task.id}:${task.kind}:${task.leg ?? ''}`, text: t.notify.dueSoon(obligation, task.id, f.dateTime(task.due)), link: task.target === 'request' ? href('requests', task.id) : href('trades', task.id) });
          }
        }
        const unseen = fresh.filter((alert) => !told.current.has(alert.key));
        if (unseen.length === 0) return;
        for (const alert of unseen) told.current.add(alert.key);
        if (told.current.size > TOLD_LIMIT) told.current = new Set([...told.current].slice(-TOLD_LIMIT));
        setAlerts((old) => [...unseen, ...old].slice(0, 20));
        if (prefs.system && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
          for (const alert of unseen.slice(0, 3)) new Notification('Evenhand', { body: alert.text, tag: alert.key });
        }
      },
      () => undefined, // The log-health screen shows a gateway that does not answer; the next growth asks again.
    );
    return () => {
      cancelled = true;
    };
  }, [live.size, live.heard, live.openedAt, settled, prefs, t, f]);

  if (alerts.length === 0) return <div role="status" aria-live="polite" className="sr-only" />;
  return (
    <section className="notice alerts" role="status" aria-live="polite" aria-label={t.notify.heading} data-testid="alerts">
      <ul>
        {alerts.map((alert) => (
          <li key={alert.key} data-testid="alert">
            <a href={alert.link}>{alert.text}</a>{' '}
            <button type="button" className="secondary" onClick={() => setAlerts((old) => old.filter((item) => item.key !== alert.key))}>{t.notify.dismiss}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The form where an official chooses what to be told of (on the inbox). */
export function NotificationSettings({ username }: { readonly username: string }) {
  const t = useT();
  const [prefs, setPrefs] = useState(() => readPrefs(username));
  const change = (next: Partial<NotificationPrefs>) => {
    const merged = { ...prefs, ...next };
    setPrefs(merged);
    writePrefs(username, merged);
    window.dispatchEvent(new CustomEvent('evenhand-notify-prefs', { detail: username }));
  };
  const askSystem = async (wanted: boolean) => {
    if (wanted && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
      const answer = await Notification.requestPermission();
      change({ system: answer === 'granted' });
      return;
    }
    change({ system: wanted });
  };
  return (
    <details className="card notify-settings" data-testid="notify-settings">
      <summary>{t.notify.settings}</summary>
      <fieldset>
        <legend>{t.notify.tellMe}</legend>
        <label><input type="checkbox" checked={prefs.incoming} onChange={(event) => change({ incoming: event.target.checked })} /> {t.notify.newIncoming}</label>
        <label><input type="checkbox" checked={prefs.deadlines} onChange={(event) => change({ deadlines: event.target.checked })} /> {t.notify.deadlines}</label>
        <label>
          {t.notify.withinDays}{' '}
          <input type="number" min={1} max={365} value={prefs.withinDays} onChange={(event) => change({ withinDays: Math.min(365, Math.max(1, Number(event.target.value) || 1)) })} />
        </label>
        {typeof Notification !== 'undefined' ? (
          <label><input type="checkbox" checked={prefs.system} onChange={(event) => void askSystem(event.target.checked)} /> {t.notify.system}</label>
        ) : null}
      </fieldset>
      <p className="sub">{t.notify.webhooks}</p>
    </details>
  );
}
