import { BarChart } from '../charts/bar-chart.tsx';
import { groundsCited, pairName, type PairStatistics } from './statistics.ts';

/** Refusals per ground, one series per pair; the console and the public page show the same chart. */
export function RefusalsByGroundChart({ pairs }: { readonly pairs: readonly PairStatistics[] }) {
  const grounds = groundsCited(pairs);
  return <BarChart title="Refusals by ground" categories={grounds.length > 0 ? grounds : ['(none)']} series={pairs.map((pair) => ({ name: pairName(pair), values: grounds.map((ground) => pair.refusedByGround[ground] ?? 0) }))} />;
}

/** Prosecutions instead of extradition per pair: owed, opened, reported, and reports overdue. */
export function ProsecutionChart({ pairs, title }: { readonly pairs: readonly PairStatistics[]; readonly title: string }) {
  return (
    <BarChart
      title={title}
      categories={pairs.map(pairName)}
      series={[
        { name: 'owed', values: pairs.map((pair) => pair.prosecutionsOwed) },
        { name: 'opened', values: pairs.map((pair) => pair.prosecutionsOpened) },
        { name: 'outcome reported', values: pairs.map((pair) => pair.prosecutionsReported) },
        { name: 'report overdue', values: pairs.map((pair) => pair.prosecutionReportsOverdue), tone: 'bad' },
      ]}
    />
  );
}
