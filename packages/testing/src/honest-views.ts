import { DEADLINE_PAGE_DEFAULT, deadlinesPage, groupsPage, incidentsPage, parseCursor, requestsPage, statisticsView, tradesPage, type State } from '@evenhand/core';

/**
 * What an honest exchange answers for the public view `view` (`/v1/<view>?…`) of `state`,
 * the log replayed at the size asked (core public-views.ts): the stand-in exchanges of the
 * tests serve these, and tamper with them where an attack needs it. Undefined for a view an
 * exchange does not have.
 */
export function honestView(state: State, view: string, query: Record<string, string>): unknown {
  const at = Number(query.at ?? 0);
  const from = parseCursor(query.after ?? '') ?? 0;
  const limit = Number(query.limit ?? 200);
  if (view === 'statistics') return statisticsView(state, at);
  if (view === 'deadlines') {
    const filter = { owedBy: query.owedBy, party: query.party, overdue: query.overdue === 'true' ? true : undefined, kind: query.kind, request: query.request, trade: query.trade };
    return deadlinesPage(state, at, filter, from, Number(query.limit ?? DEADLINE_PAGE_DEFAULT));
  }
  if (view === 'requests') return requestsPage(state, from, limit);
  if (view === 'trades') return tradesPage(state, from, limit);
  if (view === 'incidents') return incidentsPage(state, at, from, limit);
  if (view === 'groups') return groupsPage(state, at, from, limit);
  return undefined;
}
