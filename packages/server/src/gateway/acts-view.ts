import { legalActs, type ActTarget, type EntryType, type LegalAct, type OfficialRole } from '@evenhand/core';
import { ACTION_OF } from './actions.ts';
import type { GatewayContext } from './context.ts';

/** Where the console posts each act (the routes of routes-requests.ts, routes-proposals.ts, routes-trades.ts). */
function pathOf(type: EntryType, target: ActTarget): string | undefined {
  const id = encodeURIComponent(target.id);
  if (target.kind === 'request') {
    if (type === 'request.decide') return `/api/requests/${id}/decision-proposals`;
    const action = ACTION_OF.get(type);
    return action && `/api/requests/${id}/actions/${action}`;
  }
  const action = type.slice('trade.'.length);
  return `/api/trades/${id}/${action}`;
}

/**
 * The acts this official may take on a case now, from the core (legalActs), each with the
 * route that takes it; and the ones it may not, with the reason. The API returns them with
 * every request and trade, and the console offers these and nothing else (issue 11).
 */
export function actsFor(context: GatewayContext, role: OfficialRole, target: ActTarget) {
  const list = legalActs(context.mirror.state, { party: context.party, role }, context.now(), target);
  return {
    available: list.available.flatMap((act: LegalAct) => {
      const path = pathOf(act.type, target);
      return path ? [{ ...act, path }] : [];
    }),
    unavailable: list.unavailable,
  };
}
