import type { CountedInSlices } from '../src/replay/count-in-slices.ts';
import type { StartProgress } from '../src/replay/snapshot-options.ts';

/**
 * What a start told its watcher (SnapshotOptions `progress`): its steps in order, each count of
 * entries replayed, and, once a restored state's figure index is counted while the service
 * goes on (`counted`, which comes in whenever the count's slices end), that count's figures.
 */
export function watchStart(): { readonly progress: StartProgress; readonly steps: string[]; readonly replayed: [number, number][]; readonly counted: Promise<CountedInSlices> } {
  const steps: string[] = [];
  const replayed: [number, number][] = [];
  let countedNow: (counted: CountedInSlices) => void = () => undefined;
  const counted = new Promise<CountedInSlices>((resolve) => (countedNow = resolve));
  return {
    steps,
    replayed,
    counted,
    progress: {
      counted: (figures) => countedNow(figures),
      restoring: (size) => steps.push(`restoring ${size}`),
      restored: (size) => steps.push(`restored ${size}`),
      replaying: (from, to) => steps.push(`replaying ${from} to ${to}`),
      replayed: (done, total) => replayed.push([done, total]),
    },
  };
}

/** The counts a replay of `total` entries tells, one entry at a time. */
export const countsUpTo = (total: number): [number, number][] => Array.from({ length: total }, (_, i) => [i + 1, total]);
