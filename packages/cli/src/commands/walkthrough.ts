import type { Command } from 'commander';
import type { UnixSeconds } from '@evenhand/core';
import { defaultTreatyPath } from '../paths.ts';
import { isoTime as isoTimeOption } from '../option-values.ts';

/*
 * The command's options only: what it runs is loaded when it runs (walkthrough-report.ts), so
 * that reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerWalkthrough(program: Command): void {
  program
    .command('walkthrough')
    .description('replay the 2021 scenario through the treaty rules and print every request, its deadlines and the statistics, in memory without any service')
    .option('--treaty <file>', 'treaty document', defaultTreatyPath())
    .option('--now <time>', 'the present, as ISO 8601 (default: the clock); scenario times are relative to it', isoTimeOption('--now'))
    .action(async (options: { treaty: string; now?: UnixSeconds }) => {
      const { walkthroughReport } = await import('./walkthrough-report.ts');
      const { readTreatyFile } = await import('../read-treaty.ts');
      const now = options.now ?? Math.floor(Date.now() / 1000);
      process.stdout.write(`${walkthroughReport(readTreatyFile(options.treaty), now)}\n`);
    });
}
