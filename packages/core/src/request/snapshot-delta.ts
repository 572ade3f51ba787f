import { mapChanges } from './persistent-map.ts';
import { encodeStateWith } from './snapshot.ts';
import type { UnfiguredState } from '../statistics/figure-cell.ts';

/**
 * A state as a delta from an earlier one (issue 14, "No cost that grows with history": a
 * snapshot of the whole state every 10,000 entries re-encodes every request ever filed, 17 s
 * at 10^6 entries). A delta holds, for each persistent map, the pairs set and the keys removed
 * since the earlier state, found by `mapChanges` at the cost of the changed paths; every other
 * member is whole, as `encodeState` writes it (they grow with the treaty, the trades and the
 * officials, not with the requests). A StateReader (state-reader.ts) reads a chain of deltas
 * after the whole snapshot they follow, checking each.
 */

/** The data of `after` as changes from `before` (an earlier state of the same log), with the size it applies to. */
export function encodeStateDelta(before: UnfiguredState, after: UnfiguredState): Record<string, unknown> {
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
