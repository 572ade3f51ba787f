import { deadlinesPage, groupsPage, PAGE_LIMIT, incidentsPage, parseCursor, requestsPage, statisticsView, tradesPage, type State } from '@evenhand/core';
import { sameView } from '@evenhand/server/same-view';

/**
 * The exchange's public views against this verification's own replay (issue 12, "public
 * views checked at the size they state"): each view is asked at the verified size, must state
 * that size, and must equal what the replay computes at it, every page of the lists included.
 * Returns the first difference in words, or undefined when every view agrees.
 */
export async function compareViews(baseUrl: string, state: State, at: number): Promise<string | undefined> {
  const base = baseUrl.replace(/\/+$/, '');
  const size = state.size;
  const fetchView = async (path: string): Promise<{ size?: unknown; next?: string | null } | undefined> => {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) });
    return response.status === 200 ? ((await response.json()) as { size?: unknown; next?: string | null }) : undefined;
  };
  /** The view served at `path`, or the difference from the replay in words. */
  const check = async (name: string, path: string, own: () => unknown): Promise<{ problem?: string; next?: string | null }> => {
    const served = await fetchView(path);
    if (served === undefined) return { problem: `${name}: the exchange does not serve it at size ${size}` };
    if (served.size !== size) return { problem: `${name}: asked at size ${size}, the exchange answered for size ${String(served.size)}` };
    return sameView(own(), served) ? { next: served.next ?? null } : { problem: `${name} at size ${size} differs from the replay of the verified entries` };
  };
  const { problem } = await check('statistics', `/v1/statistics?size=${size}&at=${at}`, () => statisticsView(state, at));
  if (problem) return problem;
  // Each page of the obligations is read from the replay's own index as the exchange reads its own (issue 14).
  const deadlinesFrom = (from: number) => deadlinesPage(state, at, {}, from, PAGE_LIMIT);
  // The incident ledger (issue 17) is judged at an instant, like the statistics.
  const lists = [
    ['deadlines', `&at=${at}&limit=${PAGE_LIMIT}`, deadlinesFrom],
    ['requests', '', (from: number) => requestsPage(state, from)],
    ['trades', '', (from: number) => tradesPage(state, from)],
    ['incidents', `&at=${at}`, (from: number) => incidentsPage(state, at, from)],
    ['groups', `&at=${at}`, (from: number) => groupsPage(state, at, from)],
  ] as const;
  for (const [name, query, build] of lists) {
    let after = '';
    for (let pages = 0; pages <= size; pages++) {
      const from = parseCursor(after) ?? 0;
      const { problem, next } = await check(`${name} from ${from}`, `/v1/${name}?size=${size}${query}&after=${after}`, () => build(from));
      if (problem) return problem;
      if (!next) break;
      after = next;
    }
  }
  return undefined;
}
