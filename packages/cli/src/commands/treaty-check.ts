import type { Command } from 'commander';
import { wholeNumber } from '../option-values.ts';

/*
 * The command's options only: what it runs is loaded when it runs (treaty-check-report.ts), so
 * that reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerTreatyCheck(program: Command): void {
  const treaty = program.command('treaty').description('work with treaty documents');
  treaty
    .command('check')
    .description('check that a treaty is symmetric: a lint, a property test on generated requests, and a reciprocity report. Exits 1 on a violation, 2 on an unreadable document.')
    .argument('<file>', 'treaty document, YAML or JSON (e.g. treaties/us-ru-2021.yaml)')
    .option('--runs <n>', 'generated requests per pair of parties', wholeNumber('--runs', 1), 500)
    .option('--seed <n>', 'seed of the generator, to reproduce a run', wholeNumber('--seed', 1), 2021)
    .action(async (file: string, options: { runs: number; seed: number }) => {
      const { treatyCheckReport } = await import('./treaty-check-report.ts');
      const { readTreatyFile } = await import('../read-treaty.ts');
      const result = treatyCheckReport(readTreatyFile(file), file, options);
      process.stdout.write(`${result.text}\n`);
      if (!result.symmetric) process.exitCode = 1;
    });
}
