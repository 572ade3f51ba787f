import { err, type Result } from '../result.ts';
import { requestRecordShape } from './snapshot-check.ts';
import { mapEntries, mapHeldEntryIterator, type PersistentMap } from './persistent-map.ts';
import type { StateSnapshotData } from './snapshot-schema.ts';
import { mapAt, memberAt, STATE_MAP_PATHS } from './state-map-paths.ts';
import { StateReader, type SnapshotError } from './state-reader.ts';
import type { State } from './state.ts';
import type { UnfiguredState } from '../statistics/figure-cell.ts';

export type { StateSnapshotData } from './snapshot-schema.ts';
export { STATE_MAP_PATHS, type StateMapPath } from './state-map-paths.ts';
export { StateReader, type SnapshotError, type UnreadRecords } from './state-reader.ts';
export { bytesAt, SnapshotValueRefused, type LazyBytes } from './unread-value.ts';

/**
 * A State as plain JSON data, and back (issue 14, "Snapshots": a restart replays only the
 * log's tail after the latest snapshot). The data holds what `apply` produced, never code and
 * never the tries of persistent-map.ts: each map is stored as its [key, value] pairs and
 * rebuilt from them, so a snapshot cannot smuggle in a trie that answers lookups differently
 * from its own contents. A stored snapshot is written as a header and its pairs, one to a line
 * (`encodeStateHeader`, `statePairs`), and read back by a StateReader (state-reader.ts), which
 * refuses anything that is not exactly the shape written, with a stable code; the caller then
 * replays the log instead. `encodeState` and `decodeState` are the same data as one JSON
 * value, read through a StateReader too (the tests round-trip states through them).
 */
export function encodeState(state: State): StateSnapshotData {
  return encodeStateWith(state, (select) => mapEntries(select(state))) as StateSnapshotData;
}

/** Picks one of a state's persistent maps (the members that grow with the requests). */
export type MapSelector = (state: UnfiguredState) => PersistentMap<unknown>;

/**
 * The state's data with each persistent map written by `encodeMap`: its pairs in a snapshot
 * (`encodeState`), what changed since an earlier state in a delta (snapshot-delta.ts). One
 * listing of the members, so that the two encodings cannot drift apart.
 */
export function encodeStateWith(state: UnfiguredState, encodeMap: (select: MapSelector) => unknown): Record<string, unknown> {
  const { trades, officials } = state;
  const map = (select: (state: UnfiguredState) => PersistentMap<any>) => encodeMap(select);
  return {
    v: 1,
    size: state.size,
    treaty: state.treaty,
    proposals: state.proposals,
    requests: map((s) => s.requests),
    requestIds: map((s) => s.requestIds),
    invocations: [...state.invocations],
    adoptedAt: state.adoptedAt,
    trades: {
      byId: map((s) => s.trades.byId),
      ids: map((s) => s.trades.ids),
      locks: map((s) => s.trades.locks),
      blocCredits: trades.blocCredits,
      partyCredits: trades.partyCredits,
    },
    officials: { byId: map((s) => s.officials.byId), byKey: map((s) => s.officials.byKey), counts: officials.counts },
    incidents: {
      byId: map((s) => s.incidents.byId),
      ids: map((s) => s.incidents.ids),
      members: map((s) => s.incidents.members),
      groups: map((s) => s.incidents.groups),
      groupIds: map((s) => s.incidents.groupIds),
      links: map((s) => s.incidents.links),
    },
    clearingCredits: state.clearingCredits,
    lastClearingRoundAt: state.lastClearingRoundAt,
    denunciations: state.denunciations,
    transportKeys: state.transportKeys,
  };
}

/** A state's members with each map as its number of pairs: the first line of a state written in lines (state-reader.ts). */
export function encodeStateHeader(state: State): Record<string, unknown> {
  return { ...encodeStateWith(state, (select) => select(state).size), recordShape: requestRecordShape() };
}

/**
 * Every [key, value] pair of the state's maps, map after map in STATE_MAP_PATHS order: the
 * lines after the header. A shelved value is given as its Shelved, whose JSON text the writer
 * copies (persistent-map.ts `mapHeldEntryIterator`).
 */
export function* statePairs(state: State): Generator<readonly [string, unknown]> {
  for (const path of STATE_MAP_PATHS) yield* mapHeldEntryIterator(mapAt(state, path));
}

/** Reads the whole JSON form (`encodeState`) through a StateReader: the same checks as a state read in lines. The state keeps values of `data`, so the caller must not change it after. */
export function decodeState(data: unknown): Result<State, SnapshotError> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return err({ code: 'SNAPSHOT_SHAPE', message: 'state: expected an object' });
  const lists: unknown[][] = [];
  let header = data as Record<string, unknown>;
  for (const path of STATE_MAP_PATHS) {
    const list = memberAt(header, path);
    if (!Array.isArray(list)) return err({ code: 'SNAPSHOT_SHAPE', message: `state.${path}: expected [key, value] pairs` });
    lists.push(list);
    header = withMember(header, path.split('.'), list.length);
  }
  const reader = StateReader.start(header);
  if (!reader.ok) return reader;
  for (const list of lists) {
    for (const pair of list) {
      const read = reader.value.pair(pair);
      if (!read.ok) return read;
    }
  }
  return reader.value.finish();
}

/** A copy of `data` with `value` at the member path `keys`, the objects along it copied. */
function withMember(data: Record<string, unknown>, keys: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = keys as [string, ...string[]];
  return { ...data, [head]: rest.length === 0 ? value : withMember(data[head] as Record<string, unknown>, rest, value) };
}
