import type { StartProgress } from '@evenhand/server';
import { progressReporter } from './progress.ts';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What `serve` writes on stderr while a service loads its log, before it listens: the
 * snapshot it restores and how long that took, then the entries it replays, with a line per
 * tenth of a long replay (progress.ts). A restart at 10^6 entries reads its snapshot for
 * seconds, and a full replay takes minutes (issue 14).
 */
export function startProgress(service: string, write: (line: string) => void = (line) => process.stderr.write(line), clockMs: () => number = () => performance.now()): StartProgress {
  let restoringSince = 0;
  return {
    restoring: (size) => {
      restoringSince = clockMs();
      write(`${service}: restoring its replayed state from the snapshot at ${count(size)} entries\n`);
    },
    restored: (size) => write(`${service}: the snapshot at ${count(size)} entries is restored, in ${((clockMs() - restoringSince) / 1000).toFixed(1)} s\n`),
    replaying: (from, to) => {
      if (to <= from) return;
      write(from === 0 ? `${service}: replaying the whole log, ${count(to)} entries, each checked and applied\n` : `${service}: replaying the ${count(to - from)} entries after the snapshot\n`);
    },
    replayed: progressReporter(service, 'replayed', true, write),
    counted: ({ seconds, longestSliceMs }) => write(`${service}: the statistics and deadlines of the restored state are counted, ${seconds.toFixed(1)} s after the restore, between its other work (at most ${longestSliceMs.toFixed(0)} ms at a time)\n`),
  };
}
