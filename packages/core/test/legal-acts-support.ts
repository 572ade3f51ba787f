import {
  apply, bodyFor, genesis, getRequest, getTrade, legalActs, listRequests, listTrades, type ActTarget, type AnyDomainEntry, type LegalAct, type RequestKind, type State, type Treaty,
} from '../src/index.ts';
import { REQUEST_ENDINGS, TRADE_ENDINGS_TESTED, towardEnding } from '@evenhand/testing';
import { treaty2021 } from './fixtures.ts';
import { APPROVERS, day, entry, fileBody } from './request-helpers.ts';

/**
 * Histories for the legal-acts property test (issue 11): a treaty of 2 to 4 states, some that
 * bar extraditing their nationals and some that do not, and a deterministic interpretation of
 * a list of numbers as a walk: file, wait, propose a trade, or take an act the core lists.
 */
export const STATES = ['US', 'RU', 'DE', 'TR'] as const;

export function walkTreaty(count: number): Treaty {
  const base = treaty2021();
  const parties = STATES.slice(0, count);
  return {
    ...base,
    id: 'walk-test',
    // Each names a 24/7 contact point, which emergency requests for data need (Budapest art. 35).
    parties: parties.map((id) => ({ id, name: `State ${id}`, centralAuthority: `Central authority of ${id}`, contactPoint: { name: `24/7 contact point of ${id}` } })),
    // Even-numbered states follow the US profile (nationals extradited), odd ones the RU profile (barred).
    lawProfiles: Object.fromEntries(parties.map((id, index) => [id, index % 2 === 0 ? base.lawProfiles.US! : base.lawProfiles.RU!])),
  };
}

export function adopted(treaty: Treaty): State {
  const first = treaty.parties[0]!.id;
  const entries = [entry(first, day(-1), 'treaty.propose', { treaty }), ...treaty.parties.map((party) => entry(party.id, day(-1), 'treaty.ratify', { treaty: treaty.id, version: treaty.version }))];
  return applyAll(entries);
}

function applyAll(entries: readonly AnyDomainEntry[]): State {
  let state = genesis();
  for (const item of entries) {
    const result = apply(state, item);
    if (!result.ok) throw new Error(`${item.type} by ${item.author}: ${result.error.code} ${result.error.message}`);
    state = result.value;
  }
  return state;
}

/** The open cases: requests and trades not at an ending. */
export function openTargets(state: State): ActTarget[] {
  return [
    ...listTrades(state.trades).filter((trade) => !TRADE_ENDINGS_TESTED.has(trade.status)).map((trade) => ({ kind: 'trade' as const, id: trade.id })),
    ...listRequests(state).filter((record) => !REQUEST_ENDINGS.has(record.status)).map((record) => ({ kind: 'request' as const, id: record.id })),
  ];
}

export function isOpen(state: State, target: ActTarget): boolean {
  if (target.kind === 'trade') {
    const trade = getTrade(state.trades, target.id);
    return trade !== undefined && !TRADE_ENDINGS_TESTED.has(trade.status);
  }
  const record = getRequest(state, target.id);
  return record !== undefined && !REQUEST_ENDINGS.has(record.status);
}

/** Every author that could act on a case: the treaty's parties and the exchange. */
export function authors(state: State): string[] {
  return [...(state.treaty?.parties.map((party) => party.id) ?? []), 'exchange'];
}

/** The entry one listed act writes, at `time` (or from when its variant applies). */
export function actEntry(party: string, act: LegalAct, variant: LegalAct['variants'][number], target: ActTarget, time: number): AnyDomainEntry {
  const ref = target.kind === 'request' ? { request: target.id } : { trade: target.id };
  return { author: party, time: Math.max(time, variant.availableFrom ?? time), type: act.type, body: bodyFor(act.type, ref, { ...variant.params, ...(act.twoPerson ? { approvers: APPROVERS } : {}) }) } as AnyDomainEntry;
}

/**
 * Drives one case to an ending with listed acts only (testing/case-driver.ts), waiting when
 * nothing helps yet (a trade's deadline, a consultation period). Returns the state, or throws
 * naming the case and its status when it is stuck: that would be a dead end.
 */
export function driveToEnding(state: State, target: ActTarget, now: number, maxSteps = 40): { state: State; now: number } {
  let current = state;
  let time = now;
  for (let step = 0; step < maxSteps && isOpen(current, target); step++) {
    const offers = authors(current).map((party) => ({ party, acts: legalActs(current, { party }, time, target).available }));
    const choice = towardEnding(offers);
    if (!choice) {
      // Nothing helps yet: let time pass (past a trade's deadline, or a waiting period).
      const trade = target.kind === 'trade' ? getTrade(current.trades, target.id) : undefined;
      time = trade ? Math.max(time + 86_400, trade.deadline + 1) : time + 16 * 86_400;
      continue;
    }
    const result = apply(current, actEntry(choice.party, choice.act, choice.variant, target, time));
    if (!result.ok) throw new Error(`listed act ${choice.act.type} (${choice.variant.label}) by ${choice.party} on ${target.kind} ${target.id} was refused: ${result.error.code} ${result.error.message}`);
    current = result.value;
  }
  if (isOpen(current, target)) {
    const status = target.kind === 'trade' ? getTrade(current.trades, target.id)?.status : getRequest(current, target.id)?.status;
    throw new Error(`${target.kind} ${target.id} is stuck in status ${status}: no listed act brings it to an ending`);
  }
  return { state: current, now: time };
}

/** A filing from `requesting` to `requested` for a person of `nationality`, at `time`. */
export function filing(id: string, requesting: string, requested: string, nationality: string, time: number, offence: string, kind: RequestKind = 'extradition'): AnyDomainEntry {
  return entry(requesting, time, 'request.file', fileBody(id, { requested, kind, subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 }, offences: [offence], offenceDate: '2021-05-07' }));
}
