import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';

/*
 * The commands' options only: what they run is loaded when they run (prove-run.ts), so that
 * reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerProve(program: Command): void {
  program
    .command('prove')
    .description('write one self-contained file that proves a request\'s or trade\'s history: its entries with range proofs, one cosigned checkpoint, the policy, and the treaty\'s entries; sealed fields stay sealed')
    .requiredOption('--log <url|dir>', 'the exchange URL or a directory of tiles')
    .requiredOption('--policy <file>', 'tlog-policy with the log key (the treaty gives the witnesses)')
    .option('--request <id>', 'the request to prove')
    .option('--trade <id>', 'the trade to prove')
    .option('--unanswered <kind>', 'also prove that this overdue obligation of the request went unanswered (acknowledge, decide, surrender, prosecution-report, …)')
    .requiredOption('--out <file>', 'where to write the proof')
    .action(lazily(() => import('./prove-run.ts'), (run) => run.proveAction));

  program
    .command('check-proof')
    .description('check a proof file from `evenhand prove` with no network: signatures, quorum, every entry\'s proof, and the replay; prints the history in plain words. Exit 0 valid, 1 invalid, 2 unreadable')
    .argument('<file>', 'the proof file')
    .option('--policy <file>', 'a tlog-policy you trust: the bundle\'s log key must be in it')
    .action(lazily(() => import('./prove-run.ts'), (run) => run.checkProofAction));
}
