import { ACT_ROLES, type OfficialRole, type PartyEntryType } from '@evenhand/core';

/**
 * The officials' actions on a request, by the name in their route
 * (`/api/requests/:id/actions/:action`). Who inside the state takes each is the core's table
 * (ACT_ROLES), shared with the console and the legal-acts list; whether this state may take
 * it at all (requesting or requested side) is `apply`'s. Decisions are not here: they go
 * through the two-person proposal and confirmation (proposals.ts).
 */
export interface ActionRule {
  readonly type: PartyEntryType;
  readonly roles: readonly OfficialRole[];
}

const TYPES: Readonly<Record<string, PartyEntryType>> = {
  acknowledge: 'request.acknowledge',
  arrest: 'request.arrest',
  'ask-info': 'request.ask-info',
  'supply-info': 'request.supply-info',
  consent: 'request.consent',
  extend: 'request.extend',
  consult: 'request.consult',
  'consult-reply': 'request.consult-reply',
  assure: 'request.assure',
  'schedule-surrender': 'request.schedule-surrender',
  surrender: 'request.surrender',
  'confirm-receipt': 'request.confirm-receipt',
  provide: 'request.provide',
  withdraw: 'request.withdraw',
  'prosecution-milestone': 'prosecution.milestone',
  'prosecution-outcome': 'prosecution.outcome',
};

export const ACTIONS: Readonly<Record<string, ActionRule>> = Object.fromEntries(Object.entries(TYPES).map(([action, type]) => [action, { type, roles: ACT_ROLES[type] }]));

/** The route name of an entry type's action (the inverse of the table above), for the console. */
export const ACTION_OF: ReadonlyMap<string, string> = new Map(Object.entries(TYPES).map(([action, type]) => [type, action]));
