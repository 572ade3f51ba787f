/** Prints a benchmark figure beside its goal from issue 3, with a verdict. */
export function report(name: string, figure: number, unit: string, goal: number, better: 'higher' | 'lower', note = ''): void {
  const met = better === 'higher' ? figure >= goal : figure <= goal;
  const shown = figure >= 100 ? Math.round(figure).toLocaleString('en-US') : figure.toFixed(3);
  const goalText = `${better === 'higher' ? '≥' : '≤'} ${goal.toLocaleString('en-US')} ${unit}`;
  console.log(`${name}: ${shown} ${unit} (goal ${goalText}) ${met ? 'MET' : 'NOT MET'}${note ? ` — ${note}` : ''}`);
}

/** Runs `body` `runs` times and returns the best (least disturbed) duration in seconds. */
export function best(runs: number, body: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    body();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return fastest;
}
