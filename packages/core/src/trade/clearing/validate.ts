/**
 * Checks a clearing instance before any solver sees it. Every problem names its field
 * and the rule it breaks (DEVELOPERS.md "Errors"), and all problems are collected, not
 * only the first, so that a bad instance file can be fixed in one pass.
 */
import { err, ok, type Result } from '../../result.ts';
import type { BalanceRule, ClearingError, ClearingRequest } from './types.ts';

export interface ClearingInstance {
  readonly maxLength: number;
  readonly requests: readonly ClearingRequest[];
  readonly balance?: BalanceRule;
}

/** Longest trade we accept: state cycles grow as S^L, and §5 measured L = 4 at 27 s. */
export const MAX_TRADE_LENGTH = 8;
export const DEFAULT_MAX_LENGTH = 3;

const STATE_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `number ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkState(value: unknown, field: string, problems: string[]): string | undefined {
  if (typeof value === 'string' && STATE_CODE.test(value)) return value;
  problems.push(`${field}: expected a state code, found ${describe(value)}`);
  return undefined;
}

/** Checks already-typed requests: ids unique, no self-requests, weights finite and ≥ 0. */
export function requestProblems(requests: readonly ClearingRequest[], positions?: readonly number[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  requests.forEach((request, i) => {
    // `positions` maps back to the file's own indexes when some entries were skipped.
    const index = positions?.[i] ?? i;
    const at = `requests[${index}]`;
    if (typeof request.id !== 'string' || request.id === '') {
      problems.push(`${at}.id: expected a non-empty string, found ${describe(request.id)}`);
    } else if (seen.has(request.id)) {
      problems.push(`${at}.id: duplicate of requests[${String(seen.get(request.id))}].id ${JSON.stringify(request.id)}`);
    } else {
      seen.set(request.id, index);
    }
    const from = checkState(request.from, `${at}.from`, problems);
    const to = checkState(request.to, `${at}.to`, problems);
    if (from !== undefined && from === to) {
      problems.push(`${at}.to: a state cannot request a person it holds itself (from = to = ${JSON.stringify(from)})`);
    }
    if (typeof request.weight !== 'number' || !Number.isFinite(request.weight) || request.weight < 0) {
      problems.push(`${at}.weight: expected a finite number ≥ 0, found ${describe(request.weight)}`);
    } else if (request.weight > 1e9) {
      problems.push(`${at}.weight: expected at most 1e9, found number ${String(request.weight)}`);
    }
  });
  return problems;
}

export function maxLengthProblems(maxLength: unknown, field = 'maxLength'): string[] {
  if (typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength >= 2 && maxLength <= MAX_TRADE_LENGTH) {
    return [];
  }
  return [`${field}: expected an integer from 2 to ${MAX_TRADE_LENGTH}, found ${describe(maxLength)}`];
}

function parseBalance(value: unknown, problems: string[]): BalanceRule | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push(`balance: expected an object, found ${describe(value)}`);
    return undefined;
  }
  const measure = value.measure ?? 'count';
  if (measure !== 'count' && measure !== 'weight') {
    problems.push(`balance.measure: expected "count" or "weight", found ${describe(measure)}`);
    return undefined;
  }
  if (value.blocs === undefined) return { measure };
  if (!isRecord(value.blocs)) {
    problems.push(`balance.blocs: expected an object mapping state to bloc, found ${describe(value.blocs)}`);
    return undefined;
  }
  const blocs: Record<string, string> = {};
  for (const [state, bloc] of Object.entries(value.blocs)) {
    if (!STATE_CODE.test(state)) problems.push(`balance.blocs: expected a state code as key, found ${describe(state)}`);
    if (typeof bloc !== 'string' || bloc === '') {
      problems.push(`balance.blocs.${state}: expected a bloc name, found ${describe(bloc)}`);
    } else {
      blocs[state] = bloc;
    }
  }
  return { measure, blocs };
}

/**
 * Parses the standalone instance format of issue 6:
 * `{"maxLength": 3, "requests": [{"id", "from", "to", "weight"}, …]}`; `balance` optional.
 */
export function parseClearingInstance(input: unknown): Result<ClearingInstance, ClearingError> {
  if (!isRecord(input)) {
    return err({ code: 'CLEARING_INPUT_INVALID', problems: [`(root): expected an object, found ${describe(input)}`] });
  }
  const problems: string[] = [];
  const maxLength = input.maxLength ?? DEFAULT_MAX_LENGTH;
  problems.push(...maxLengthProblems(maxLength));
  const requests: ClearingRequest[] = [];
  const positions: number[] = [];
  if (!Array.isArray(input.requests)) {
    problems.push(`requests: expected an array, found ${describe(input.requests)}`);
  } else {
    input.requests.forEach((raw: unknown, index) => {
      if (!isRecord(raw)) {
        problems.push(`requests[${index}]: expected an object, found ${describe(raw)}`);
        return;
      }
      const weight = raw.weight ?? 1;
      requests.push({ id: raw.id as string, from: raw.from as string, to: raw.to as string, weight: weight as number });
      positions.push(index);
    });
    problems.push(...requestProblems(requests, positions));
  }
  const balance = parseBalance(input.balance, problems);
  if (problems.length > 0) return err({ code: 'CLEARING_INPUT_INVALID', problems });
  return ok({ maxLength: maxLength as number, requests, ...(balance === undefined ? {} : { balance }) });
}
