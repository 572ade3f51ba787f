import assert from 'node:assert/strict';
import { apply, isoTime, legalActs, listRequests, lockOf, type ActTarget, type AnyDomainEntry, type EntryType, type RequestKind, type State } from '../src/index.ts';
import { actEntry, adopted, authors, filing, openTargets, walkTreaty } from './legal-acts-support.ts';
import { day, entry } from './request-helpers.ts';

/**
 * The generated histories of the legal-acts property test (issue 11), shared with the tests
 * that start from one (a state leaving the treaty, issue 17): a treaty of 2 to 4 states and a
 * list of numbers read as a walk of filings, waits, trade proposals and listed acts.
 */

export interface Walk {
  state: State;
  now: number;
  /** Choices left over for the completeness check's random bodies. */
  readonly draws: readonly number[];
}

export const OFFENCES = ['ransomware-extortion', 'computer-fraud', 'illegal-access', 'laundering'];
/** Kinds filed: persons most often, and every kind of request for data (issue 17). */
const KINDS: readonly RequestKind[] = ['extradition', 'extradition', 'extradition', 'preservation', 'traffic-disclosure', 'production', 'emergency-disclosure'];
const RARE: ReadonlySet<EntryType> = new Set(['request.withdraw', 'trade.abort']);

/** Property 1 on the spot: each listed act, in each of its ways, applies. */
export function assertListedApply(state: State, party: string, target: ActTarget, now: number): void {
  for (const act of legalActs(state, { party }, now, target).available) {
    assert.ok(act.variants.length > 0, `${act.type} is listed with no way of taking it`);
    for (const variant of act.variants) {
      const result = apply(state, actEntry(party, act, variant, target, now));
      assert.ok(result.ok, `listed ${act.type} (${variant.label}) by ${party} on ${target.id} at ${isoTime(now)} does not apply: ${result.ok ? '' : `${result.error.code} ${result.error.message}`}`);
    }
  }
}

/** A balanced trade of open reciprocal grants: a 2-cycle if there is one, else one grant against a voluntary transfer back. */
function tradeProposal(state: State, id: string, now: number, choice: number): AnyDomainEntry | undefined {
  const grants = listRequests(state).filter((record) => record.status === 'granted-conditional' && record.decision?.onReciprocity && lockOf(state.trades, record.id) === undefined);
  if (grants.length === 0) return undefined;
  const first = grants[choice % grants.length]!;
  const back = grants.find((other) => other.view.requesting === first.view.requested && other.view.requested === first.view.requesting);
  const legs = back
    ? [{ kind: 'request', request: first.id }, { kind: 'request', request: back.id }]
    : [{ kind: 'request', request: first.id }, { kind: 'voluntary', from: first.view.requesting, to: first.view.requested, subject: `pardoned-${id}`, reason: 'pardon' }];
  const coordinator = choice % 3 === 0 ? first.view.requesting : 'exchange';
  return entry(first.view.requested, now, 'trade.propose', { trade: id, legs: legs as never, coordinator, deadline: now + ((choice % 20) + 10) * 86_400 });
}

/** `observe`, if given, sees every state the walk reaches, entry by entry, with the walk's instant and the entry applied. */
export function walk(count: number, steps: readonly number[], observe?: (state: State, now: number, entry: AnyDomainEntry) => void): Walk {
  const treaty = walkTreaty(count);
  const parties = treaty.parties.map((party) => party.id);
  let state = adopted(treaty);
  let now = day(0);
  let filed = 0;
  let proposed = 0;
  const tryApply = (item: AnyDomainEntry | undefined) => {
    if (!item) return;
    const result = apply(state, item);
    if (result.ok) {
      state = result.value;
      observe?.(state, now, item);
    }
  };
  for (const choice of steps) {
    const high = Math.floor(choice / 8);
    switch (choice % 8) {
      case 0: {
        const requesting = parties[high % count]!;
        const requested = parties[(high + 1 + (Math.floor(high / 4) % (count - 1))) % count]!;
        const nationality = [requesting, requested, 'UA'][Math.floor(high / 16) % 3]!;
        tryApply(filing(`R${filed++}`, requesting, requested, nationality, now, OFFENCES[Math.floor(high / 48) % OFFENCES.length]!, KINDS[Math.floor(high / 192) % KINDS.length]!));
        break;
      }
      case 1:
        now += ((high % 10) + 1) * 86_400;
        break;
      case 2:
        tryApply(tradeProposal(state, `T${proposed++}`, now, high));
        break;
      default: {
        const targets = openTargets(state);
        if (targets.length === 0) break;
        // Trades first when there are some: they need every party's signature before the deadline.
        const trades = targets.filter((candidate) => candidate.kind === 'trade');
        const target = trades.length > 0 && high % 2 === 0 ? trades[(high >> 1) % trades.length]! : targets[high % targets.length]!;
        // Every author's listed acts on the case; withdrawals and call-offs are drawn rarely,
        // so that walks go deep (decisions, surrenders, prosecutions, trades) before they end.
        const offers = authors(state).flatMap((party) => {
          assertListedApply(state, party, target, now);
          return legalActs(state, { party }, now, target).available.flatMap((act) => act.variants.map((variant) => ({ party, act, variant })));
        });
        const weighted = offers.flatMap((offer) => Array<typeof offer>(RARE.has(offer.act.type) ? 1 : 8).fill(offer));
        if (weighted.length === 0) break;
        const { party, act, variant } = weighted[Math.floor(high / 8) % weighted.length]!;
        const item = actEntry(party, act, variant, target, now);
        const result = apply(state, item);
        assert.ok(result.ok, `listed ${act.type} refused: ${result.ok ? '' : result.error.message}`);
        state = result.value;
        observe?.(state, now, item);
        now = Math.max(now, variant.availableFrom ?? now);
      }
    }
  }
  return { state, now, draws: steps };
}
