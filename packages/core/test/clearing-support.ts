/**
 * Shared helpers for the clearing tests and benchmark: a seeded generator (the §5
 * generator: S states, R requests with holder ≠ requester, weights 1–5, optional 1/rank
 * skew), a plan checker that recomputes every invariant from the plan alone, and a brute
 * force for tiny pools. Randomness is seeded here only; core stays free of it.
 */
import type { ClearingPlan, ClearingRequest } from '../src/trade/clearing/index.ts';

/** mulberry32: a small seeded PRNG, enough for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function stateName(index: number): string {
  return `S${String(index).padStart(3, '0')}`;
}

/** §5's generator. With skew 1, state p is picked with probability ∝ 1/(p+1). */
export function generatePool(seed: number, states: number, requests: number, skew = 0, maxWeight = 5): ClearingRequest[] {
  const random = seededRandom(seed);
  const weights = Array.from({ length: states }, (_, p) => (skew === 0 ? 1 : 1 / (p + 1) ** skew));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = (): number => {
    let u = random() * total;
    for (let p = 0; p < states; p += 1) {
      u -= weights[p] as number;
      if (u < 0) return p;
    }
    return states - 1;
  };
  const pool: ClearingRequest[] = [];
  for (let i = 0; i < requests; i += 1) {
    const from = pick();
    let to = pick();
    for (let guard = 0; to === from && guard < 1000; guard += 1) to = pick();
    if (to === from) to = (from + 1) % states;
    pool.push({ id: `r${i}`, from: stateName(from), to: stateName(to), weight: 1 + Math.floor(random() * maxWeight) });
  }
  return pool;
}

/** Fisher–Yates with a seeded PRNG. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Every invariant a plan must satisfy, recomputed from the plan and the pool alone.
 * Returns the problems found (empty when the plan is sound). `accountOf` maps a state to
 * the account whose balance is kept; `measure` is what a leg weighs in the balance.
 */
export function planProblems(
  pool: readonly ClearingRequest[],
  plan: ClearingPlan,
  maxLength: number,
  accountOf: (state: string) => string = (s) => s,
  measure: (request: ClearingRequest) => number = () => 1,
): string[] {
  const problems: string[] = [];
  const byId = new Map(pool.map((request) => [request.id, request]));
  const used = new Set<string>();
  let objective = 0;
  plan.trades.forEach((trade, t) => {
    const balance = new Map<string, number>();
    const parties = new Set<string>();
    for (const leg of trade.legs) {
      const request = byId.get(leg);
      if (request === undefined) {
        problems.push(`trade ${t}: unknown leg ${leg}`);
        continue;
      }
      if (used.has(leg)) problems.push(`trade ${t}: leg ${leg} used twice`);
      used.add(leg);
      objective += request.weight;
      const giver = accountOf(request.to);
      const receiver = accountOf(request.from);
      parties.add(giver).add(receiver);
      balance.set(giver, (balance.get(giver) ?? 0) - measure(request));
      balance.set(receiver, (balance.get(receiver) ?? 0) + measure(request));
    }
    for (const [party, net] of balance) if (Math.abs(net) > 1e-9) problems.push(`trade ${t}: ${party} unbalanced by ${net}`);
    if (parties.size > maxLength) problems.push(`trade ${t}: ${parties.size} parties > L = ${maxLength}`);
    if (trade.legs.length === 0) problems.push(`trade ${t}: no legs`);
  });
  if (Math.abs(objective - plan.objective) > 1e-6 * Math.max(1, objective)) problems.push(`objective ${plan.objective} ≠ legs' total ${objective}`);
  if (plan.objective > plan.bound + 1e-9 * Math.max(1, plan.bound)) problems.push(`objective ${plan.objective} > bound ${plan.bound}`);
  const gap = plan.bound > 0 ? (plan.bound - plan.objective) / plan.bound : 0;
  if (Math.abs(gap - plan.gap) > 1e-9) problems.push(`gap ${plan.gap} ≠ (bound − objective)/bound = ${gap}`);
  return problems;
}

/**
 * Exact optimum of the count rule per state by exhaustive search, for tiny pools: the
 * best subset of requests that splits into balanced simple cycles of ≤ L states. A subset
 * is checked by trying every way to peel off a simple cycle through its smallest leg.
 */
export function bruteForceOptimum(pool: readonly ClearingRequest[], maxLength: number): number {
  const legs = pool.filter((request) => request.weight > 0);
  const n = legs.length;
  if (n > 16) throw new Error('bruteForceOptimum: too many requests');
  const memo = new Map<number, boolean>();
  // Can the legs in `mask` be partitioned into simple state cycles of length ≤ L?
  const partitions = (mask: number): boolean => {
    if (mask === 0) return true;
    const known = memo.get(mask);
    if (known !== undefined) return known;
    let first = 0;
    while (((mask >> first) & 1) === 0) first += 1;
    const start = legs[first] as ClearingRequest;
    let found = false;
    // Walk from the first leg's receiver back to its holder with unused legs, states distinct.
    const walk = (state: string, visited: Set<string>, remaining: number, length: number): void => {
      if (found) return;
      if (state === start.to) {
        found = partitions(remaining);
        return;
      }
      if (length >= maxLength) return;
      for (let i = 0; i < n && !found; i += 1) {
        const leg = legs[i] as ClearingRequest;
        if (((remaining >> i) & 1) === 0 || leg.to !== state) continue;
        if (leg.from !== start.to && visited.has(leg.from)) continue;
        visited.add(leg.from);
        walk(leg.from, visited, remaining & ~(1 << i), length + 1);
        visited.delete(leg.from);
      }
    };
    walk(start.from, new Set([start.to, start.from]), mask & ~(1 << first), 1);
    memo.set(mask, found);
    return found;
  };
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask += 1) {
    let weight = 0;
    for (let i = 0; i < n; i += 1) if ((mask >> i) & 1) weight += (legs[i] as ClearingRequest).weight;
    if (weight > best && partitions(mask)) best = weight;
  }
  return best;
}
