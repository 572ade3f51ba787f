import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';
import { numberIn } from '../option-values.ts';

/*
 * The command's options only: what it runs is loaded when it runs (clear-run.ts), so that
 * reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerClear(program: Command): void {
  program
    .command('clear')
    .description('propose trades from a pool of reciprocity-conditional grants, with the bound and certified gap (exits 2 on bad input); or, with --audit, re-check a clearing round of a log: exit 0 valid, 1 invalid (with the reason), 2 unreadable input or no such round')
    .option('--input <file>', 'instance JSON: {"maxLength": 3, "requests": [{"id", "from", "to", "weight"}]}; "-" reads stdin')
    .option('--time-limit <seconds>', 'solver time budget (with --audit: for the re-solve)', numberIn('--time-limit', 0.01, 3600), 10)
    .option('--epsilon <ratio>', 'stop once within this relative gap of the bound', numberIn('--epsilon', 0, 0.5), 0.005)
    .option('--details', 'also print parties, received/given weight, fair shares, credits and solver figures', false)
    .option('--audit', 'audit a clearing round of the log instead: rebuild its pool from the log at the round\'s poolAt, check the digest, the proposed trades\' feasibility, the objective and the bound (docs/clearing-audit.md)', false)
    .option('--log <url|dir>', 'with --audit: the exchange URL or a directory of tiles')
    .option('--round <n>', 'with --audit: which round: a number n counts the log\'s clearing.round entries from 1 (1 = the first round), "last" is the latest, anything else is a round id such as round-42')
    .option('--policy <file>', 'with --audit: tlog-policy with the log key; the checkpoint\'s and every entry\'s signatures are then checked')
    .option('--json', 'with --audit: print the report as JSON', false)
    .action(lazily(() => import('./clear-run.ts'), (run) => run.clearAction));
}
