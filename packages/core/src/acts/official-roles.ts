import type { EntryType } from '../request/entries.ts';

/**
 * The officials of a state's central authority (DESIGN.md "Who uses it"): a clerk drafts and
 * files requests, a reviewer examines incoming ones, two approvers decide (two-person rule),
 * an observer only reads. Which *party* may write an entry is `apply`'s rule (request/roles.ts
 * and the trade handlers); which official inside that party takes it is this table's, shared
 * by the gateway that enforces it and the console that offers the acts.
 */
export type OfficialRole = 'clerk' | 'reviewer' | 'approver' | 'observer';

export const OFFICIAL_ROLES: readonly OfficialRole[] = ['clerk', 'reviewer', 'approver', 'observer'];

/** Entry types a party's officials write (the exchange alone writes clearing.round). */
export type PartyEntryType = Exclude<EntryType, 'clearing.round'>;

export const ACT_ROLES: Readonly<Record<PartyEntryType, readonly OfficialRole[]>> = {
  'treaty.propose': ['approver'],
  'treaty.ratify': ['approver'],
  'treaty.denounce': ['approver'],
  'request.file': ['clerk'],
  'request.acknowledge': ['reviewer'],
  'request.arrest': ['reviewer'],
  'request.ask-info': ['reviewer'],
  'request.supply-info': ['clerk'],
  'request.consent': ['reviewer'],
  'request.extend': ['approver'],
  'request.consult': ['reviewer', 'approver'],
  'request.consult-reply': ['clerk', 'approver'],
  'request.decide': ['approver'],
  'request.assure': ['approver'],
  'request.schedule-surrender': ['reviewer'],
  'request.surrender': ['reviewer'],
  'request.provide': ['reviewer'],
  'request.confirm-receipt': ['clerk', 'reviewer'],
  'request.withdraw': ['approver'],
  // No official takes these: the gateway itself erases a case on time, after destroying its key,
  // and publishes its transport keys (issue 17, docs/erasure.md).
  'request.erase': [],
  'seal.publish': [],
  'request.proposal-closed': ['approver'],
  'prosecution.milestone': ['reviewer'],
  'prosecution.outcome': ['reviewer'],
  'trade.propose': ['approver'],
  'trade.sign': ['approver'],
  'trade.commit': ['approver'],
  'trade.attest': ['approver'],
  'trade.surrender': ['reviewer'],
  'trade.confirm-receipt': ['clerk', 'reviewer'],
  'trade.abort': ['approver'],
  'official.register': ['approver'],
  'official.revoke': ['approver'],
  // Registering an incident is clerical: public facts, binding no one (issue 17).
  'incident.register': ['clerk'],
};

/**
 * Acts that bind the state and so need two of its approvers (DESIGN.md "Decisions need two
 * approvers"; issue 11: "signing and committing a trade needs two approvers of the same
 * state, as decisions do"). Their bodies name both.
 */
export const TWO_PERSON_ACTS: ReadonlySet<EntryType> = new Set(['request.decide', 'trade.sign', 'trade.commit']);

export function isOfficialRole(value: string): value is OfficialRole {
  return (OFFICIAL_ROLES as readonly string[]).includes(value);
}

export function rolesFor(type: EntryType): readonly OfficialRole[] {
  return type === 'clearing.round' ? [] : ACT_ROLES[type];
}
