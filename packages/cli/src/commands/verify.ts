import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';
import { wholeNumber } from '../option-values.ts';

/*
 * The command's options only: what it runs is loaded when it runs (verify-run.ts), so that
 * reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'audit a log without trusting the exchange: checkpoint and witness quorum (your own witness required), consistency with the last run, every entry\'s signature and author chain, replay through the treaty rules, recomputed statistics. Exits 0 when verified, 1 on any failure (with the reason), 2 on unreadable input.',
    )
    .requiredOption('--log <dir|url>', 'the log as C2SP tlog-tiles: an exchange URL (e.g. http://127.0.0.1:8700) or a directory holding checkpoint and tile/...')
    .requiredOption('--policy <file>', 'witness policy in C2SP tlog-policy format (log key, witnesses named by party id, groups, quorum)')
    .requiredOption('--as <party>', 'the verifying party (e.g. US): its own witness must have cosigned')
    .option('--state <file>', 'where the last accepted checkpoint is kept between runs (default .evenhand/verify/<party>.json)')
    .option('--evidence <dir>', 'where two contradicting signed checkpoints are kept (default .evenhand/evidence)')
    .option('--mirror <dir>', 'where the verified tiles are mirrored (default .evenhand/mirror/<origin>)')
    .option('--key <vkey>', "one of your party's entry keys (repeatable: give every key it has held); each entry authored as your party must be signed by one of them", (value: string, previous: string[] = []) => [...previous, value])
    .option('--key-history <file>', "a file of your party's entry keys, one vkey per line, as a gateway keeps it (<entryKeyFile>.history)")
    .option('--now <unix-seconds>', 'your clock: the instant the statistics are computed at, and cosignature times are judged against (default: now)', wholeNumber('--now', 0, Number.MAX_SAFE_INTEGER, ' of Unix seconds'))
    .option('--max-age <seconds>', 'on a first verification (no state file yet), refuse a checkpoint whose quorum cosigned it longer ago than this', wholeNumber('--max-age', 1, Number.MAX_SAFE_INTEGER, ' of seconds'), 86_400)
    .option('--receipts <dir>', "a directory of the exchange's signed receipts (one per file): each entry must be at its receipted index, and be covered once its include-by time has passed")
    .option('--ca <file>', 'a PEM file of the CA (or the certificate itself) that the exchange\'s and the witnesses\' HTTPS certificates chain to, besides Node\'s bundled roots and NODE_EXTRA_CA_CERTS')
    .option('--no-peers', "do not compare the log with the other witnesses' latest cosigned checkpoints (their URLs are in the policy)")
    .option('--no-progress', 'do not report progress on stderr')
    .option('--full-replay', 'check and replay every entry, not only those after the checkpoint accepted last time (whose replay is kept beside the state file, as <state>.replay)')
    .action(lazily(() => import('./verify-run.ts'), (run) => run.verifyAction));
}
