import { err, ok, type Result } from '@evenhand/core';
import { fromBase64, parseDecimal, toBase64 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, type Hash } from './hash.ts';
import { signNote, type NoteSigner } from './note.ts';

/**
 * C2SP tlog-checkpoint: origin, decimal tree size, base64 root, optional extension lines,
 * each ending in a newline. Evenhand writes no extension lines (NOT RECOMMENDED by the spec).
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
  readonly extensions: readonly string[];
}

/** The origin of a treaty's log, which is also the name of the log's signing key. */
export function treatyOrigin(treatyId: string): string {
  return `evenhand/${treatyId}`;
}

export function formatCheckpoint(checkpoint: Omit<Checkpoint, 'extensions'> & { extensions?: readonly string[] }): string {
  const extensions = checkpoint.extensions ?? [];
  return `${checkpoint.origin}\n${checkpoint.size}\n${toBase64(checkpoint.root)}\n${extensions.map((line) => `${line}\n`).join('')}`;
}

export function parseCheckpoint(text: string): Result<Checkpoint, LogError> {
  if (!text.endsWith('\n')) return err(logError('CHECKPOINT_MALFORMED', 'checkpoint: must end with a newline'));
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return err(logError('CHECKPOINT_MALFORMED', `checkpoint: expected origin, size and root lines, found ${lines.length} lines`));
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) return err(logError('CHECKPOINT_MALFORMED', 'origin: must not be empty'));
  const size = parseDecimal(sizeText);
  if (size === undefined) return err(logError('CHECKPOINT_MALFORMED', `size: expected a decimal without leading zeros, found ${JSON.stringify(sizeText)}`));
  const root = fromBase64(rootText);
  if (!root || root.length !== HASH_SIZE) return err(logError('CHECKPOINT_MALFORMED', `root: expected base64 of ${HASH_SIZE} bytes, found ${JSON.stringify(rootText)}`));
  if (extensions.some((line) => line.length === 0)) return err(logError('CHECKPOINT_MALFORMED', 'extension lines: must not be empty'));
  return ok({ origin, size, root, extensions });
}

/** The log's signed checkpoint; the key name must be the origin (tlog-checkpoint). */
export function signCheckpoint(checkpoint: Checkpoint | Omit<Checkpoint, 'extensions'>, signer: NoteSigner): Result<string, LogError> {
  if (signer.name !== checkpoint.origin) {
    return err(logError('CHECKPOINT_WRONG_ORIGIN', `signer: the log key is named ${signer.name}, the origin is ${checkpoint.origin}`));
  }
  return signNote(formatCheckpoint(checkpoint), [signer]);
}
