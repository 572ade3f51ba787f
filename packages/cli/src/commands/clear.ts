/**
 * `evenhand clear --input instance.json`: the standalone form of clearing (issue 6), so
 * that anyone can check a proposed set of trades against the pool it came from. Reads
 * `{"maxLength": 3, "requests": [{"id", "from", "to", "weight"}, …]}` (optionally
 * `balance`) and prints `{"objective", "bound", "gap", "trades": [{"legs": […]}]}`.
 * Exit codes: 0 a plan, 2 unreadable or invalid input, 3 the solver failed.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { clear, parseClearingInstance, type ClearingPlan } from '@evenhand/core';
import { CliError } from '../cli-error.ts';

interface ClearOptions {
  readonly input: string;
  readonly timeLimit: number;
  readonly epsilon: number;
  readonly details: boolean;
}

function readInstanceText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read instance file ${path}: ${code === 'ENOENT' ? 'no such file' : String(cause)}`, 2);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError(`${path} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, 2);
  }
}

/** The issue's output shape; `details` adds who trades with whom and the round's figures. */
export function renderPlan(plan: ClearingPlan, details: boolean): string {
  const trades = plan.trades.map((trade) => (details ? { legs: trade.legs, parties: trade.parties } : { legs: trade.legs }));
  const core = { objective: plan.objective, bound: plan.bound, gap: plan.gap, trades };
  const extra = details
    ? { optimal: plan.optimal, timedOut: plan.timedOut, stage: plan.stage, received: plan.received, given: plan.given, shares: plan.shares, credits: plan.credits, stats: plan.stats }
    : {};
  return JSON.stringify({ ...core, ...extra }, null, 2);
}

function numberIn(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, found "${value}"`);
    }
    return parsed;
  };
}

export async function runClear(options: ClearOptions): Promise<string> {
  const instance = parseClearingInstance(parseJson(readInstanceText(options.input), options.input));
  if (!instance.ok) {
    const { problems } = instance.error;
    throw new CliError(`${options.input} is not a valid clearing instance (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`, 2);
  }
  const { requests, maxLength, balance } = instance.value;
  const result = await clear(requests, {
    maxLength,
    timeLimitSeconds: options.timeLimit,
    epsilon: options.epsilon,
    // The CLI owns the clock, so that --time-limit bounds the whole run, not only HiGHS.
    clock: () => performance.now() / 1000,
    ...(balance === undefined ? {} : { balance }),
  });
  if (!result.ok) throw new CliError(`clearing failed (${result.error.code}): ${result.error.problems.join('; ')}`, 3);
  return renderPlan(result.value, options.details);
}

export function registerClear(program: Command): void {
  program
    .command('clear')
    .description('propose trades from a pool of reciprocity-conditional grants, with the bound and certified gap. Exits 2 on bad input.')
    .requiredOption('--input <file>', 'instance JSON: {"maxLength": 3, "requests": [{"id", "from", "to", "weight"}]}; "-" reads stdin')
    .option('--time-limit <seconds>', 'solver time budget', numberIn('--time-limit', 0.01, 3600), 10)
    .option('--epsilon <ratio>', 'stop once within this relative gap of the bound', numberIn('--epsilon', 0, 0.5), 0.005)
    .option('--details', 'also print parties, received/given weight, fair shares, credits and solver figures', false)
    .action(async (options: ClearOptions) => {
      process.stdout.write(`${await runClear(options)}\n`);
    });
}
