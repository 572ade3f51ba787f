import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { BarChart } from '../charts/bar-chart.tsx';
import { LineChart } from '../charts/line-chart.tsx';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { DAY_EDGES, dayBucketNames, type StatisticsView } from '../shared/statistics.ts';
import { ProsecutionChart, RefusalsByGroundChart } from '../shared/statistics-charts.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import type { PairMonths } from '@evenhand/core/rules';
import { balance, pairsBetween, type DashboardMonths } from './dashboard-data.ts';
import { useLive } from './live.tsx';
import { useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import { loadTreaty } from './treaty.ts';

interface DashboardData {
  readonly months: DashboardMonths;
  readonly statistics: StatisticsView;
  readonly decideDays: number | null;
}

/**
 * The months and the figures, counted by the gateway from its own replay (GET /api/dashboard,
 * core `monthlySeries`; issue 14): three answers whatever the number of requests, where the
 * page read every request of this state, 762 pages at 10^6 entries, at each growth of the log.
 */
async function loadDashboard(): Promise<DashboardData> {
  const [months, statistics, treaty] = await Promise.all([api<DashboardMonths>('GET', '/api/dashboard'), api<StatisticsView>('GET', '/api/statistics'), loadTreaty<{ deadlines: { decideDays: number } }>()]);
  return { months, statistics, decideDays: treaty?.deadlines.decideDays ?? null };
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
      {loaded.state === 'ready' && loaded.value.months.counterparts.length === 0 ? <Empty>{t.dashboard.empty(me.party)}</Empty> : null}
      {loaded.state === 'ready' && loaded.value.months.counterparts.length > 0 ? <Charts data={loaded.value} party={me.party} logScale={logScale} /> : null}
    </>
  );
}

/**
 * One group of charts per counterpart (issue 11: every counterpart separately, not
 * "others"), since reciprocity is a relation between two states.
 */
function Charts({ data, party, logScale }: { readonly data: DashboardData; readonly party: string; readonly logScale: boolean }) {
  const t = useT();
  return (
    <>
      {data.months.counterparts.map((months) => (
        <section key={months.counterpart} aria-labelledby={`pair-${months.counterpart}`} data-testid={`counterpart-${months.counterpart}`}>
          <h3 id={`pair-${months.counterpart}`}>{t.dashboard.pair(party, months.counterpart)}</h3>
          <PairCharts data={data} months={months} party={party} logScale={logScale} />
        </section>
      ))}
    </>
  );
}

function PairCharts({ data, months, party, logScale }: { readonly data: DashboardData; readonly months: PairMonths; readonly party: string; readonly logScale: boolean }) {
  const t = useT();
  const titles = useTitles();
  const { statistics, decideDays } = data;
  const counterpart = months.counterpart;
  const flows = balance(months);
  const { incoming, outgoing } = pairsBetween(statistics, party, counterpart);
  const pairs = statistics.pairs.filter((pair) => pair === incoming || pair === outgoing);
  const none = DAY_EDGES.map(() => 0).concat(0);
  return (
    <div className="charts">
      <BarChart logScale={logScale} title={t.dashboard.filedPerMonth(party, counterpart)} categories={months.months} series={[{ name: t.dashboard.inboxSeries(counterpart, party), values: months.filedIncoming }, { name: t.dashboard.outboxSeries(party, counterpart), values: months.filedOutgoing }]} />
      <BarChart
        logScale={logScale}
        title={t.dashboard.daysToDecision(decideDays)}
        categories={dayBucketNames(t.dashboard.under, t.dashboard.over)}
        series={[
          { name: t.dashboard.deciding(party, counterpart), values: incoming?.decisionDays.decided ?? none },
          { name: `${t.dashboard.deciding(party, counterpart)}: ${t.dashboard.undecided}`, values: incoming?.decisionDays.pending ?? none, tone: 's2' },
          { name: t.dashboard.deciding(counterpart, party), values: outgoing?.decisionDays.decided ?? none, tone: 's1' },
          { name: `${t.dashboard.deciding(counterpart, party)}: ${t.dashboard.undecided}`, values: outgoing?.decisionDays.pending ?? none, tone: 'bad' },
        ]}
      />
      <RefusalsByGroundChart pairs={pairs} logScale={logScale} groundTitle={titles.ground} />
      <LineChart title={t.dashboard.balance(counterpart, party)} labels={months.months} series={[{ name: t.dashboard.received, values: flows.received }, { name: t.dashboard.surrendered, values: flows.surrendered }, { name: t.dashboard.balanceSeries, values: flows.net, tone: 's3' }]} />
      <ProsecutionChart pairs={pairs} title={t.dashboard.prosecutions(party, counterpart)} logScale={logScale} />
    </div>
  );
}
