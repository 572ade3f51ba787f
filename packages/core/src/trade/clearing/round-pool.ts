/**
 * The pool a clearing round solved, as the round commits to it (issue 13, "clearing rounds
 * anyone can re-check"): the eligible legs and every option that changes the plan or its
 * bound, and the solver options they make, so that the exchange and an auditor solve alike. `clearing.round` records the SHA-256 of this encoding (log clearing-pool-digest.ts),
 * so an auditor who rebuilds the pool from the log knows it is the one the exchange solved.
 * The time limit is left out on purpose: it is a wall-clock budget, not part of the problem.
 * The format is documented in docs/clearing-audit.md.
 */
import { compareText } from './graph.ts';
import type { BalanceRule, ClearingOptions, ClearingRequest } from './types.ts';

export const CLEARING_POOL_FORMAT = 'evenhand.org/clearing-pool@v1';

export interface ClearingPool {
  readonly requests: readonly ClearingRequest[];
  /** Maximum trade length L (reference/trade-matching.md §6(a)2). */
  readonly maxLength: number;
  /** The solver stops within ε of the bound (§6(a)3). */
  readonly epsilon: number;
  /** The cap on enumerated cycles: above it the bound is taken over every arc (§6(b)). */
  readonly maxCycles: number;
  readonly balance: BalanceRule;
  /** Fairness credits carried in, in millionths of a person, as the log records them (§2). */
  readonly credits: Readonly<Record<string, number>>;
}

/**
 * Canonical UTF-8 JSON text, no whitespace, members in the order written here. Requests are
 * sorted by id and credits and blocs by state (code-unit order), so the pool as a set has one
 * encoding; a credit of 0 is left out, since the solver reads a missing credit as 0.
 */
export function encodeClearingPool(pool: ClearingPool): string {
  const sortedKeys = (record: Readonly<Record<string, unknown>>) => Object.keys(record).sort(compareText);
  const { blocs } = pool.balance;
  const balance = blocs === undefined
    ? { measure: pool.balance.measure }
    : { measure: pool.balance.measure, blocs: sortedKeys(blocs).map((state) => [state, blocs[state]]) };
  return JSON.stringify({
    format: CLEARING_POOL_FORMAT,
    maxLength: pool.maxLength,
    epsilon: pool.epsilon,
    maxCycles: pool.maxCycles,
    balance,
    credits: sortedKeys(pool.credits).filter((state) => pool.credits[state] !== 0).map((state) => [state, pool.credits[state]]),
    requests: [...pool.requests].sort((a, b) => compareText(a.id, b.id)).map((request) => [request.id, request.from, request.to, request.weight]),
  });
}

/**
 * The pool's digest, SHA-256 of the UTF-8 encoding, as 64 lowercase hex digits. Core imports
 * nothing of ours and no node: module (DEVELOPERS.md "Layout"), so the caller passes its
 * SHA-256 (@evenhand/crypto `sha256`); the exchange and the auditor pass the same one.
 */
export function clearingPoolDigest(pool: ClearingPool, sha256: (data: Uint8Array) => Uint8Array): string {
  return [...sha256(new TextEncoder().encode(encodeClearingPool(pool)))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The options `clear` runs with for this pool; fairness always on, as the exchange runs it (§6(a)6). */
export function clearingOptionsOf(pool: ClearingPool, timeLimitSeconds: number): Omit<ClearingOptions, 'clock'> {
  const credits = Object.fromEntries(Object.entries(pool.credits).map(([state, millionths]) => [state, millionths / 1e6]));
  return { maxLength: pool.maxLength, epsilon: pool.epsilon, maxCycles: pool.maxCycles, balance: pool.balance, timeLimitSeconds, fairness: { credits } };
}
