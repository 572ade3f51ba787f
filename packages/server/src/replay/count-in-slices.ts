import { SnapshotValueRefused, type FigureCount } from '@evenhand/core';

/** How long one slice of the count may hold the event loop before the service's other work runs (ms). */
export const COUNT_SLICE_MS = 20;

/** What a count in slices took: from its start to its end, and its longest slice, a hold of the event loop (ms). */
export interface CountedInSlices {
  readonly seconds: number;
  readonly longestSliceMs: number;
}

/**
 * Runs the count of a restored state's figure index (core figure-count.ts, claimed by
 * `FigureCell.driveCount`) a slice at a time, each of about COUNT_SLICE_MS, between the
 * service's other work: the restart serves while its index is counted (issue 14, "restart ≤
 * 2 s at 10^6": the count took 2.2 s of it). The slices go on with the moves of the index to
 * the chains' ends applied meanwhile. A reading that comes first counts the rest at once.
 * Returns a stop: a start that gives up on the restored state (its snapshot refused after
 * all), or a service that closes, stops counting it, and `done` is then never told.
 *
 * The slices keep the process alive until stopped: a service that closes stops them
 * (SnapshotKeeper `stop`). They could not be unreferenced: with only unreferenced immediates
 * pending, the event loop waits for its next timer between slices (up to 943 ms a wait, at
 * 10^6 entries), and the count took 5 to 8 s instead of 2.
 */
export function countInSlices(count: FigureCount, done: (counted: CountedInSlices) => void = () => undefined, clockMs: () => number = () => performance.now()): () => void {
  const started = clockMs();
  let longestSliceMs = 0;
  let stopped = false;
  const slice = () => {
    if (stopped) return;
    const from = clockMs();
    let over = count.done;
    try {
      while (!over && clockMs() - from < COUNT_SLICE_MS) over = count.step();
    } catch (error) {
      // A record kept unread that did not read ends the count; the snapshot's keeper was told (SnapshotKeeper `recordRefused`).
      if (error instanceof SnapshotValueRefused) return;
      throw error;
    }
    longestSliceMs = Math.max(longestSliceMs, clockMs() - from);
    if (over) done({ seconds: (clockMs() - started) / 1000, longestSliceMs });
    else setImmediate(slice);
  };
  setImmediate(slice);
  return () => {
    stopped = true;
  };
}
