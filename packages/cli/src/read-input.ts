import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.ts';
import { DirectorySource } from './verify/directory-source.ts';
import { HttpSource } from './verify/http-source.ts';

/** A file a command was given, as text; a file that cannot be read exits 2 (unreadable input) naming it. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : cause instanceof Error ? cause.message : String(cause)}`, 2);
  }
}

/** A log given as `--log`: an exchange URL (tiles fetched over HTTP as needed) or a directory of tiles. */
export async function openLogSource(log: string): Promise<HttpSource | DirectorySource> {
  if (!/^https?:\/\//.test(log)) return new DirectorySource(log);
  try {
    return await HttpSource.open(log);
  } catch (error) {
    throw new CliError(`--log ${log}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
}
