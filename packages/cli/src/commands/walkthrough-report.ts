import { deadlines, genesis, listTrades, replay, isoTime, listRequests, scenario2021, statistics, type AnyDomainEntry, type State, type Treaty, type UnixSeconds } from '@evenhand/core';
import { renderIncidents } from '../render/incident-report.ts';
import { CliError } from '../cli-error.ts';
import { renderDeadlines, renderRequests, renderStatistics, renderTrades } from '../render/state-report.ts';

/** Folds entries into a state with the core `replay`; a rejected entry stops it with its reason. */
function replayScenario(entries: readonly AnyDomainEntry[]): State {
  const replayed = replay(entries, genesis());
  if (replayed.ok) return replayed.value;
  const { index, code, message } = replayed.error;
  const entry = entries[index]!;
  throw new CliError(`entry ${index} (${entry.type} by ${entry.author}) was rejected: ${code}: ${message}`);
}

/** The walk-through `npm start` prints: the treaty, the replayed scenario, every request, its deadlines and the statistics. */
export function walkthroughReport(treaty: Treaty, now: UnixSeconds): string {
  const entries = scenario2021(treaty, now);
  const state = replayScenario(entries);
  const requests = listRequests(state);
  const open = deadlines(state, now);
  const lines = [
    `Evenhand walk-through: the 2021 scenario under "${treaty.title}" (version ${treaty.version})`,
    `Now is ${isoTime(now)}. Replayed ${entries.length} entries through the treaty rules; the treaty was adopted by ${treaty.parties.map((party) => party.id).join(' and ')}.`,
    '',
    `Requests (${requests.length})`,
    ...renderRequests(state, now),
    '',
    `Incidents (${state.incidents.byId.size}), public, with the requests that name them`,
    ...renderIncidents(state, now),
    '',
    `Trades (${listTrades(state.trades).length})`,
    ...renderTrades(state, now),
    '',
    `Open obligations (${open.length}, ${open.filter((deadline) => deadline.overdue).length} overdue)`,
    ...renderDeadlines(open, now),
    '',
    'Statistics per pair of parties (recomputed from the entries)',
    ...renderStatistics(statistics(state, now)),
    '',
    'Next: `npm run evenhand -- treaty check treaties/us-ru-2021.yaml` checks that the rulebook is symmetric.',
  ];
  return lines.join('\n');
}
