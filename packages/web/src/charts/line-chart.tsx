import { DASHES, Legend, type Series } from './bar-chart.tsx';

/**
 * Lines over an ordered axis (months), in plain SVG, for running totals such as the balance
 * of handovers. Negative values are drawn below a zero line, since a balance can go either
 * way. Each line has its own dash pattern and marker size, drawn widest first, so a line that
 * runs along another stays visible; the last month's label has room on the right.
 */
export function LineChart({ title, labels, series, height = 240 }: { readonly title: string; readonly labels: readonly string[]; readonly series: readonly Series[]; readonly height?: number }) {
  const width = 640;
  const left = 44;
  const right = 36;
  const top = 18;
  const bottom = 44;
  const values = series.flatMap((item) => item.values);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const plot = height - top - bottom;
  const x = (i: number) => left + 8 + (labels.length <= 1 ? 0 : (i * (width - left - right - 8)) / (labels.length - 1));
  const y = (value: number) => top + ((max - value) / (max - min || 1)) * plot;
  const step = Math.max(1, Math.ceil(labels.length / 6));
  const summary = series.map((item) => `${item.name}: ${labels.map((label, i) => `${label} ${item.values[i] ?? 0}`).join(', ')}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} className="axis" />
        <text x={left - 6} y={y(max) + 4} className="tick" textAnchor="end">{max}</text>
        <text x={left - 6} y={y(0) + 4} className="tick" textAnchor="end">0</text>
        {min < 0 ? <text x={left - 6} y={y(min) + 4} className="tick" textAnchor="end">{min}</text> : null}
        {labels.map((label, i) => (i % step === 0 || i === labels.length - 1 ? <text key={label} x={x(i)} y={height - bottom + 18} className="tick" textAnchor={i === labels.length - 1 && labels.length > 1 ? 'end' : 'middle'}>{label}</text> : null))}
        {series.map((item, s) => (
          <g key={item.name} className={`line ${item.tone ?? `s${s}`}`}>
            <polyline fill="none" strokeWidth={series.length - s + 1} strokeDasharray={DASHES[s % DASHES.length]} points={item.values.map((value, i) => `${x(i)},${y(value)}`).join(' ')} />
            {item.values.map((value, i) => (
              <circle key={labels[i] ?? i} cx={x(i)} cy={y(value)} r={2 + series.length - s}>
                <title>{`${labels[i]}, ${item.name}: ${value}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend series={series} dashed />
    </figure>
  );
}
