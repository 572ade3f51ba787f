import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/** Pages copied so far of a backup, for a progress line. */
export type BackupProgress = (copied: number, total: number) => void;

/**
 * A consistent copy of a live SQLite store, taken while its service runs: SQLite's online
 * backup API (sqlite3_backup_*, through better-sqlite3) copies page by page and restarts by
 * itself when a writer changes a page it has copied, so the copy is one instant of the store.
 * The copy is written beside `destination` and renamed only once whole and synced.
 */
export async function backupSqlite(file: string, destination: string, onProgress?: BackupProgress): Promise<{ pages: number }> {
  if (!existsSync(file)) throw new Error(`store: ${file} does not exist`);
  if (existsSync(destination)) throw new Error(`--out: ${destination} already exists; a backup never overwrites a file`);
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = await source.backup(partial, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 256;
      },
    });
    syncFile(partial);
    renameSync(partial, destination);
    return { pages: result.totalPages };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
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
 * Puts a backup in place of a stopped service's store: checked first, then copied beside the
 * store and renamed over it, with the old write-ahead log removed (it belongs to the store
 * being replaced). The store's file is kept as `<file>.before-restore` unless there was none.
 */
export async function restoreSqlite(backup: string, file: string): Promise<void> {
  const problems = checkSqliteBackup(backup);
  if (problems.length > 0) throw new Error(`--from: ${backup} cannot be restored: ${problems.join('; ')}`);
  const staged = `${file}.restoring`;
  rmSync(staged, { force: true });
  // Through the backup API again, rather than a file copy: the copy is a clean database whatever
  // journal state the backup file was left in.
  const source = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staged);
  } finally {
    source.close();
  }
  syncFile(staged);
  if (existsSync(file)) renameSync(file, `${file}.before-restore`);
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  renameSync(staged, file);
}

function syncFile(path: string): void {
  const handle = openSync(path, 'r+');
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
}
