import { api } from '../shared/http.ts';
import { BarChart } from '../charts/bar-chart.tsx';
import { LineChart } from '../charts/line-chart.tsx';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import type { StatisticsView } from '../shared/statistics.ts';
import { ProsecutionChart, RefusalsByGroundChart } from '../shared/statistics-charts.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { balance, monthRange, perMonth, responseBuckets } from './dashboard-data.ts';
import { useMe } from './session.tsx';
import { loadTreaty } from './treaty.ts';
import type { RequestRow } from './types.ts';

interface DashboardData {
  readonly requests: RequestRow[];
  readonly statistics: StatisticsView;
  readonly decideDays: number | null;
}

/** Three calls: the rows carry the decision, handover and last-activity times the charts need. */
async function loadDashboard(): Promise<DashboardData> {
  const [requests, statistics, treaty] = await Promise.all([api<RequestRow[]>('GET', '/api/requests?sort=filed'), api<StatisticsView>('GET', '/api/statistics'), loadTreaty<{ deadlines: { decideDays: number } }>()]);
  return { requests, statistics, decideDays: treaty?.deadlines.decideDays ?? null };
}

/** The reciprocity dashboard (issue 5), as charts, from this gateway's own verified replay. */
export function DashboardPage() {
  const me = useMe();
  const [loaded, reload] = useFetch(loadDashboard, 'dashboard');
  return (
    <>
      <h2>Reciprocity</h2>
      {loaded.state === 'loading' ? <Loading what="the figures" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value.requests.length === 0 ? <Empty>No request yet between {me.party} and another party.</Empty> : null}
      {loaded.state === 'ready' && loaded.value.requests.length > 0 ? <Charts data={loaded.value} party={me.party} /> : null}
    </>
  );
}

/**
 * One group of charts per counterpart (issue 11: every counterpart separately, not
 * "others"), since reciprocity is a relation between two states.
 */
function Charts({ data, party }: { readonly data: DashboardData; readonly party: string }) {
  const counterparts = [...new Set(data.requests.map((request) => request.counterpart))].sort();
  return (
    <>
      {counterparts.map((counterpart) => (
        <section key={counterpart} aria-labelledby={`pair-${counterpart}`} data-testid={`counterpart-${counterpart}`}>
          <h3 id={`pair-${counterpart}`}>{party} and {counterpart}</h3>
          <PairCharts data={data} party={party} counterpart={counterpart} />
        </section>
      ))}
    </>
  );
}

function PairCharts({ data, party, counterpart }: { readonly data: DashboardData; readonly party: string; readonly counterpart: string }) {
  const { statistics, decideDays } = data;
  const requests = data.requests.filter((request) => request.counterpart === counterpart);
  const months = monthRange(requests.flatMap((request) => [request.filedAt, request.lastActivityAt]));
  const edges = decideDays ? [decideDays / 2, decideDays, decideDays * 1.5, Infinity] : [30, 60, 90, Infinity];
  const bucketNames = edges.map((edge, i) => (edge === Infinity ? `over ${edges[i - 1]} d` : `under ${edge} d`));
  const flows = balance(requests, months);
  const pairs = statistics.pairs.filter((pair) => (pair.requesting === party && pair.requested === counterpart) || (pair.requesting === counterpart && pair.requested === party));
  return (
    <div className="charts">
      <BarChart title={`Requests filed per month, ${party} and ${counterpart}`} categories={months} series={[{ name: `${counterpart} to ${party} (inbox)`, values: perMonth(requests, months, 'incoming') }, { name: `${party} to ${counterpart} (outbox)`, values: perMonth(requests, months, 'outgoing') }]} />
      <BarChart
        title={`Days from filing to decision${decideDays ? ` (the treaty allows ${decideDays})` : ''}`}
        categories={bucketNames}
        series={[{ name: `${party} deciding ${counterpart}'s`, values: responseBuckets(requests, 'incoming', edges) }, { name: `${counterpart} deciding ${party}'s`, values: responseBuckets(requests, 'outgoing', edges) }]}
      />
      <RefusalsByGroundChart pairs={pairs} />
      <LineChart title={`Balance of handovers with ${counterpart} (persons ${party} received minus surrendered, running)`} labels={months} series={[{ name: 'received', values: flows.received }, { name: 'surrendered', values: flows.surrendered }, { name: 'balance', values: flows.net, tone: 's3' }]} />
      <ProsecutionChart pairs={pairs} title={`Prosecution instead of extradition between ${party} and ${counterpart}, and its reporting`} />
    </div>
  );
}
