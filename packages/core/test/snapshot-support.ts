import assert from 'node:assert/strict';
import { apply, deadlinesView, denunciationViews, encodeState, groupsPage, incidentsPage, requestsPage, statisticsView, tradesPage, type AnyDomainEntry, type State } from '../src/index.ts';

/** What the public and the parties read of a state, as JSON (the form it leaves a server in). */
export function views(state: State, at: number): unknown {
  return JSON.parse(
    JSON.stringify({
      requests: requestsPage(state, 0, 200),
      trades: tradesPage(state, 0, 200),
      statistics: statisticsView(state, at),
      deadlines: deadlinesView(state, at),
      incidents: incidentsPage(state, at, 0),
      groups: groupsPage(state, at, 0),
      denunciations: denunciationViews(state, at),
      size: state.size,
    }),
  );
}

/** The same outcome of `entry` on both states: the same refusal code, or states with the same views and data. */
export function assertSameNext(original: State, decoded: State, entry: AnyDomainEntry, at: number): void {
  const left = apply(original, entry);
  const right = apply(decoded, entry);
  assert.equal(right.ok, left.ok, `${entry.type} by ${entry.author}: ${left.ok ? 'applies' : 'is refused'} on the replayed state but not on the decoded one`);
  if (!left.ok || !right.ok) {
    assert.equal(right.ok ? '' : right.error.code, left.ok ? '' : left.error.code);
    return;
  }
  assert.deepEqual(views(right.value, at), views(left.value, at));
  assert.deepEqual(JSON.parse(JSON.stringify(encodeState(right.value))), JSON.parse(JSON.stringify(encodeState(left.value))));
}

