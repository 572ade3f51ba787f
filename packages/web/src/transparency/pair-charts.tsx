import { BarChart } from '../charts/bar-chart.tsx';
import { pairName, type PairStatistics } from '../shared/statistics.ts';
import { ProsecutionChart, RefusalsByGroundChart } from '../shared/statistics-charts.tsx';

/**
 * The figures for each pair (requesting → requested): filed, answered on time,
 * unanswered past the deadline, granted, refused by ground, prosecutions. The same numbers
 * appear as text beside the charts, so they can be quoted and read by a screen reader.
 */
export function PairCharts({ pairs }: { readonly pairs: readonly PairStatistics[] }) {
  const names = pairs.map(pairName);
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">Requests between the parties</h2>
      <div className="charts">
        <BarChart
          title="Requests and answers, by who asked whom"
          categories={names}
          series={[
            { name: 'filed', values: pairs.map((pair) => pair.filed) },
            { name: 'answered on time', values: pairs.map((pair) => pair.decidedOnTime) },
            { name: 'unanswered past the deadline', values: pairs.map((pair) => pair.unansweredPastDeadline), tone: 'bad' },
            { name: 'granted', values: pairs.map((pair) => pair.granted + pair.grantedConditional) },
            { name: 'refused', values: pairs.map((pair) => pair.refused) },
          ]}
        />
        <RefusalsByGroundChart pairs={pairs} />
        <ProsecutionChart pairs={pairs} title="Prosecution instead of extradition" />
      </div>
      <div className="pairs">
        {pairs.map((pair) => (
          <PairFigures key={pairName(pair)} pair={pair} />
        ))}
      </div>
    </section>
  );
}

function PairFigures({ pair }: { readonly pair: PairStatistics }) {
  const id = `${pair.requesting}-${pair.requested}`;
  const rows: [string, string, number | string][] = [
    ['filed', 'Filed', pair.filed],
    ['answered-on-time', 'Answered on time', pair.decidedOnTime],
    ['unanswered', 'Unanswered past the deadline', pair.unansweredPastDeadline],
    ['granted', 'Granted', pair.granted + pair.grantedConditional],
    ['refused', 'Refused', pair.refused],
    ['prosecutions', 'Prosecutions owed instead', pair.prosecutionsOwed],
    ['median', 'Median days to a decision', pair.medianDaysToDecision ?? '—'],
  ];
  return (
    <section className="card" aria-label={`${pair.requesting} asking ${pair.requested}`}>
      <h3>{pair.requesting} asking {pair.requested}</h3>
      <dl className="facts">
        {rows.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`figure-${id}-${key}`}>{value}</dd>
          </div>
        ))}
        {Object.entries(pair.refusedByGround).map(([ground, count]) => (
          <div key={ground}>
            <dt>Refused on {ground}</dt>
            <dd data-testid={`figure-${id}-ground-${ground}`}>{count}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
