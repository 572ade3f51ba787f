/**
 * Clearing performance against the goals of issue 6 and reference/trade-matching.md
 * §6(b), on instances from §5's generator with fixed seeds (2-core machine, one thread).
 * Run: node --import tsx packages/core/bench/clearing.bench.ts
 *
 * Order matters: the request-level (kidney) model runs last because it needs far more
 * memory, and the peak RSS of the state-level model is read before it.
 */
import m from 'highs';
import { clearWith, loadHighs, solveRequestLevel, type ClearingOptions, type ClearingPlan } from '../src/trade/clearing/index.ts';
import { generatePool } from '../test/clearing-support.ts';

const highsLoader = ((m as any).default ?? m) as typeof m.default;
const clock = (): number => performance.now() / 1000;
const MiB = 2 ** 20;
const rssMiB = (): number => process.memoryUsage().rss / MiB;
const peakRssMiB = (): number => (process.resourceUsage().maxRSS * 1024) / MiB;
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const secs = (x: number): string => `${x.toFixed(2)} s`;

function line(label: string, figure: string, goal: string, met: boolean | undefined): void {
  const verdict = met === undefined ? '' : met ? '  [met]' : '  [NOT met]';
  console.log(`${label.padEnd(58)} ${figure.padEnd(34)} goal: ${goal}${verdict}`);
}

const highs = await loadHighs();

function timed(pool: ReturnType<typeof generatePool>, options: ClearingOptions): { plan: ClearingPlan; wall: number } {
  const started = clock();
  const result = clearWith(highs, pool, { clock, ...options });
  const wall = clock() - started;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return { plan: result.value, wall };
}

// 0. The first solve in a process pays for compiling the WASM; a long-lived worker pays once.
{
  const { wall } = timed(generatePool(99, 20, 500), { maxLength: 3, epsilon: 0, timeLimitSeconds: 30 });
  line('warm-up: first solve in the process (20/500)', secs(wall), 'none (paid once per worker)', undefined);
}

// 1. 20 states, 2,000 requests, L = 3: proven optimum.
const pool20 = generatePool(1, 20, 2000);
const b20 = timed(pool20, { maxLength: 3, epsilon: 0, timeLimitSeconds: 30 });
line('20 states/2,000 requests/L=3: proven optimum, wall time', `${secs(b20.wall)} (obj ${b20.plan.objective}, gap ${pct(b20.plan.gap)})`, '≤ 2 s, gap 0', b20.wall <= 2 && b20.plan.optimal);
line('  stage, cycles, greedy, circulation bound', `${b20.plan.stage}, ${b20.plan.stats.cycles}, ${b20.plan.stats.greedyObjective}, ${b20.plan.stats.circulationBound}`, '(§5: 2,413 cycles, opt 5944 on their seed)', undefined);
line('  peak RSS of the process so far', `${peakRssMiB().toFixed(0)} MiB (WASM heap ${(highs.memoryBytes / MiB).toFixed(0)} MiB)`, '< 500 MiB', peakRssMiB() < 500);

// 2. 50 states, 5,000 requests.
const pool50 = generatePool(1, 50, 5000);
const fast50 = timed(pool50, { maxLength: 3, epsilon: 0.05, timeLimitSeconds: 1 });
line('50 states/5,000 requests: within 5% of the bound', `${secs(fast50.wall)} (gap ${pct(fast50.plan.gap)}, ${fast50.plan.stage})`, 'gap ≤ 5% in ≤ 1 s', fast50.wall <= 1 && fast50.plan.gap <= 0.05);
const slow50 = timed(pool50, { maxLength: 3, epsilon: 0.02, timeLimitSeconds: 30 });
line('50 states/5,000 requests: within 2% of the bound', `${secs(slow50.wall)} (gap ${pct(slow50.plan.gap)}, ${slow50.plan.stage})`, 'gap ≤ 2% in ≤ 30 s', slow50.wall <= 30 && slow50.plan.gap <= 0.02);
line('  cycles, greedy, circulation bound', `${slow50.plan.stats.cycles}, ${slow50.plan.stats.greedyObjective}, ${slow50.plan.stats.circulationBound}`, '(§5: 26,767 cycles, greedy 99.0%)', undefined);

// 3. 100 states: a plan with its certified gap within 2 s of wall time.
const pool100 = generatePool(1, 100, 5000);
const b100 = timed(pool100, { maxLength: 3, epsilon: 0.005, timeLimitSeconds: 2 });
line('100 states/5,000 requests: a plan with its gap', `${secs(b100.wall)} (gap ${pct(b100.plan.gap)}, ${b100.plan.stage}${b100.plan.timedOut ? ', time limit' : ''})`, 'a plan and gap in ≤ 2 s', b100.wall <= 2);

// 4. Memory over repeated solves: one cached runtime with dispose() against a fresh runtime each time.
{
  const pool = generatePool(3, 20, 500);
  const before = rssMiB();
  for (let i = 0; i < 40; i += 1) timed(pool, { maxLength: 3, epsilon: 0, timeLimitSeconds: 10 });
  const cached = rssMiB() - before;
  line('40 solves (20/500) on the cached runtime: RSS growth', `${cached.toFixed(1)} MiB (heap ${(highs.memoryBytes / MiB).toFixed(0)} MiB)`, 'flat: models are disposed', cached < 20);
  const freshBefore = rssMiB();
  for (let i = 0; i < 10; i += 1) {
    const fresh = await highsLoader();
    const result = clearWith(fresh, pool, { maxLength: 3, epsilon: 0, timeLimitSeconds: 10 });
    if (!result.ok) throw new Error('fresh runtime failed');
  }
  line('10 solves, each on a freshly loaded runtime: RSS growth', `${(rssMiB() - freshBefore).toFixed(1)} MiB`, '(why the runtime is cached)', undefined);
}

// 5. The same 20-state instance with the request-level (kidney) model, from this run.
{
  const limit = 15;
  const started = clock();
  const kidney = solveRequestLevel(highs, pool20, 3, limit, 2_000_000);
  const wall = clock() - started;
  const ratio = wall / b20.wall;
  const reached = kidney.status === 'optimal'
    ? 'optimal'
    : kidney.objective > 0 ? `${pct(kidney.objective / b20.plan.objective)} of the optimum when stopped` : 'no plan when stopped';
  line('20/2,000 request-level (kidney) model: columns', `${kidney.columns}`, '(§5: 335,709)', undefined);
  line(`  wall time (HiGHS limit ${limit} s) against the state-level model`, `${secs(wall)}, ratio ${kidney.status === 'optimal' ? '' : '≥ '}${ratio.toFixed(1)}×, ${reached}`, 'state-level model faster', ratio > 1);
  line('  peak RSS after the request-level model', `${peakRssMiB().toFixed(0)} MiB`, '(§5: 860 MiB with LP text)', undefined);
}
