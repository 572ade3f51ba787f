import { api } from '../shared/http.ts';
import { isoTime } from '../shared/format.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import type { LogHealth } from './types.ts';

/**
 * The health of the state's verified mirror of the log (issue 5 "Log health"): the latest
 * checkpoint it verified, who cosigned it and when, the last consistency check, and the
 * gateway's alarms, whose messages already say in plain words what happened and what to do.
 */
export function LogHealthPage() {
  const [loaded, reload] = useFetch(() => api<LogHealth>('GET', '/api/log-health'), 'health');
  return (
    <>
      <h2>Log health</h2>
      <p><button type="button" className="secondary" onClick={reload}>Check again</button></p>
      {loaded.state === 'loading' ? <Loading what="the log's health" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? <Health health={loaded.value} /> : null}
    </>
  );
}

function Health({ health }: { readonly health: LogHealth }) {
  return (
    <>
      <section aria-labelledby="alarms-heading">
        <h3 id="alarms-heading">Alarms</h3>
        {health.alarms.length === 0 ? (
          <p data-testid="no-alarms">No alarm: the exchange's log agrees with this gateway's own replay, and every entry we submitted is included.</p>
        ) : (
          health.alarms.map((alarm) => (
            <div key={alarm.code} className="alarm" role="alert">
              <strong>{alarm.code.replaceAll('_', ' ').toLowerCase()}</strong> since {isoTime(alarm.since)}: {alarm.message}
            </div>
          ))
        )}
        {health.halted ? <div className="alarm" role="alert">The mirror stopped replaying: {describe(health.halted)}</div> : null}
      </section>
      <section aria-labelledby="checkpoint-heading">
        <h3 id="checkpoint-heading">Latest verified checkpoint</h3>
        {health.checkpoint === null ? (
          <p>No checkpoint verified yet.</p>
        ) : (
          <dl className="facts">
            <dt>Log</dt>
            <dd>{health.origin}</dd>
            <dt>Entries</dt>
            <dd data-testid="health-size">{health.checkpoint.size}</dd>
            <dt>Root hash</dt>
            <dd><code>{health.checkpoint.root}</code></dd>
            <dt>Cosigned by</dt>
            <dd>
              <ul>
                {health.checkpoint.cosigners.map((cosigner) => <li key={cosigner.witness}>{cosigner.witness} at {isoTime(cosigner.timestamp)}</li>)}
              </ul>
            </dd>
            <dt>Entries replayed here</dt>
            <dd>{health.mirrorSize}</dd>
            <dt>Last consistency check</dt>
            <dd>{describe(health.lastConsistencyCheck)}</dd>
          </dl>
        )}
      </section>
    </>
  );
}

/** The check's record as words: its time when it has one, otherwise its fields. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'none yet';
  if (typeof value === 'number') return isoTime(value);
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${key}: ${typeof item === 'number' && /at$|time/i.test(key) ? isoTime(item) : String(item)}`)
    .join(', ');
}
