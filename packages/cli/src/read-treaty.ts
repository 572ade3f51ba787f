import { readFileSync } from 'node:fs';
import { loadTreaty, type Treaty } from '@evenhand/core';
import { CliError } from './cli-error.ts';

/** Reads and validates a treaty file, turning every problem into one readable error. */
export function readTreatyFile(path: string): Treaty {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read treaty file ${path}: ${code === 'ENOENT' ? 'no such file' : String(cause)}`, 2);
  }
  const loaded = loadTreaty(text);
  if (!loaded.ok) {
    const lines = loaded.error.issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    throw new CliError(`${path} is not a valid treaty (${loaded.error.issues.length} problem${loaded.error.issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, 2);
  }
  return loaded.value;
}
