import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';

/**
 * `evenhand backup` and `evenhand restore` (issue 16, "backup and recovery"): the options
 * only; what they run is loaded when they run (backup-run.ts).
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description("take a consistent copy of a running service's SQLite store (one consistent snapshot, SQLite's VACUUM INTO), named by its config; for a PostgreSQL store use pg_dump (docs/deploying.md)")
    .requiredOption('--config <file>', 'the service\'s config file (exchange, gateway or witness): its "store" says which database')
    .requiredOption('--out <file>', 'where to write the copy (never over an existing file)')
    .action(lazily(() => import('./backup-run.ts'), (run) => run.backupAction));
  program
    .command('restore')
    .description("put a backup back in place of a stopped gateway's SQLite store; the store it replaces is kept as <file>.before-restore. On its next start the gateway catches up with the log from where the backup left it. An exchange's or a witness's store is never restored: an older one would sign again what it signed before")
    .requiredOption('--config <file>', "the gateway's config file: its \"store\" is what is replaced")
    .requiredOption('--from <file>', 'the backup to restore (checked first: SQLite integrity and the Evenhand schema)')
    .action(lazily(() => import('./backup-run.ts'), (run) => run.restoreAction));
}
