import { useState } from 'react';
import { BarChart } from '../charts/bar-chart.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { Titles } from '../i18n/titles.ts';
import { dayBucketNames, pairName, type PairStatistics } from '../shared/statistics.ts';
import { ProsecutionChart, RefusalsByGroundChart } from '../shared/statistics-charts.tsx';

/**
 * The figures for each pair (requesting → requested): filed, answered on time,
 * unanswered past the deadline, granted, refused by ground, prosecutions, and how long
 * decisions took, pending requests counted as still waiting. The same numbers appear as text
 * beside the charts, so they can be quoted and read by a screen reader.
 */
export function PairCharts({ pairs, titles }: { readonly pairs: readonly PairStatistics[]; readonly titles: Titles }) {
  const t = useT();
  const [logScale, setLogScale] = useState(false);
  const names = pairs.map(pairName);
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">{t.public.figures}</h2>
      <p><label className="check" htmlFor="public-log-scale"><input id="public-log-scale" type="checkbox" checked={logScale} onChange={(event) => setLogScale(event.target.checked)} /> {t.dashboard.logScale}</label></p>
      <div className="charts">
        <BarChart
          logScale={logScale}
          title={t.public.requestsAndAnswers}
          categories={names}
          series={[
            { name: t.public.filed, values: pairs.map((pair) => pair.filed) },
            { name: t.public.answeredOnTime, values: pairs.map((pair) => pair.decidedOnTime) },
            { name: t.public.unanswered, values: pairs.map((pair) => pair.unansweredPastDeadline), tone: 'bad' },
            { name: t.public.granted, values: pairs.map((pair) => pair.granted + pair.grantedConditional) },
            { name: t.public.refused, values: pairs.map((pair) => pair.refused) },
          ]}
        />
        <BarChart
          logScale={logScale}
          title={t.public.figMedian}
          categories={dayBucketNames(t.dashboard.under, t.dashboard.over)}
          series={pairs.flatMap((pair, i) => [
            { name: `${pairName(pair)}: ${t.public.figAnswered.toLowerCase()}`, values: pair.decisionDays.decided, tone: `s${(2 * i) % 5}` },
            { name: `${pairName(pair)}: ${t.public.figPending.toLowerCase()}`, values: pair.decisionDays.pending, tone: i === 0 ? 'bad' : 's4' },
          ])}
        />
        <RefusalsByGroundChart pairs={pairs} logScale={logScale} groundTitle={titles.ground} />
        <ProsecutionChart pairs={pairs} title={t.public.prosecutionInstead} logScale={logScale} />
      </div>
      <div className="pairs">
        {pairs.map((pair) => (
          <PairFigures key={pairName(pair)} pair={pair} titles={titles} />
        ))}
      </div>
    </section>
  );
}

function PairFigures({ pair, titles }: { readonly pair: PairStatistics; readonly titles: Titles }) {
  const t = useT();
  const f = useFormat();
  const id = `${pair.requesting}-${pair.requested}`;
  const median = pair.medianDaysToDecisionWithPending;
  const rows: [string, string, string][] = [
    ['filed', t.public.figFiled, f.number(pair.filed)],
    ['answered-on-time', t.public.figAnswered, f.number(pair.decidedOnTime)],
    ['unanswered', t.public.figUnanswered, f.number(pair.unansweredPastDeadline)],
    ['pending', t.public.figPending, f.number(pair.pending)],
    ['granted', t.public.figGranted, f.number(pair.granted + pair.grantedConditional)],
    ['refused', t.public.figRefused, f.number(pair.refused)],
    ['prosecutions', t.public.figProsecutions, f.number(pair.prosecutionsOwed)],
    ['median', t.public.figMedian, median === null ? t.public.noMedian : t.time.dayCount(median)],
  ];
  // Requests for data (issue 17) are counted apart from those for persons, in the same card.
  const data = pair.dataRequests;
  if (data && data.filed > 0) {
    rows.push(
      ['data-filed', t.public.dataFiled, f.number(data.filed)],
      ['data-decided-on-time', t.public.dataDecidedOnTime, f.number(data.decidedOnTime)],
      ['data-provided', t.public.dataProvided, f.number(data.provided)],
      ['data-refused', t.public.dataRefused, f.number(data.refused)],
      ['data-overdue', t.public.dataOverdue, f.number(data.unansweredPastDeadline + data.undeliveredPastDeadline)],
    );
  }
  return (
    <section className="card" aria-label={t.public.asking(pair.requesting, pair.requested)}>
      <h3>{t.public.asking(pair.requesting, pair.requested)}</h3>
      <dl className="facts">
        {rows.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`figure-${id}-${key}`}>{value}</dd>
          </div>
        ))}
        {Object.entries(pair.refusedByGround).map(([ground, count]) => (
          <div key={ground}>
            <dt>{t.public.refusedOn(titles.ground(ground))}</dt>
            <dd data-testid={`figure-${id}-ground-${ground}`}>{f.number(count)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
