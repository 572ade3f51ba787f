import { err, ok, type Result } from '../result.ts';
import { mapChanges } from './persistent-map.ts';
import { encodeStateWith, type SnapshotError } from './snapshot.ts';
import type { State } from './state.ts';

/**
 * A state as a delta from an earlier one (issue 14, "No cost that grows with history": a
 * snapshot of the whole state every 10,000 entries re-encodes every request ever filed, 17 s
 * at 10^6 entries). A delta holds, for each persistent map, the pairs set and the keys removed
 * since the earlier state, found by `mapChanges` at the cost of the changed paths; every other
 * member is whole, as `encodeState` writes it (they grow with the treaty, the trades and the
 * officials, not with the requests). `mergeStateDeltas` folds a chain of deltas into the
 * data `encodeState` would give, which `decodeState` then checks as any snapshot.
 */

/** Where the persistent maps are in the encoded state (`encodeStateWith` lists them); the property test checks the two agree. */
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

/** The data of `after` as changes from `before` (an earlier state of the same log), with the size it applies to. */
export function encodeStateDelta(before: State, after: State): Record<string, unknown> {
  const data = encodeStateWith(after, (select) => {
    const set: [string, unknown][] = [];
    const drop: string[] = [];
    for (const change of mapChanges(select(before), select(after))) {
      if (change.after === undefined) drop.push(change.key);
      else set.push([change.key, change.after]);
    }
    return { set, drop };
  });
  return { ...data, base: before.size };
}

class Refused extends Error {
  constructor(readonly error: SnapshotError) {
    super(error.message);
  }
}

const shape = (message: string): never => {
  throw new Refused({ code: 'SNAPSHOT_SHAPE', message });
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function at(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  return value;
}

/** A copy of `data` with `value` at `path`, the objects along the path copied and the rest shared. */
function withAt(data: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...data, [head]: value };
  const inner = data[head];
  if (!isObject(inner)) return shape(`${head}: expected an object`);
  return { ...data, [head]: withAt(inner, rest.join('.'), value) };
}

function pairsInto(target: Map<string, unknown>, value: unknown, path: string): void {
  if (!Array.isArray(value)) return shape(`${path}: expected [key, value] pairs`);
  for (const [i, pair] of value.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return shape(`${path}[${i}]: expected a [key, value] pair`);
    target.set(pair[0], pair[1]);
  }
}

/**
 * The full state data that `base` (as `encodeState` wrote it) followed by `deltas` (each as
 * `encodeStateDelta` wrote it, on the size the one before it reached) describes. Refuses a
 * delta of another base size, and anything not of the delta's shape, with a stable code; the
 * result is unchecked beyond that and must go through `decodeState`.
 */
export function mergeStateDeltas(base: unknown, deltas: readonly unknown[]): Result<Record<string, unknown>, SnapshotError> {
  try {
    if (!isObject(base)) return shape('state: expected an object');
    if (deltas.length === 0) return ok(base);
    const maps = new Map<string, Map<string, unknown>>();
    for (const path of STATE_MAP_PATHS) {
      const pairs = at(base, path);
      const merged = new Map<string, unknown>();
      pairsInto(merged, pairs, `state.${path}`);
      if (merged.size !== (pairs as unknown[]).length) throw new Refused({ code: 'SNAPSHOT_DUPLICATE_KEY', message: `state.${path}: a key is given twice` });
      maps.set(path, merged);
    }
    let size = base.size;
    let last: Record<string, unknown> = base;
    for (const [i, delta] of deltas.entries()) {
      if (!isObject(delta)) return shape(`deltas[${i}]: expected an object`);
      if (delta.base !== size) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `deltas[${i}].base: it applies to a state of ${String(delta.base)} entries, the chain is at ${String(size)}` });
      for (const path of STATE_MAP_PATHS) {
        const change = at(delta, path);
        if (!isObject(change) || Object.keys(change).length !== 2 || !Array.isArray(change.drop) || !Array.isArray(change.set)) return shape(`deltas[${i}].${path}: expected { set, drop }`);
        const merged = maps.get(path)!;
        for (const key of change.drop) {
          if (typeof key !== 'string') return shape(`deltas[${i}].${path}.drop: expected keys`);
          merged.delete(key);
        }
        pairsInto(merged, change.set, `deltas[${i}].${path}.set`);
      }
      size = delta.size;
      last = delta;
    }
    const { base: _base, ...members } = last;
    let merged: Record<string, unknown> = members;
    for (const path of STATE_MAP_PATHS) merged = withAt(merged, path, [...maps.get(path)!]);
    return ok(merged);
  } catch (error) {
    if (error instanceof Refused) return err(error.error);
    throw error;
  }
}
