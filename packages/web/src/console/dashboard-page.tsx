import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { BarChart } from '../charts/bar-chart.tsx';
import { LineChart } from '../charts/line-chart.tsx';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import type { StatisticsView } from '../shared/statistics.ts';
import { ProsecutionChart, RefusalsByGroundChart } from '../shared/statistics-charts.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { everyPage } from '../shared/pages.ts';
import { balance, monthRange, perMonth, responseBuckets, waitingBuckets } from './dashboard-data.ts';
import { useLive } from './live.tsx';
import { useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import { loadTreaty } from './treaty.ts';
import type { RequestPage, RequestRow } from './types.ts';
import { useNow } from './use-now.ts';

interface DashboardData {
  readonly requests: RequestRow[];
  readonly statistics: StatisticsView;
  readonly decideDays: number | null;
}

/**
 * The rows carry the decision, handover and last-activity times the charts need; read a page of
 * 200 at a time in filing order, each page a bounded walk on the gateway (issue 14), so that the
 * charts cost the gateway one page per request, never a walk of every request per page.
 */
async function loadDashboard(): Promise<DashboardData> {
  const requests = await everyPage((after) => api<RequestPage>('GET', `/api/requests?sort=filed&limit=200${after ? `&after=${after}` : ''}`), 1_000);
  const [statistics, treaty] = await Promise.all([api<StatisticsView>('GET', '/api/statistics'), loadTreaty<{ deadlines: { decideDays: number } }>()]);
  return { requests, statistics, decideDays: treaty?.deadlines.decideDays ?? null };
}

/** The reciprocity dashboard (issue 5), as charts, from this gateway's own verified replay. */
export function DashboardPage() {
  const me = useMe();
  const t = useT();
  const live = useLive();
  const [logScale, setLogScale] = useState(false);
  const [loaded, reload] = useFetch(loadDashboard, 'dashboard', live.version);
  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.dashboard.title}</h2>
      <p><label className="check" htmlFor="log-scale"><input id="log-scale" type="checkbox" checked={logScale} onChange={(event) => setLogScale(event.target.checked)} /> {t.dashboard.logScale}</label></p>
      {loaded.state === 'loading' ? <Loading what={t.dashboard.figures} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value.requests.length === 0 ? <Empty>{t.dashboard.empty(me.party)}</Empty> : null}
      {loaded.state === 'ready' && loaded.value.requests.length > 0 ? <Charts data={loaded.value} party={me.party} logScale={logScale} /> : null}
    </>
  );
}

/**
 * One group of charts per counterpart (issue 11: every counterpart separately, not
 * "others"), since reciprocity is a relation between two states.
 */
function Charts({ data, party, logScale }: { readonly data: DashboardData; readonly party: string; readonly logScale: boolean }) {
  const t = useT();
  const counterparts = [...new Set(data.requests.map((request) => request.counterpart))].sort();
  return (
    <>
      {counterparts.map((counterpart) => (
        <section key={counterpart} aria-labelledby={`pair-${counterpart}`} data-testid={`counterpart-${counterpart}`}>
          <h3 id={`pair-${counterpart}`}>{t.dashboard.pair(party, counterpart)}</h3>
          <PairCharts data={data} party={party} counterpart={counterpart} logScale={logScale} />
        </section>
      ))}
    </>
  );
}

function PairCharts({ data, party, counterpart, logScale }: { readonly data: DashboardData; readonly party: string; readonly counterpart: string; readonly logScale: boolean }) {
  const t = useT();
  const titles = useTitles();
  const now = useNow();
  const { statistics, decideDays } = data;
  const requests = data.requests.filter((request) => request.counterpart === counterpart);
  const months = monthRange(requests.flatMap((request) => [request.filedAt, request.lastActivityAt]));
  const edges = decideDays ? [decideDays / 2, decideDays, decideDays * 1.5, Infinity] : [30, 60, 90, Infinity];
  const bucketNames = edges.map((edge, i) => (edge === Infinity ? t.dashboard.over(edges[i - 1]!) : t.dashboard.under(edge)));
  const flows = balance(requests, months);
  const pairs = statistics.pairs.filter((pair) => (pair.requesting === party && pair.requested === counterpart) || (pair.requesting === counterpart && pair.requested === party));
  return (
    <div className="charts">
      <BarChart logScale={logScale} title={t.dashboard.filedPerMonth(party, counterpart)} categories={months} series={[{ name: t.dashboard.inboxSeries(counterpart, party), values: perMonth(requests, months, 'incoming') }, { name: t.dashboard.outboxSeries(party, counterpart), values: perMonth(requests, months, 'outgoing') }]} />
      <BarChart
        logScale={logScale}
        title={t.dashboard.daysToDecision(decideDays)}
        categories={bucketNames}
        series={[
          { name: t.dashboard.deciding(party, counterpart), values: responseBuckets(requests, 'incoming', edges) },
          { name: `${t.dashboard.deciding(party, counterpart)}: ${t.dashboard.undecided}`, values: waitingBuckets(requests, 'incoming', edges, now), tone: 's2' },
          { name: t.dashboard.deciding(counterpart, party), values: responseBuckets(requests, 'outgoing', edges), tone: 's1' },
          { name: `${t.dashboard.deciding(counterpart, party)}: ${t.dashboard.undecided}`, values: waitingBuckets(requests, 'outgoing', edges, now), tone: 'bad' },
        ]}
      />
      <RefusalsByGroundChart pairs={pairs} logScale={logScale} groundTitle={titles.ground} />
      <LineChart title={t.dashboard.balance(counterpart, party)} labels={months} series={[{ name: t.dashboard.received, values: flows.received }, { name: t.dashboard.surrendered, values: flows.surrendered }, { name: t.dashboard.balanceSeries, values: flows.net, tone: 's3' }]} />
      <ProsecutionChart pairs={pairs} title={t.dashboard.prosecutions(party, counterpart)} logScale={logScale} />
    </div>
  );
}
