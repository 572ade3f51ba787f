import { useFormat, useT } from '../i18n/i18n.tsx';
import type { Format } from '../i18n/format.ts';
import type { Messages } from '../i18n/en.ts';
import { api } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { useLive } from './live.tsx';
import type { LogHealth } from './types.ts';

/**
 * The health of the state's verified mirror of the log (issue 5 "Log health"): the latest
 * checkpoint it verified, who cosigned it and when, the last consistency check, whether the
 * console's live updates are connected, and the gateway's alarms, whose messages say in plain
 * words what happened and what to do.
 */
export function LogHealthPage() {
  const t = useT();
  const live = useLive();
  const [loaded, reload] = useFetch(() => api<LogHealth>('GET', '/api/log-health'), 'health', live.version);
  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.health.title}</h2>
      <p><button type="button" className="secondary" onClick={reload}>{t.health.checkAgain}</button></p>
      <p data-testid="live-status">{t.health.live}: {live.connected ? t.health.liveOn : t.health.liveOff}</p>
      {loaded.state === 'loading' ? <Loading what={t.health.what} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? <Health health={loaded.value} /> : null}
    </>
  );
}

function Health({ health }: { readonly health: LogHealth }) {
  const t = useT();
  const f = useFormat();
  return (
    <>
      <section aria-labelledby="alarms-heading">
        <h3 id="alarms-heading">{t.health.alarms}</h3>
        {health.alarms.length === 0 ? (
          <p data-testid="no-alarms">{t.health.noAlarms}</p>
        ) : (
          health.alarms.map((alarm) => (
            <div key={alarm.code} className="alarm" role="alert">
              <strong>{alarm.code}</strong>{t.health.since(f.dateTime(alarm.since))}{alarm.message}
            </div>
          ))
        )}
        {health.halted ? <div className="alarm" role="alert">{t.health.halted(describe(health.halted, t, f))}</div> : null}
      </section>
      {health.notifications ? (
        <section aria-labelledby="notifications-heading">
          <h3 id="notifications-heading">{t.health.notifications}</h3>
          <p data-testid="notifications">{t.health.notificationCounts(health.notifications.delivered, health.notifications.pending, health.notifications.failing)}</p>
          {health.notifications.lastError ? <p className="alarm" role="alert">{t.health.lastError(health.notifications.lastError)}</p> : null}
        </section>
      ) : null}
      {health.catchingUp ? (
        <section aria-labelledby="catch-up-heading">
          <h3 id="catch-up-heading">{t.health.catchingUp}</h3>
          <p data-testid="catching-up">
            {t.health.catchUpProgress(f.number(health.catchingUp.held), f.number(health.catchingUp.to), f.number(percentOf(health.catchingUp), 1), f.dateTime(health.catchingUp.since))}
          </p>
          <progress max={health.catchingUp.to - health.catchingUp.from} value={health.catchingUp.held - health.catchingUp.from} aria-labelledby="catch-up-heading" />
        </section>
      ) : null}
      <section aria-labelledby="checkpoint-heading">
        <h3 id="checkpoint-heading">{t.health.checkpoint}</h3>
        {health.checkpoint === null ? (
          <p>{t.health.noCheckpoint}</p>
        ) : (
          <dl className="facts">
            <dt>{t.health.log}</dt>
            <dd>{health.origin}</dd>
            <dt>{t.health.entries}</dt>
            <dd data-testid="health-size">{health.checkpoint.size}</dd>
            <dt>{t.health.root}</dt>
            <dd><code>{health.checkpoint.root}</code></dd>
            <dt>{t.health.cosignedBy}</dt>
            <dd>
              <ul>
                {health.checkpoint.cosigners.map((cosigner) => <li key={cosigner.witness}>{t.health.cosignedAt(cosigner.witness, f.dateTime(cosigner.timestamp))}</li>)}
              </ul>
            </dd>
            <dt>{t.health.replayed}</dt>
            <dd>{health.mirrorSize}</dd>
            <dt>{t.health.lastCheck}</dt>
            <dd>{describe(health.lastConsistencyCheck, t, f)}</dd>
          </dl>
        )}
      </section>
    </>
  );
}

/** How much of the catch-up's gap the mirror holds, in percent (0 to 100). */
export function percentOf({ from, to, held }: { readonly from: number; readonly to: number; readonly held: number }): number {
  return to > from ? (100 * (held - from)) / (to - from) : 100;
}

/** The check's record as words: its time when it has one, otherwise its fields. */
function describe(value: unknown, t: Messages, f: Format): string {
  if (value === null || value === undefined) return t.health.noneYet;
  if (typeof value === 'number') return f.dateTime(value);
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${key}: ${typeof item === 'number' && /at$|time/i.test(key) ? f.dateTime(item) : String(item)}`)
    .join(', ');
}
