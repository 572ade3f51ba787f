import { Legend, type Series } from './bar-chart.tsx';

/**
 * Lines over an ordered axis (months), in plain SVG, for running totals such as the balance
 * of handovers. Negative values are drawn below a zero line, since a balance can go either way.
 */
export function LineChart({ title, labels, series, height = 220 }: { readonly title: string; readonly labels: readonly string[]; readonly series: readonly Series[]; readonly height?: number }) {
  const width = 640;
  const left = 40;
  const top = 16;
  const bottom = 40;
  const values = series.flatMap((item) => item.values);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const plot = height - top - bottom;
  const x = (i: number) => left + 8 + (labels.length <= 1 ? 0 : (i * (width - left - 24)) / (labels.length - 1));
  const y = (value: number) => top + ((max - value) / (max - min || 1)) * plot;
  const step = Math.max(1, Math.ceil(labels.length / 8));
  const summary = series.map((item) => `${item.name}: ${labels.map((label, i) => `${label} ${item.values[i] ?? 0}`).join(', ')}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <line x1={left} x2={width - 4} y1={y(0)} y2={y(0)} className="axis" />
        <text x={left - 6} y={y(max) + 4} className="tick" textAnchor="end">{max}</text>
        <text x={left - 6} y={y(0) + 4} className="tick" textAnchor="end">0</text>
        {min < 0 ? <text x={left - 6} y={y(min) + 4} className="tick" textAnchor="end">{min}</text> : null}
        {labels.map((label, i) => (i % step === 0 || i === labels.length - 1 ? <text key={label} x={x(i)} y={height - bottom + 16} className="tick" textAnchor="middle">{label}</text> : null))}
        {series.map((item, s) => (
          <g key={item.name} className={`line ${item.tone ?? `s${s}`}`}>
            <polyline fill="none" points={item.values.map((value, i) => `${x(i)},${y(value)}`).join(' ')} />
            {item.values.map((value, i) => (
              <circle key={labels[i] ?? i} cx={x(i)} cy={y(value)} r={3}>
                <title>{`${labels[i]}, ${item.name}: ${value}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend series={series} />
    </figure>
  );
}
