/**
 * A record's keyed items moved in an index from what it held before an entry (`was`) to what it
 * holds after (`is`): each item of `was` that `is` does not hold the same under its key is taken
 * out (`edit` with -1), then each item of `is` not kept is put in (+1). Only what changed is
 * edited, since each edit of a persistent bag copies a path of it (issue 14: the index's share of
 * `apply`). Most entries leave most of a record's items as they were (a decision still due after
 * an acknowledgement; a trade's other signatures after one).
 *
 * The requests' obligations (obligation-index.ts `moveObligations`) and the trades'
 * (trade-duty-index.ts `moveTradeDuties`) move this way. `is` is used up: the kept keys are
 * deleted from it, which spares a set per record on this path.
 */
export function moveChangedItems<V, S>(start: S, was: ReadonlyMap<string, V>, is: Map<string, V>, same: (a: V, b: V) => boolean, edit: (into: S, key: string, item: V, sign: 1 | -1) => S): S {
  let next = start;
  for (const [key, item] of was) {
    const kept = is.get(key);
    if (kept === undefined || !same(item, kept)) next = edit(next, key, item, -1);
    else is.delete(key);
  }
  for (const [key, item] of is) next = edit(next, key, item, 1);
  return next;
}
