import type { PersistentMap } from './persistent-map.ts';
import type { State } from './state.ts';

/**
 * Where a state's persistent maps are, as member paths of the State (and of its encoded data,
 * snapshot.ts `encodeStateWith`, which the property test in snapshot-delta.test.ts checks
 * against this list). A snapshot writes their pairs in this order (snapshot.ts `statePairs`).
 */
export const STATE_MAP_PATHS = [
  'requests',
  'requestIds',
  'trades.byId',
  'trades.ids',
  'trades.locks',
  'officials.byId',
  'officials.byKey',
  'incidents.byId',
  'incidents.ids',
  'incidents.members',
  'incidents.groups',
  'incidents.groupIds',
  'incidents.links',
] as const;

export type StateMapPath = (typeof STATE_MAP_PATHS)[number];

/** The member at the dotted `path` of `data` (a State, or its encoded data); undefined where a step is not an object. */
export function memberAt(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The state's map at `path`. */
export function mapAt(state: Omit<State, 'figures'>, path: StateMapPath): PersistentMap<unknown> {
  return memberAt(state, path) as PersistentMap<unknown>;
}
