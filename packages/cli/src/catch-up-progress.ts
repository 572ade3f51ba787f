import type { CatchUpProgress } from '@evenhand/server';
import { progressReporter } from './progress.ts';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What `gateway serve` writes on stderr while its mirror catches up with a long log after it
 * listens (server gateway/catch-up.ts): where it starts, a line per tenth (progress.ts), and how
 * it ended. A gateway started on an empty database takes minutes at 10^6 entries (issue 14's
 * growth table), in which its console shows no checkpoint yet.
 */
export function catchUpProgress(service: string, write: (line: string) => void = (line) => process.stderr.write(line), clockMs: () => number = () => performance.now()): CatchUpProgress {
  let beganAt = 0;
  let tenths = progressReporter(service, 'caught up', true, write);
  return {
    began: ({ from, to }) => {
      beganAt = clockMs();
      tenths = progressReporter(service, 'caught up', true, write);
      write(`${service}: catching up with the log from ${count(from)} to ${count(to)} entries, a chunk at a time, each checked, replayed and stored before the next\n`);
    },
    advanced: ({ from, to, held }) => tenths(held - from, to - from),
    ended: ({ to, held }) => {
      const seconds = ((clockMs() - beganAt) / 1000).toFixed(1);
      write(
        held === to
          ? `${service}: caught up with the log at ${count(to)} entries, in ${seconds} s\n`
          : `${service}: the catch-up stopped at ${count(held)} of ${count(to)} entries after ${seconds} s; the alarms at /api/log-health say why\n`,
      );
    },
  };
}
