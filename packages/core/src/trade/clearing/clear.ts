/**
 * Entry point of clearing (issue 6, "Clearing"): checks the input, picks the engine the
 * balance rule calls for, and returns a plan with its objective, bound and certified gap.
 * Pure apart from HiGHS: no clock (time limits run on HiGHS's own), no randomness, and the
 * same pool in any order gives the same plan, because everything downstream works on the
 * canonical graph (graph.ts).
 */
import type { Highs } from 'highs';
import { err, ok, type Result } from '../../result.ts';
import { runAccountEngine } from './account-engine.ts';
import { runCycleEngine, type EngineResult, type EngineSettings } from './cycle-engine.ts';
import { nextCredits } from './fairness.ts';
import { compareText } from './graph.ts';
import { loadHighs } from './highs-runtime.ts';
import { DEFAULT_MAX_LENGTH, maxLengthProblems, requestProblems } from './validate.ts';
import type { ClearingError, ClearingOptions, ClearingPlan, ClearingRequest } from './types.ts';

export const DEFAULT_EPSILON = 0.005;
export const DEFAULT_TIME_LIMIT_SECONDS = 10;
export const DEFAULT_MAX_CYCLES = 500_000;

function optionProblems(options: ClearingOptions): string[] {
  const problems = maxLengthProblems(options.maxLength ?? DEFAULT_MAX_LENGTH, 'options.maxLength');
  const { epsilon, timeLimitSeconds, maxCycles, fairness } = options;
  if (epsilon !== undefined && !(epsilon >= 0 && epsilon < 1)) problems.push(`options.epsilon: expected a number in [0, 1), found ${String(epsilon)}`);
  if (timeLimitSeconds !== undefined && !(timeLimitSeconds > 0 && Number.isFinite(timeLimitSeconds))) {
    problems.push(`options.timeLimitSeconds: expected a positive finite number, found ${String(timeLimitSeconds)}`);
  }
  if (maxCycles !== undefined && !(Number.isInteger(maxCycles) && maxCycles > 0)) problems.push(`options.maxCycles: expected a positive integer, found ${String(maxCycles)}`);
  const delta = fairness?.priceOfFairness;
  if (delta !== undefined && !(delta >= 0 && delta < 1)) problems.push(`options.fairness.priceOfFairness: expected a number in [0, 1), found ${String(delta)}`);
  for (const [state, credit] of Object.entries(fairness?.credits ?? {})) {
    if (!Number.isFinite(credit)) problems.push(`options.fairness.credits.${state}: expected a finite number, found ${String(credit)}`);
  }
  return problems;
}

/** Clears with an already loaded HiGHS runtime (synchronous: HiGHS solves block). */
export function clearWith(highs: Highs, requests: readonly ClearingRequest[], options: ClearingOptions = {}): Result<ClearingPlan, ClearingError> {
  const problems = [...requestProblems(requests), ...optionProblems(options)];
  if (problems.length > 0) return err({ code: 'CLEARING_INPUT_INVALID', problems });
  // A leg worth nothing adds nothing to the objective; leaving such legs out keeps the
  // plan unique instead of depending on which zero-weight legs a solver happened to keep.
  const pool = requests.filter((request) => request.weight > 0);
  const balance = options.balance ?? { measure: 'count' };
  const settings: EngineSettings = {
    maxLength: options.maxLength ?? DEFAULT_MAX_LENGTH,
    epsilon: options.epsilon ?? DEFAULT_EPSILON,
    timeLimitSeconds: options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS,
    maxCycles: options.maxCycles ?? DEFAULT_MAX_CYCLES,
    fairness: options.fairness,
    integralWeights: pool.every((request) => Number.isInteger(request.weight)),
    clock: options.clock,
  };
  let result: EngineResult;
  try {
    result = balance.measure === 'count' && balance.blocs === undefined
      ? runCycleEngine(highs, pool, settings)
      : runAccountEngine(highs, pool, balance, settings);
  } catch (error) {
    // HiGHS rejecting a model we built is a fault on our side or in the runtime, not bad
    // input; it is reported as a typed error so that a round never takes the exchange down.
    return err({ code: 'CLEARING_SOLVER_FAILED', problems: [error instanceof Error ? error.message : String(error)] });
  }
  return ok(toPlan(requests, result, options));
}

/** Loads HiGHS (once per process) and clears. */
export async function clear(requests: readonly ClearingRequest[], options: ClearingOptions = {}): Promise<Result<ClearingPlan, ClearingError>> {
  return clearWith(await loadHighs(), requests, options);
}

function toPlan(requests: readonly ClearingRequest[], result: EngineResult, options: ClearingOptions): ClearingPlan {
  const states = [...new Set(requests.flatMap((request) => [request.from, request.to]))].sort(compareText);
  const byId = new Map(requests.map((request) => [request.id, request]));
  const received = new Map(states.map((state) => [state, 0]));
  const given = new Map(states.map((state) => [state, 0]));
  for (const trade of result.trades) {
    for (const leg of trade.legs) {
      const request = byId.get(leg) as ClearingRequest;
      received.set(request.from, (received.get(request.from) ?? 0) + request.weight);
      given.set(request.to, (given.get(request.to) ?? 0) + request.weight);
    }
  }
  const record = (map: ReadonlyMap<string, number>): Record<string, number> =>
    Object.fromEntries(states.map((state) => [state, map.get(state) ?? 0]));
  const shares = record(result.shares);
  const receivedRecord = record(received);
  const gapRaw = result.bound > 0 ? (result.bound - result.objective) / result.bound : 0;
  // Below HiGHS's own tolerance a gap is noise, not a missed improvement.
  const gap = gapRaw <= 1e-9 ? 0 : gapRaw;
  return {
    objective: result.objective,
    bound: gap === 0 ? result.objective : result.bound,
    gap,
    optimal: gap === 0,
    timedOut: result.timedOut,
    stage: result.stage,
    trades: result.trades,
    received: receivedRecord,
    given: record(given),
    shares,
    credits: nextCredits(options.fairness?.credits ?? {}, shares, receivedRecord),
    stats: {
      states: states.length,
      requests: requests.length,
      cycles: result.cycles,
      greedyObjective: result.greedyObjective,
      circulationBound: result.circulationBound,
      solverSeconds: result.solverSeconds,
    },
  };
}
