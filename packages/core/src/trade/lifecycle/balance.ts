import { ok, type Result } from '../../result.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { CreditChange } from './trade-state.ts';

/**
 * The treaty's balance rule (DESIGN.md "Trades"; reference/trade-matching.md §0, §3):
 * - equal-count: every party receives as many people as it gives, in each trade;
 * - weighted: every party receives as much weight as it gives (a leg weighs 1 unless the
 *   proposal says otherwise);
 * - bloc-credits: blocs, not states, keep accounts. A trade in which a bloc both gives and
 *   receives is a reciprocal exchange and may be uneven, as Ankara 2024 was (16 against 10);
 *   the difference accrues as credit. A bloc may receive without giving anything in the same
 *   trade only against credit it earned earlier ("advance handover against credit", §6(a)7).
 * Under every rule, each party's given minus received is carried as its credit.
 */

export interface BalanceLeg {
  readonly from: string;
  readonly to: string;
  readonly weight: number;
}

export interface Balance {
  /** Credit change per bloc (bloc-credits only; inter-bloc legs only). */
  readonly blocs: CreditChange;
  /** Credit change per party. */
  readonly parties: CreditChange;
}

type Rule = Treaty['balance'];

/** The value of a leg under a rule: the equal-count rule counts people. */
export function legUnit(rule: Rule, leg: BalanceLeg): number {
  return rule.rule === 'equal-count' ? 1 : leg.weight;
}

/** The credit changes of some legs, without checking the rule (used to undo aborted legs). */
export function creditChange(treaty: Treaty, legs: readonly BalanceLeg[]): Balance {
  const rule = treaty.balance;
  const parties = new Map<string, number>();
  const blocs = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
  for (const leg of legs) {
    const unit = legUnit(rule, leg);
    add(parties, leg.from, unit);
    add(parties, leg.to, -unit);
    if (rule.rule !== 'bloc-credits') continue;
    const from = blocOf(rule, leg.from);
    const to = blocOf(rule, leg.to);
    if (from === undefined || to === undefined || from === to) continue;
    add(blocs, from, unit);
    add(blocs, to, -unit);
  }
  return { blocs: Object.fromEntries(blocs), parties: Object.fromEntries(parties) };
}

export function blocOf(rule: Rule, party: string): string | undefined {
  if (rule.rule !== 'bloc-credits') return undefined;
  return Object.entries(rule.blocs).find(([, members]) => members.includes(party))?.[0];
}

/** Checks a trade's legs against the treaty's rule, given the bloc credits before it. */
export function checkBalance(treaty: Treaty, legs: readonly BalanceLeg[], blocCredits: CreditChange): Result<Balance, ApplyError> {
  const rule = treaty.balance;
  const flows = tally(legs, (party) => party, (leg) => legUnit(rule, leg));
  if (rule.rule === 'equal-count' || rule.rule === 'weighted') {
    const uneven = [...flows].filter(([, flow]) => flow.given !== flow.received);
    if (uneven.length > 0) {
      const what = rule.rule === 'equal-count' ? 'as many people as it gives' : 'as much weight as it gives';
      return fail('TRADE_UNBALANCED', `body.legs: under the treaty's ${rule.rule} balance rule each party must receive ${what}; ${describe(flows)}`, 'body.legs');
    }
    return ok(creditChange(treaty, legs));
  }
  const outside = [...flows.keys()].filter((party) => blocOf(rule, party) === undefined);
  if (outside.length > 0) {
    return fail('TRADE_UNBALANCED', `body.legs: under the treaty's bloc-credits balance rule every party must belong to a bloc; ${outside.join(', ')} belongs to none of ${Object.keys(rule.blocs).join(', ')}`, 'body.legs');
  }
  const crossing = legs.filter((leg) => blocOf(rule, leg.from) !== blocOf(rule, leg.to));
  const blocs = tally(crossing, (party) => blocOf(rule, party) ?? party, (leg) => legUnit(rule, leg));
  for (const [bloc, flow] of blocs) {
    const credit = Object.hasOwn(blocCredits, bloc) ? (blocCredits[bloc] ?? 0) : 0;
    if (flow.given === 0 && flow.received > credit) {
      return fail(
        'TRADE_UNBALANCED',
        `body.legs: under the treaty's bloc-credits balance rule a bloc that gives nothing in a trade may receive only against its credit; bloc ${bloc} receives ${flow.received} and has a credit of ${credit} (${describe(blocs)})`,
        'body.legs',
      );
    }
  }
  return ok(creditChange(treaty, legs));
}

interface Flow {
  given: number;
  received: number;
}

function tally(legs: readonly BalanceLeg[], account: (party: string) => string, unit: (leg: BalanceLeg) => number): Map<string, Flow> {
  const flows = new Map<string, Flow>();
  const flow = (key: string) => {
    let found = flows.get(key);
    if (!found) flows.set(key, (found = { given: 0, received: 0 }));
    return found;
  };
  for (const leg of legs) {
    flow(account(leg.from)).given += unit(leg);
    flow(account(leg.to)).received += unit(leg);
  }
  return new Map([...flows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** "BY gives 1, receives 0; DE gives 1, receives 13; ..." */
function describe(flows: ReadonlyMap<string, Flow>): string {
  return [...flows].map(([account, flow]) => `${account} gives ${flow.given}, receives ${flow.received}`).join('; ');
}
