/**
 * Grouped bars in plain SVG: a few dozen lines instead of a chart library, which would be most
 * of the console's JavaScript budget (issue 5: ≤ 250 KB gzip). Each bar carries its value as
 * text and a <title>, so the figure is readable without hovering and by screen readers. A
 * non-zero bar is never drawn thinner than 3 px, so a small figure beside a large one stays
 * visible; where values differ by orders of magnitude the reader may pick a logarithmic scale.
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
  /** log10(1 + value) heights: small and large figures both readable. */
  readonly logScale?: boolean;
}

const WIDTH = 640;
const LEFT = 44;
const RIGHT = 24;
const BOTTOM = 52;
const TOP = 18;
const MIN_BAR = 3;

export function BarChart({ title, categories, series, marks = [], unit = '', height = 240, logScale = false }: BarChartProps) {
  const scale = (value: number) => (logScale ? Math.log10(1 + Math.max(0, value)) : value);
  const max = Math.max(1, ...series.flatMap((item) => item.values), ...marks.map((mark) => mark.value));
  const plotHeight = height - BOTTOM - TOP;
  const band = (WIDTH - LEFT - RIGHT) / Math.max(1, categories.length);
  const barWidth = Math.max(2, (band * 0.8) / Math.max(1, series.length));
  const y = (value: number) => TOP + plotHeight - (scale(value) / scale(max)) * plotHeight;
  const top = (value: number) => (value > 0 ? Math.min(y(value), y(0) - MIN_BAR) : y(0));
  const summary = categories.map((category, i) => `${category}: ${series.map((item) => `${item.name} ${item.values[i] ?? 0}${unit}`).join(', ')}`).join('; ');
  // Long category names are cut to what the band can show; the full name is in the bar's title.
  const chars = Math.max(4, Math.floor(band / 7));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(0)} y2={y(0)} className="axis" />
        <text x={LEFT - 6} y={y(max) + 4} className="tick" textAnchor="end">{Math.round(max)}</text>
        <text x={LEFT - 6} y={y(0) + 4} className="tick" textAnchor="end">0</text>
        {marks.map((mark) => (
          <g key={mark.label}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(mark.value)} y2={y(mark.value)} className="mark" />
            <text x={WIDTH - RIGHT} y={y(mark.value) - 4} className="tick" textAnchor="end">{mark.label}</text>
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
                    <rect x={x} y={top(value)} width={barWidth - 1} height={y(0) - top(value)} className={`bar ${item.tone ?? `s${s}`}`}>
                      <title>{`${category}, ${item.name}: ${value}${unit}`}</title>
                    </rect>
                    {value > 0 && barWidth >= 12 ? <text x={x + barWidth / 2} y={top(value) - 3} className="value" textAnchor="middle">{value}</text> : null}
                  </g>
                );
              })}
              <text x={x0 + (barWidth * series.length) / 2} y={height - BOTTOM + 18} className="tick" textAnchor="middle">{category.length > chars ? `${category.slice(0, chars - 1)}…` : category}</text>
            </g>
          );
        })}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </figure>
  );
}

export function Legend({ series, dashed = false }: { readonly series: readonly Series[]; readonly dashed?: boolean }) {
  return (
    <ul className="legend">
      {series.map((item, s) => (
        <li key={item.name}>
          <svg width="22" height="12" aria-hidden="true">
            {dashed ? <line x1="1" x2="21" y1="6" y2="6" className={`line ${item.tone ?? `s${s}`}`} strokeWidth="3" strokeDasharray={DASHES[s % DASHES.length]} /> : <rect width="12" height="12" className={`bar ${item.tone ?? `s${s}`}`} />}
          </svg>{' '}
          {item.name}
        </li>
      ))}
    </ul>
  );
}

/** Line patterns by series, so lines that coincide are still told apart (and not by colour alone). */
export const DASHES = ['', '6 4', '2 3', '10 3 2 3'];
