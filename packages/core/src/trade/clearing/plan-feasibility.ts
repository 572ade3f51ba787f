/**
 * Whether a set of trades is a plan of a given pool, checked from the trades and the pool
 * alone (issue 13: "the proposed trades are feasible in that pool"), with the properties of
 * reference/trade-matching.md §6(c): every leg is a leg of the pool, each request is used at
 * most once, and each trade is a simple cycle of 2..L accounts (states, or bloc accounts under
 * §3's bloc rule) along which every account gives as much as it receives in the rule's
 * measure (§0: "receive ≥ give within a trade" forces "="). Both engines' trades have this
 * shape: the cycle engine one leg per arc, the account engine several legs on an arc.
 */
import type { ClearingPool } from './round-pool.ts';
import type { ClearingRequest } from './types.ts';

export interface ProposedTrade {
  readonly id: string;
  /** Request ids. */
  readonly legs: readonly string[];
}

/** One line per broken rule, naming the trade and, where there is one, the leg. */
export function planProblems(pool: ClearingPool, trades: readonly ProposedTrade[]): string[] {
  const byId = new Map(pool.requests.map((request) => [request.id, request]));
  const usedBy = new Map<string, string>();
  const problems: string[] = [];
  for (const trade of trades) {
    const at = `trade ${trade.id}`;
    const legs: ClearingRequest[] = [];
    trade.legs.forEach((id, index) => {
      const request = byId.get(id);
      const earlier = usedBy.get(id);
      if (!request) problems.push(`${at}: leg ${index} (request ${id}) is not in the pool the round solved`);
      else if (earlier !== undefined) problems.push(`${at}: leg ${index} (request ${id}) is also a leg of trade ${earlier}; a request is used at most once`);
      else legs.push(request);
      usedBy.set(id, usedBy.get(id) ?? trade.id);
    });
    if (legs.length !== trade.legs.length) continue;
    const problem = cycleProblem(pool, legs);
    if (problem) problems.push(`${at}: ${problem}`);
  }
  return problems;
}

/** The total weight of the trades' legs found in the pool (the objective they achieve). */
export function planValue(pool: ClearingPool, trades: readonly ProposedTrade[]): number {
  const weight = new Map(pool.requests.map((request) => [request.id, request.weight]));
  return trades.reduce((total, trade) => total + trade.legs.reduce((sum, id) => sum + (weight.get(id) ?? 0), 0), 0);
}

function cycleProblem(pool: ClearingPool, legs: readonly ClearingRequest[]): string | undefined {
  if (legs.length === 0) return 'it has no legs';
  const accountOf = (state: string) => pool.balance.blocs?.[state] ?? state;
  const measure = (request: ClearingRequest) => (pool.balance.measure === 'count' ? 1 : request.weight);
  const next = new Map<string, Set<string>>();
  const balance = new Map<string, number>();
  for (const request of legs) {
    // The person moves from the holder (`to`) to the requester (`from`), types.ts.
    const giver = accountOf(request.to);
    const receiver = accountOf(request.from);
    if (giver === receiver) return `request ${request.id} moves a person within account ${giver}, which no balanced trade between accounts carries`;
    next.set(giver, (next.get(giver) ?? new Set()).add(receiver));
    balance.set(giver, (balance.get(giver) ?? 0) - measure(request));
    balance.set(receiver, (balance.get(receiver) ?? 0) + measure(request));
  }
  const accounts = [...balance.keys()].sort();
  if (accounts.length > pool.maxLength) return `it spans ${accounts.length} accounts (${accounts.join(', ')}), more than the maximum trade length ${pool.maxLength}`;
  for (const account of accounts) {
    const heads = next.get(account);
    if (!heads || heads.size !== 1) return `account ${account} gives to ${heads?.size ?? 0} accounts; a trade is one simple cycle, in which each account gives to exactly one`;
    const net = balance.get(account) ?? 0;
    if (Math.abs(net) > 1e-9) return `account ${account} ${net > 0 ? 'receives' : 'gives'} ${Math.abs(net)} more than it ${net > 0 ? 'gives' : 'receives'} (${pool.balance.measure}); in a trade every account gives as much as it receives`;
  }
  // Each account has one successor: the trade is a union of cycles; it must be one.
  let steps = 0;
  let account = accounts[0]!;
  do {
    account = [...next.get(account)!][0]!;
    steps += 1;
  } while (account !== accounts[0] && steps <= accounts.length);
  if (steps !== accounts.length) return `its legs form several cycles, not one (accounts ${accounts.join(', ')})`;
  return undefined;
}
