import type { EntryType, IncidentEntryType, OfficialEntryType, TradeEntryType } from './entries.ts';

/**
 * Who may author each request entry: "a party acts only for itself" (issue 2). The
 * requesting party files, supplies information, answers consultations, gives assurances,
 * confirms receipt and withdraws; the requested party does everything that belongs to the
 * executing state (ECE arts. 13, 16, 18; FD 2002/584 arts. 17, 23; Budapest art. 24(6)).
 */
export type Role = 'requesting' | 'requested';

/**
 * `request.erase` is absent: either party erases its own copy of a case (erasure/erase.ts), and
 * `seal.publish` concerns no request.
 */
export const requestRoles: Readonly<Record<Exclude<EntryType, 'treaty.propose' | 'treaty.ratify' | 'treaty.denounce' | 'clearing.round' | 'request.erase' | 'seal.publish' | OfficialEntryType | IncidentEntryType | TradeEntryType>, Role>> = {
  'request.file': 'requesting',
  'request.acknowledge': 'requested',
  'request.arrest': 'requested',
  'request.ask-info': 'requested',
  'request.supply-info': 'requesting',
  'request.consent': 'requested',
  'request.extend': 'requested',
  'request.consult': 'requested',
  'request.consult-reply': 'requesting',
  'request.decide': 'requested',
  'request.assure': 'requesting',
  'request.schedule-surrender': 'requested',
  'request.surrender': 'requested',
  'request.confirm-receipt': 'requesting',
  'request.provide': 'requested',
  'request.withdraw': 'requesting',
  'request.proposal-closed': 'requested',
  'prosecution.milestone': 'requested',
  'prosecution.outcome': 'requested',
};
