import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * A consistent copy of a live SQLite store, taken while its service runs: `VACUUM INTO`
 * writes one read transaction's snapshot of the whole database to a new file in a single
 * pass, so writers never restart it (the step-wise backup API restarts on every write from
 * another process, and on a busy store might never finish). The copy is written beside
 * `destination`, synced, made readable by its owner only (a store holds accounts and drafts),
 * and linked into place, which fails rather than replace a file that appeared meanwhile.
 */
export function backupSqlite(file: string, destination: string): { bytes: number } {
  if (!existsSync(file)) throw new Error(`store: ${file} does not exist`);
  if (existsSync(destination)) throw new Error(`--out: ${destination} already exists; a backup never overwrites a file`);
  const partial = `${destination}.partial`;
  removeWithJournals(partial);
  try {
    snapshot(file, partial);
    chmodSync(partial, 0o600);
    syncPath(partial);
    linkSync(partial, destination);
    syncPath(dirname(destination));
    return { bytes: statSync(destination).size };
  } finally {
    removeWithJournals(partial);
  }
}

/** Why `file` is not a usable backup of an Evenhand store (empty when it is): SQLite's own integrity check, and our schema's migrations table. */
export function checkSqliteBackup(file: string): string[] {
  if (!existsSync(file)) return [`${file} does not exist`];
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return [`SQLite's integrity check fails: ${String(integrity)}`];
    const migrations = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
    return migrations ? [] : ['it holds no Evenhand schema (no kysely_migration table)'];
  } catch (error) {
    return [`it is not a SQLite database (${error instanceof Error ? error.message : String(error)})`];
  } finally {
    db?.close();
  }
}

/**
 * Puts a backup in place of a stopped service's store. The backup is checked, copied beside
 * the store and synced; the store it replaces is kept whole, with its write-ahead log, as
 * `<file>.before-restore` (a second restore keeps the first's under `.before-restore.1`, …);
 * then the copy is renamed over the store, so at every instant a whole store is in place.
 */
export function restoreSqlite(backup: string, file: string): { keptAs?: string } {
  const problems = checkSqliteBackup(backup);
  if (problems.length > 0) throw new Error(`--from: ${backup} cannot be restored: ${problems.join('; ')}`);
  const staged = `${file}.restoring`;
  removeWithJournals(staged);
  snapshot(backup, staged);
  chmodSync(staged, 0o600);
  syncPath(staged);
  let keptAs: string | undefined;
  if (existsSync(file)) {
    keptAs = freeName(`${file}.before-restore`);
    // The old store stays in place (a link) until the new one replaces it; its journal files
    // move with it, since they hold its last committed transactions.
    linkSync(file, keptAs);
    for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${keptAs}${suffix}`);
  }
  renameSync(staged, file);
  syncPath(dirname(file));
  return keptAs === undefined ? {} : { keptAs };
}

function snapshot(from: string, to: string): void {
  const source = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(to);
  } finally {
    source.close();
  }
}

function freeName(base: string): string {
  if (!existsSync(base)) return base;
  for (let n = 1; ; n++) if (!existsSync(`${base}.${n}`)) return `${base}.${n}`;
}

function removeWithJournals(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function syncPath(path: string): void {
  const handle = openSync(path, 'r');
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
}
