import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';

/*
 * The commands' options only: what they run is loaded when they run (serve-run.ts), so that
 * reading the command line, and --help, loads no more than commander (issue 16).
 */

export function registerServe(program: Command): void {
  // Issue 14, "Snapshots": why an operator would ask for it, in the help itself.
  const fullReplay = [
    '--full-replay',
    'ignore the stored snapshots of the replayed state, verify and replay the whole log from its first entry, then write a fresh snapshot. ' +
      'A start normally resumes from the latest snapshot (checked against the log\'s root) and replays only the entries after it; ' +
      'use this to audit that snapshot against the log itself, after restoring a database from backup, after an upgrade that changes how entries apply, ' +
      'or when a snapshot is suspected to be wrong. It takes as long as the log is long.',
  ] as const;
  const help = 'JSON config; relative paths are relative to it. EVENHAND_STORE (SQLite path or postgres:// URL), EVENHAND_HOST and EVENHAND_PORT override it.';

  program
    .command('exchange')
    .description('the exchange service')
    .command('serve')
    .description('sequence signed entries into the log, publish witnessed checkpoints, serve tiles, proofs and public views')
    .requiredOption('--config <file>', `${help} Fields: treatyFile, policyFile, logKeyFile, operatorTokenFile (optional: turns on POST /v1/clearing/run for its bearer), snapshotEvery (entries between snapshots of the replayed state, 10000 by default), store, host, port. Entry times are always checked against the exchange's clock and the witnessed time; nothing turns that off.`)
    .option(...fullReplay)
    .action(lazily(() => import('./serve-run.ts'), (run) => run.serveExchange));

  program
    .command('witness')
    .description('a witness service')
    .command('serve')
    .description('cosign checkpoints by C2SP tlog-witness (POST /add-checkpoint), never two inconsistent ones')
    .requiredOption('--config <file>', `${help} Fields: name, keyFile, logs [{origin, vkey}], store, host, port.`)
    .action(lazily(() => import('./serve-run.ts'), (run) => run.serveWitness));

  program
    .command('gateway')
    .description("a state's gateway")
    .command('serve')
    .description("hold the state's keys and officials, serve their API, sign and submit their actions, mirror the log and cosign as the state's witness")
    .requiredOption('--config <file>', `${help} Fields: party, treatyFile, policyFile, exchangeUrl, entryKeyFile, sealKeyFile, witnessKeyFile, sealRecipients {party: JWK file or JWK}, sealObservers, mirrorIntervalMs (the least ms between two rounds of the mirror, 1000 by default; it follows the exchange's checkpoints as they are published), snapshotEvery (entries between snapshots of the mirror's replayed state, 10000 by default), webhooks [{url, events: ["new-incoming", "deadline-soon"], withinDays}], store, host, port.`)
    .option(...fullReplay)
    .action(lazily(() => import('./serve-run.ts'), (run) => run.serveGateway));
}
