/** Prints a benchmark figure beside the goal its issue names, with a verdict. */
export function report(name: string, figure: number, unit: string, goal: number, better: 'higher' | 'lower', note = ''): void {
  const met = better === 'higher' ? figure >= goal : figure <= goal;
  const shown = figure >= 100 ? Math.round(figure).toLocaleString('en-US') : figure.toFixed(3);
  const goalText = `${better === 'higher' ? '≥' : '≤'} ${goal.toLocaleString('en-US')} ${unit}`;
  console.log(`${name}: ${shown} ${unit} (goal ${goalText}) ${met ? 'MET' : 'NOT MET'}${note ? ` — ${note}` : ''}`);
}

/** Runs `body` `runs` times and returns the best (least disturbed) duration in seconds. */
export function best(runs: number, body: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) fastest = Math.min(fastest, millis(body) / 1000);
  return fastest;
}

/** How long `body` took, in milliseconds. */
export function millis(body: () => void): number {
  const started = performance.now();
  body();
  return performance.now() - started;
}

/** The median of `runs` timings of `body` (told which run it is), in milliseconds. */
export function medianMillis(runs: number, body: (run: number) => void): number {
  const times = Array.from({ length: runs }, (_, run) => millis(() => body(run)));
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** The p-th percentile (0–100) of a list of samples, by the nearest-rank method. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The middle value of a list of samples; the mean of the two middle ones when there is an even number of them. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
