import { LanguageSwitch, useFormat, useLang, useT } from '../i18n/i18n.tsx';
import { titlesOf, type TitledTreaty } from '../i18n/titles.ts';
import { api } from '../shared/http.ts';
import { parseCheckpoint, type CheckpointView } from '../shared/checkpoint.ts';
import { type StatisticsView } from '../shared/statistics.ts';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { Obligations } from './obligations.tsx';
import { OverTime, type PublicRequest } from './over-time.tsx';
import { PairCharts } from './pair-charts.tsx';
import { Incidents, type IncidentLedger } from './incidents.tsx';
import { Nexus } from './nexus.tsx';

interface PublicView {
  readonly statistics: StatisticsView;
  readonly treaty: TitledTreaty | null;
  readonly requests: readonly PublicRequest[];
  readonly ledger: IncidentLedger;
  readonly checkpoint: CheckpointView | null;
  readonly origin: string;
}

/** Pages of /v1/requests read for the figures over time, at most (200 each). */
const MAX_PAGES = 50;

/** The exchange's public views, all at the size of its latest witnessed checkpoint; a log with none yet answers 404 on /checkpoint. */
async function loadPublic(): Promise<PublicView> {
  const [statistics, health, note] = await Promise.all([
    api<StatisticsView>('GET', '/v1/statistics'),
    api<{ origin: string }>('GET', '/v1/health'),
    fetch('/checkpoint', { signal: AbortSignal.timeout(30_000) }).then((response) => (response.ok ? response.text() : '')),
  ]);
  const size = statistics.size;
  // The obligations come a page at a time with their own "More" (obligations.tsx).
  const treaty = await api<{ treaty: TitledTreaty | null }>('GET', `/v1/treaty?size=${size}`);
  const requests: PublicRequest[] = [];
  for (let after = '', pages = 0; pages < MAX_PAGES; pages++) {
    const page = await api<{ items: PublicRequest[]; next: string | null }>('GET', `/v1/requests?size=${size}${after ? `&after=${after}` : ''}`);
    requests.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  const ledger = await loadLedger(size, statistics.at);
  return { statistics, treaty: treaty.treaty, requests, ledger, checkpoint: note ? parseCheckpoint(note) : null, origin: health.origin };
}

/** Every page of a public list at one size and instant, bounded. */
async function allPages<T>(path: string, size: number, at: number): Promise<T[]> {
  const items: T[] = [];
  for (let after = '', pages = 0; pages < MAX_PAGES; pages++) {
    const page = await api<{ items: T[]; next: string | null }>('GET', `${path}?size=${size}&at=${at}${after ? `&after=${after}` : ''}`);
    items.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return items;
}

/** The incident ledger (issue 17) at the figures' size and instant: incidents and the groups they name. */
async function loadLedger(size: number, at: number): Promise<IncidentLedger> {
  const [incidents, groups] = await Promise.all([allPages<IncidentLedger['incidents'][number]>('/v1/incidents', size, at), allPages<IncidentLedger['groups'][number]>('/v1/groups', size, at)]);
  return { at, incidents, groups };
}

/**
 * The public transparency page (issue 5, 15, 17; DESIGN.md "The public and the press"): who has
 * not answered whom, in plain words; aggregate figures per pair of parties; where the
 * state–criminal nexus shows, and the incidents with their requests; figures over time; the
 * latest checkpoint and its cosigners; downloads of the figures; and the command that
 * recomputes every figure from the log. It reads only the exchange's public views, which carry
 * no personal data and nothing sealed: request ids, never pseudonyms.
 */
export function TransparencyPage() {
  const t = useT();
  const f = useFormat();
  const { lang } = useLang();
  const [loaded, reload] = useFetch(loadPublic, 'public');
  const titles = titlesOf(loaded.state === 'ready' ? loaded.value.treaty : null, lang);
  return (
    <div className="page">
      <a className="skip-link" href="#main">{t.common.skipToContent}</a>
      <header className="top">
        <h1>{t.public.title}</h1>
        <LanguageSwitch />
        <p className="lede">{t.public.lede}</p>
      </header>
      <main id="main" tabIndex={-1}>
        {loaded.state === 'loading' ? <Loading what={t.public.what} /> : null}
        {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
        {loaded.state === 'ready' ? (
          <>
            <p>
              {t.public.asOf(f.dateTime(loaded.value.statistics.at), loaded.value.statistics.size)}{' '}
              <button type="button" onClick={reload}>{t.common.refresh}</button>
            </p>
            <Obligations size={loaded.value.statistics.size} at={loaded.value.statistics.at} />
            {loaded.value.statistics.pairs.length === 0 ? <Empty>{t.public.empty}</Empty> : <PairCharts pairs={loaded.value.statistics.pairs} titles={titles} />}
            <Nexus ledger={loaded.value.ledger} titles={titles} />
            <Incidents ledger={loaded.value.ledger} titles={titles} />
            <OverTime requests={loaded.value.requests} />
            <Downloads size={loaded.value.statistics.size} at={loaded.value.statistics.at} />
            <CheckpointSection checkpoint={loaded.value.checkpoint} />
            <VerifySection origin={loaded.value.origin} />
          </>
        ) : null}
      </main>
    </div>
  );
}

function Downloads({ size, at }: { readonly size: number; readonly at: number }) {
  const t = useT();
  const query = `size=${size}&at=${at}`;
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">{t.public.downloads}</h2>
      <ul className="downloads">
        <li><a href={`/v1/statistics?${query}&format=csv`} download>{t.public.statisticsCsv}</a></li>
        <li><a href={`/v1/statistics?${query}`} download={`evenhand-statistics-${size}.json`}>{t.public.statisticsJson}</a></li>
        {/* A page of 200: the CSV names the next page in its Link header, the JSON in `next`. */}
        <li><a href={`/v1/deadlines?${query}&limit=200&format=csv`} download>{t.public.obligationsCsv}</a></li>
        <li><a href={`/v1/deadlines?${query}&limit=200`} download={`evenhand-obligations-${size}.json`}>{t.public.obligationsJson}</a></li>
        <li><a href={`/v1/incidents?${query}`} download={`evenhand-incidents-${size}.json`}>{t.incidents.incidentsJson}</a></li>
        <li><a href={`/v1/groups?${query}`} download={`evenhand-groups-${size}.json`}>{t.incidents.groupsJson}</a></li>
      </ul>
    </section>
  );
}

function CheckpointSection({ checkpoint }: { readonly checkpoint: CheckpointView | null }) {
  const t = useT();
  const f = useFormat();
  return (
    <section aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">{t.public.checkpoint}</h2>
      {checkpoint === null ? (
        <Empty>{t.public.noCheckpoint}</Empty>
      ) : (
        <>
          <dl className="facts">
            <dt>{t.public.log}</dt>
            <dd>{checkpoint.origin}</dd>
            <dt>{t.public.entries}</dt>
            <dd data-testid="checkpoint-size">{checkpoint.size}</dd>
            <dt>{t.public.root}</dt>
            <dd><code>{checkpoint.root}</code></dd>
          </dl>
          <h3>{t.public.signedBy}</h3>
          <ul>
            {checkpoint.signers.map((signer) => (
              <li key={signer.name}>{signer.cosignedAt === null ? t.public.logSignature(signer.name) : t.public.witnessAt(signer.name, f.dateTime(signer.cosignedAt))}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function VerifySection({ origin }: { readonly origin: string }) {
  const t = useT();
  const url = window.location.origin;
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">{t.public.verifyHeading}</h2>
      <p>{t.public.verifyText(origin)}</p>
      <pre data-testid="verify-command"><code>{`npm run evenhand -- verify --log ${url} --policy policy.txt --as ${t.public.yourState}`}</code></pre>
      <p>{t.public.policyText} <a href="/policy">/policy</a></p>
    </section>
  );
}
