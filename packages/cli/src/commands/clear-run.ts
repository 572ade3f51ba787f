/**
 * `evenhand clear --input instance.json`: the standalone form of clearing (issue 6), so
 * that anyone can check a proposed set of trades against the pool it came from. Reads
 * `{"maxLength": 3, "requests": [{"id", "from", "to", "weight"}, …]}` (optionally
 * `balance`) and prints `{"objective", "bound", "gap", "trades": [{"legs": […]}]}`.
 * Exit codes: 0 a plan, 2 unreadable or invalid input, 3 the solver failed.
 *
 * `evenhand clear --audit --log <url|dir> --round <n>` re-checks a round the exchange ran
 * (issue 13; docs/clearing-audit.md). Exit codes: 0 valid, 1 invalid (with the reason),
 * 2 unreadable input or no such round.
 */
import { readFileSync } from 'node:fs';
import { clear, parseClearingInstance, type ClearingPlan } from '@evenhand/core';
import { parsePolicy, type Policy } from '@evenhand/log';
import { CliError } from '../cli-error.ts';
import { auditLoggedRound } from '../clear-audit/audit-logged-round.ts';
import { AuditReadError, parseRoundSelector, readClearingRound } from '../clear-audit/read-round.ts';
import { renderClearAudit } from '../clear-audit/render-audit.ts';
import { openLogSource, readText } from '../read-input.ts';

interface ClearOptions {
  readonly input: string;
  readonly timeLimit: number;
  readonly epsilon: number;
  readonly details: boolean;
}

interface ClearCommandOptions extends Omit<ClearOptions, 'input'> {
  readonly input?: string;
  readonly audit: boolean;
  readonly log?: string;
  readonly round?: string;
  readonly policy?: string;
  readonly json: boolean;
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

/** Audits one round of a log; returns the exit code (0 valid, 1 invalid). Throws CliError(2) on unreadable input. */
export async function runClearAudit(options: { log: string; round: string; policy?: string; json: boolean; timeLimit: number }): Promise<number> {
  let policy: Policy | undefined;
  if (options.policy !== undefined) {
    const parsed = parsePolicy(readText(options.policy, 'policy file'));
    if (!parsed.ok) throw new CliError(`${options.policy} is not a valid tlog-policy: ${parsed.error.message}`, 2);
    policy = parsed.value;
  } else if (!options.json) {
    process.stderr.write('evenhand clear --audit: no --policy: the log\'s signatures are not checked, only that its entries are those its checkpoint commits to\n');
  }
  const source = await openLogSource(options.log);
  const note = source.checkpoint();
  if (note === undefined) throw new CliError(`--log ${options.log}: no checkpoint`, 2);
  let logged;
  try {
    logged = await readClearingRound(source.fetch, note, parseRoundSelector(options.round), policy);
  } catch (error) {
    if (error instanceof AuditReadError) {
      if (error.exitCode === 2) throw new CliError(`--log ${options.log}: ${error.message}`, 2);
      process.stderr.write(`evenhand clear --audit: INVALID log: ${error.message}\n`);
      return 1;
    }
    throw new CliError(`cannot read the log at ${options.log}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const report = await auditLoggedRound(logged, { timeLimitSeconds: options.timeLimit, clock: () => performance.now() / 1000 });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderClearAudit(report));
  for (const finding of report.findings) process.stderr.write(`evenhand clear --audit: INVALID ${finding.field}: ${finding.message}\n`);
  return report.valid ? 0 : 1;
}

/** What the command runs, loaded only when it runs (clear.ts registers its options). */
export const clearAction = async (options: ClearCommandOptions) => {
      if (options.audit) {
        if (options.input !== undefined) throw new CliError('--audit reads a log, not an instance: give --log and --round, not --input', 2);
        if (options.log === undefined || options.round === undefined) throw new CliError('--audit needs --log <url|dir> and --round <n>', 2);
        process.exitCode = await runClearAudit({ log: options.log, round: options.round, json: options.json, timeLimit: options.timeLimit, ...(options.policy === undefined ? {} : { policy: options.policy }) });
        return;
      }
      if (options.input === undefined) throw new CliError('give --input <file> (an instance to clear), or --audit with --log and --round', 2);
      process.stdout.write(`${await runClear({ ...options, input: options.input })}\n`);
    };
