import type { EntryType } from '@evenhand/core';
import type { Role } from '../auth/roles.ts';

/**
 * The officials' actions on a request and who may take them (DESIGN.md "Who uses it": a
 * clerk drafts and files, a reviewer examines incoming requests, approvers decide, an
 * observer only reads). Whether this state may take the action at all (requesting or
 * requested side) is the core's `requestRoles`; this table is the role inside the state.
 * A decision is not here: it goes through the two-person proposal and confirmation.
 */
export interface ActionRule {
  readonly type: EntryType;
  readonly roles: readonly Role[];
}

export const ACTIONS: Readonly<Record<string, ActionRule>> = {
  acknowledge: { type: 'request.acknowledge', roles: ['reviewer'] },
  arrest: { type: 'request.arrest', roles: ['reviewer'] },
  'ask-info': { type: 'request.ask-info', roles: ['reviewer'] },
  'supply-info': { type: 'request.supply-info', roles: ['clerk'] },
  consent: { type: 'request.consent', roles: ['reviewer'] },
  extend: { type: 'request.extend', roles: ['approver'] },
  consult: { type: 'request.consult', roles: ['reviewer', 'approver'] },
  'consult-reply': { type: 'request.consult-reply', roles: ['clerk', 'approver'] },
  assure: { type: 'request.assure', roles: ['approver'] },
  'schedule-surrender': { type: 'request.schedule-surrender', roles: ['reviewer'] },
  surrender: { type: 'request.surrender', roles: ['reviewer'] },
  'confirm-receipt': { type: 'request.confirm-receipt', roles: ['clerk', 'reviewer'] },
  withdraw: { type: 'request.withdraw', roles: ['approver'] },
  'prosecution-milestone': { type: 'prosecution.milestone', roles: ['reviewer'] },
  'prosecution-outcome': { type: 'prosecution.outcome', roles: ['reviewer'] },
};
