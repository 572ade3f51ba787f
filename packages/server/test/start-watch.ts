import type { StartProgress } from '../src/replay/snapshot-options.ts';

/** What a start told its watcher (SnapshotOptions `progress`): its steps in order, and each count of entries replayed. */
export function watchStart(): { readonly progress: StartProgress; readonly steps: string[]; readonly replayed: [number, number][] } {
  const steps: string[] = [];
  const replayed: [number, number][] = [];
  return {
    steps,
    replayed,
    progress: {
      restoring: (size) => steps.push(`restoring ${size}`),
      restored: (size) => steps.push(`restored ${size}`),
      replaying: (from, to) => steps.push(`replaying ${from} to ${to}`),
      replayed: (done, total) => replayed.push([done, total]),
    },
  };
}

/** The counts a replay of `total` entries tells, one entry at a time. */
export const countsUpTo = (total: number): [number, number][] => Array.from({ length: total }, (_, i) => [i + 1, total]);
