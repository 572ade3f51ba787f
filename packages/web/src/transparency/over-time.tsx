import { BarChart } from '../charts/bar-chart.tsx';
import { useT } from '../i18n/i18n.tsx';
import { monthOf } from '../shared/format.ts';

/** The public fields of a request the figures over time use (/v1/requests). */
export interface PublicRequest {
  readonly id: string;
  readonly requesting: string;
  readonly requested: string;
  readonly filedAt: number;
  readonly decision?: { readonly kind: string; readonly at: number } | null;
}

/** Requests filed and decided per month, every month from the first to the last, so a silent month shows as zero. */
export function OverTime({ requests }: { readonly requests: readonly PublicRequest[] }) {
  const t = useT();
  if (requests.length === 0) return null;
  const times = requests.flatMap((request) => [request.filedAt, ...(request.decision ? [request.decision.at] : [])]);
  const months: string[] = [];
  const last = monthOf(Math.max(...times));
  for (let date = new Date(`${monthOf(Math.min(...times))}-01T00:00:00Z`); months.length < 600; date.setUTCMonth(date.getUTCMonth() + 1)) {
    const month = date.toISOString().slice(0, 7);
    months.push(month);
    if (month === last) break;
  }
  const count = (pick: (request: PublicRequest) => number | undefined) => months.map((month) => requests.filter((request) => { const at = pick(request); return at !== undefined && monthOf(at) === month; }).length);
  return (
    <section aria-labelledby="over-time-heading">
      <h2 id="over-time-heading">{t.public.overTime}</h2>
      <BarChart title={t.public.overTime} categories={months} series={[{ name: t.public.filedSeries, values: count((request) => request.filedAt) }, { name: t.public.decidedSeries, values: count((request) => request.decision?.at) }]} />
    </section>
  );
}
