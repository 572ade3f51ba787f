import type { AnyDomainEntry, Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { APPROVERS, day, entry, fileBody } from './request-helpers.ts';

/**
 * Trade fixtures: the 2021 treaty opened to more parties (each with the US law profile, so
 * that nationality never blocks a grant) and a given balance rule.
 */
export function tradeTreaty(parties: readonly string[], balance: Treaty['balance'] = { rule: 'equal-count' }): Treaty {
  const base = treaty2021();
  const profile = base.lawProfiles.US!;
  return {
    ...base,
    id: 'trade-test',
    parties: parties.map((id) => ({ id, name: `State ${id}`, centralAuthority: `Central authority of ${id}` })),
    lawProfiles: Object.fromEntries(parties.map((id) => [id, profile])),
    balance,
  };
}

/** Proposal by the first party and ratification by every party, the day before day 0. */
export function adopt(treaty: Treaty): AnyDomainEntry[] {
  const first = treaty.parties[0]!.id;
  return [entry(first, day(-1), 'treaty.propose', { treaty }), ...treaty.parties.map((party) => entry(party.id, day(-1), 'treaty.ratify', { treaty: treaty.id, version: treaty.version }))];
}

/** A request from `requesting` to `requested`, filed, acknowledged and granted on reciprocity by day 2. */
export function conditionalGrant(id: string, requesting: string, requested: string): AnyDomainEntry[] {
  return [
    entry(requesting, day(0), 'request.file', fileBody(id, { requested, subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 } })),
    entry(requested, day(1), 'request.acknowledge', { request: id }),
    entry(requested, day(2), 'request.decide', { request: id, decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS }),
  ];
}

export type Leg = { kind: 'request'; request: string; destination?: string; weight?: number } | { kind: 'voluntary'; from: string; to: string; subject: string; reason: 'pardon' | 'family' | 'other'; weight?: number };

export const req = (request: string, more: { destination?: string; weight?: number } = {}): Leg => ({ kind: 'request', request, ...more });
export const vol = (from: string, to: string, subject: string, reason: 'pardon' | 'family' | 'other' = 'pardon', weight?: number): Leg =>
  weight === undefined ? { kind: 'voluntary', from, to, subject, reason } : { kind: 'voluntary', from, to, subject, reason, weight };

/** Trade deadline used by the tests: day 20. */
export const DEADLINE = day(20);

export function proposal(author: string, trade: string, legs: readonly Leg[], coordinator = 'exchange', at = day(3), deadline = DEADLINE): AnyDomainEntry {
  return entry(author, at, 'trade.propose', { trade, legs: legs as never, coordinator, deadline });
}

/** Signatures by every party, then the commit by the first. */
export function signAndCommit(trade: string, parties: readonly string[], at = day(4)): AnyDomainEntry[] {
  return [...parties.map((party) => entry(party, at, 'trade.sign', { trade, approvers: APPROVERS })), entry(parties[0]!, at, 'trade.commit', { trade, approvers: APPROVERS })];
}

export function attestAll(trade: string, legs: number, coordinator = 'exchange', at = day(5)): AnyDomainEntry[] {
  return Array.from({ length: legs }, (_, leg) => entry(coordinator, at, 'trade.attest', { trade, leg, identity: true, health: true }));
}
