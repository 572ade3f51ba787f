/**
 * Grouped bars in plain SVG: a few dozen lines instead of a chart library, which would be most
 * of the console's JavaScript budget (issue 5: ≤ 250 KB gzip). Each bar carries its value as
 * text and a <title>, so the figure is readable without hovering and by screen readers.
 */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** A CSS class giving the fill (see styles.css: s0…s5), so colours stay in one place. */
  readonly tone?: string;
}

export interface BarChartProps {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  /** Optional reference lines, such as a deadline, drawn across the plot. */
  readonly marks?: readonly { readonly value: number; readonly label: string }[];
  readonly unit?: string;
  readonly height?: number;
}

const WIDTH = 640;
const LEFT = 40;
const BOTTOM = 44;
const TOP = 16;

export function BarChart({ title, categories, series, marks = [], unit = '', height = 220 }: BarChartProps) {
  const max = Math.max(1, ...series.flatMap((item) => item.values), ...marks.map((mark) => mark.value));
  const plotHeight = height - BOTTOM - TOP;
  const band = (WIDTH - LEFT - 8) / Math.max(1, categories.length);
  const barWidth = Math.max(2, (band * 0.8) / Math.max(1, series.length));
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const summary = categories.map((category, i) => `${category}: ${series.map((item) => `${item.name} ${item.values[i] ?? 0}${unit}`).join(', ')}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <line x1={LEFT} x2={WIDTH - 4} y1={y(0)} y2={y(0)} className="axis" />
        <text x={LEFT - 6} y={y(max) + 4} className="tick" textAnchor="end">{Math.round(max)}</text>
        <text x={LEFT - 6} y={y(0) + 4} className="tick" textAnchor="end">0</text>
        {marks.map((mark) => (
          <g key={mark.label}>
            <line x1={LEFT} x2={WIDTH - 4} y1={y(mark.value)} y2={y(mark.value)} className="mark" />
            <text x={WIDTH - 6} y={y(mark.value) - 4} className="tick" textAnchor="end">{mark.label}</text>
          </g>
        ))}
        {categories.map((category, i) => {
          const x0 = LEFT + 4 + i * band + band * 0.1;
          return (
            <g key={category}>
              {series.map((item, s) => {
                const value = item.values[i] ?? 0;
                const x = x0 + s * barWidth;
                return (
                  <g key={item.name}>
                    <rect x={x} y={y(value)} width={barWidth - 1} height={y(0) - y(value)} className={`bar ${item.tone ?? `s${s}`}`}>
                      <title>{`${category}, ${item.name}: ${value}${unit}`}</title>
                    </rect>
                    {value > 0 && barWidth >= 10 ? <text x={x + barWidth / 2} y={y(value) - 3} className="value" textAnchor="middle">{value}</text> : null}
                  </g>
                );
              })}
              <text x={x0 + (barWidth * series.length) / 2} y={height - BOTTOM + 16} className="tick" textAnchor="middle">{category.length > 14 ? `${category.slice(0, 13)}…` : category}</text>
            </g>
          );
        })}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </figure>
  );
}

export function Legend({ series }: { readonly series: readonly Series[] }) {
  return (
    <ul className="legend">
      {series.map((item, s) => (
        <li key={item.name}>
          <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" className={`bar ${item.tone ?? `s${s}`}`} /></svg> {item.name}
        </li>
      ))}
    </ul>
  );
}
