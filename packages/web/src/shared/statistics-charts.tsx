import { BarChart } from '../charts/bar-chart.tsx';
import { useT } from '../i18n/i18n.tsx';
import { groundsCited, pairName, type PairStatistics } from './statistics.ts';

/** Refusals per ground, one series per pair; the console and the public page show the same chart. `groundTitle` names a ground in the reader's language. */
export function RefusalsByGroundChart({ pairs, logScale = false, groundTitle = (id) => id }: { readonly pairs: readonly PairStatistics[]; readonly logScale?: boolean; readonly groundTitle?: (id: string) => string }) {
  const t = useT();
  const grounds = groundsCited(pairs);
  return <BarChart logScale={logScale} title={t.charts.refusalsByGround} categories={grounds.length > 0 ? grounds.map(groundTitle) : [t.charts.noneCited]} series={pairs.map((pair) => ({ name: pairName(pair), values: grounds.map((ground) => pair.refusedByGround[ground] ?? 0) }))} />;
}

/** Prosecutions instead of extradition per pair: owed, opened, reported, and reports overdue. */
export function ProsecutionChart({ pairs, title, logScale = false }: { readonly pairs: readonly PairStatistics[]; readonly title: string; readonly logScale?: boolean }) {
  const t = useT();
  return (
    <BarChart
      logScale={logScale}
      title={title}
      categories={pairs.map(pairName)}
      series={[
        { name: t.charts.owed, values: pairs.map((pair) => pair.prosecutionsOwed) },
        { name: t.charts.opened, values: pairs.map((pair) => pair.prosecutionsOpened) },
        { name: t.charts.reported, values: pairs.map((pair) => pair.prosecutionsReported) },
        { name: t.charts.reportOverdue, values: pairs.map((pair) => pair.prosecutionReportsOverdue), tone: 'bad' },
      ]}
    />
  );
}
