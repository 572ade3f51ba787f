import { buildFigureIndex } from '../statistics/figure-index.ts';
import { err, ok, type Result } from '../result.ts';
import { issuesFromZod } from '../treaty/load.ts';
import { mapEntries, mapEntryIterator, mapFromEntries, type PersistentMap } from './persistent-map.ts';
import { stateSnapshotSchema, type StateSnapshotData } from './snapshot-schema.ts';
import type { State } from './state.ts';

export type { StateSnapshotData } from './snapshot-schema.ts';

/**
 * A State as plain JSON data, and back (issue 14, "Snapshots": a restart replays only the
 * log's tail after the latest snapshot). The data holds what `apply` produced, never code and
 * never the tries of persistent-map.ts: each map is stored as its [key, value] pairs and
 * rebuilt by inserting them, so a snapshot cannot smuggle in a trie that answers lookups
 * differently from its own contents. `decodeState` refuses anything that is not exactly the
 * shape `encodeState` writes, with a stable code; the caller then replays the log instead.
 */
export interface SnapshotError {
  readonly code: 'SNAPSHOT_SHAPE' | 'SNAPSHOT_DUPLICATE_KEY' | 'SNAPSHOT_INCONSISTENT';
  readonly message: string;
}

export function encodeState(state: State): StateSnapshotData {
  return encodeStateWith(state, (select) => mapEntries(select(state))) as StateSnapshotData;
}

/**
 * `encodeState` with each map's pairs as an iterable to walk rather than an array: the data
 * a streaming writer (server json-slices.ts) writes as the same JSON, without holding the
 * event loop to copy every pair first (issue 14). Only for writing: `decodeState` takes arrays.
 */
export function encodeStateForStreaming(state: State): Record<string, unknown> {
  return encodeStateWith(state, (select) => ({ [Symbol.iterator]: () => mapEntryIterator(select(state)) }));
}

/** Picks one of a state's persistent maps (the members that grow with the requests). */
export type MapSelector = (state: State) => PersistentMap<unknown>;

/**
 * The state's data with each persistent map written by `encodeMap`: its pairs in a snapshot
 * (`encodeState`), what changed since an earlier state in a delta (snapshot-delta.ts). One
 * listing of the members, so that the two encodings cannot drift apart.
 */
export function encodeStateWith(state: State, encodeMap: (select: MapSelector) => unknown): Record<string, unknown> {
  const { trades, officials, incidents } = state;
  const map = (select: (state: State) => PersistentMap<any>) => encodeMap(select);
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
      open: [...trades.open],
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

class Refused extends Error {
  constructor(readonly error: SnapshotError) {
    super(error.message);
  }
}

/** The map of `pairs`; two pairs with one key mean the data was not written by `encodeState`. */
function rebuilt<V>(pairs: readonly (readonly [string, V])[], path: string): PersistentMap<V> {
  const map = mapFromEntries(pairs);
  if (map.size !== pairs.length) throw new Refused({ code: 'SNAPSHOT_DUPLICATE_KEY', message: `${path}: a key is given twice` });
  return map;
}

/** A record stored under another key than its own id would make `getRequest(id)` lie. */
function keyedById<T extends { readonly id: string }>(pairs: readonly (readonly [string, T])[], path: string, keyOf: (value: T) => string = (value) => value.id): void {
  for (const [key, value] of pairs) {
    if (key !== keyOf(value)) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `${path}: the record under ${JSON.stringify(key)} is ${JSON.stringify(keyOf(value))}` });
  }
}

/** An order index (requestIds, trade ids, …) must name exactly the positions 0 … n-1 of the records it orders. */
function orderIndex(pairs: readonly (readonly [string, string])[], records: number, path: string): void {
  if (pairs.length !== records) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `${path}: ${pairs.length} positions for ${records} records` });
  for (const [key] of pairs) {
    const position = Number(key);
    if (!Number.isSafeInteger(position) || position < 0 || position >= records || String(position) !== key) {
      throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `${path}: ${JSON.stringify(key)} is not a position below ${records}` });
    }
  }
}

export function decodeState(data: unknown): Result<State, SnapshotError> {
  const parsed = stateSnapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    return err({ code: 'SNAPSHOT_SHAPE', message: issues.slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`).join('; ') });
  }
  const d = parsed.data;
  try {
    keyedById(d.requests, 'requests');
    orderIndex(d.requestIds, d.requests.length, 'requestIds');
    keyedById(d.trades.byId, 'trades.byId');
    orderIndex(d.trades.ids, d.trades.byId.length, 'trades.ids');
    keyedById(d.incidents.byId, 'incidents.byId');
    orderIndex(d.incidents.ids, d.incidents.byId.length, 'incidents.ids');
    keyedById(d.officials.byId, 'officials.byId', (value) => `${value.party}/${value.id}`);
    const fields: Omit<State, 'figures'> = {
      treaty: d.treaty,
      proposals: d.proposals,
      requests: rebuilt(d.requests, 'requests') as State['requests'],
      requestIds: rebuilt(d.requestIds, 'requestIds'),
      invocations: d.invocations,
      size: d.size,
      trades: {
        byId: rebuilt(d.trades.byId, 'trades.byId') as State['trades']['byId'],
        ids: rebuilt(d.trades.ids, 'trades.ids'),
        locks: rebuilt(d.trades.locks, 'trades.locks'),
        blocCredits: d.trades.blocCredits,
        partyCredits: d.trades.partyCredits,
        open: d.trades.open,
      },
      officials: { byId: rebuilt(d.officials.byId, 'officials.byId'), byKey: rebuilt(d.officials.byKey, 'officials.byKey'), counts: d.officials.counts },
      incidents: {
        byId: rebuilt(d.incidents.byId, 'incidents.byId'),
        ids: rebuilt(d.incidents.ids, 'incidents.ids'),
        members: rebuilt(d.incidents.members, 'incidents.members'),
        groups: rebuilt(d.incidents.groups, 'incidents.groups'),
        groupIds: rebuilt(d.incidents.groupIds, 'incidents.groupIds'),
        links: rebuilt(d.incidents.links, 'incidents.links'),
      },
      // Optional members are left out, not set to undefined: a decoded state has the keys a replayed one has.
      ...(d.adoptedAt === undefined ? {} : { adoptedAt: d.adoptedAt }),
      ...(d.clearingCredits === undefined ? {} : { clearingCredits: d.clearingCredits }),
      ...(d.lastClearingRoundAt === undefined ? {} : { lastClearingRoundAt: d.lastClearingRoundAt }),
      ...(d.denunciations === undefined ? {} : { denunciations: d.denunciations }),
      ...(d.transportKeys === undefined ? {} : { transportKeys: d.transportKeys }),
    };
    // The views' index is derived data: counted again from the records, never taken from the snapshot.
    return ok({ ...fields, figures: buildFigureIndex(fields) });
  } catch (error) {
    if (error instanceof Refused) return err(error.error);
    throw error;
  }
}
