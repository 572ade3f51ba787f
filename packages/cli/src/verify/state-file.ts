import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What the verifier remembers between runs: the last checkpoint note it accepted, per log
 * origin. Written atomically (write then rename), so a crash never leaves half a state.
 */
export interface VerifierState {
  readonly checkpoints: Record<string, string>;
}

export function readState(path: string): VerifierState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { checkpoints: {} };
  }
  const parsed = JSON.parse(text) as Partial<VerifierState>;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.checkpoints !== 'object' || parsed.checkpoints === null) {
    throw new Error(`${path}: not a verifier state file (expected {"checkpoints": {...}})`);
  }
  return { checkpoints: { ...parsed.checkpoints } };
}

export function writeState(path: string, state: VerifierState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Keeps two signed, inconsistent checkpoints side by side: the proof of a split view. */
export function saveEvidence(dir: string, label: string, previous: string, current: string): string {
  const folder = join(dir, label);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'previous.checkpoint'), previous);
  writeFileSync(join(folder, 'current.checkpoint'), current);
  return folder;
}

/** Writes the files the verification read, under the same paths (a tlog-tiles mirror). */
export function writeMirror(dir: string, files: ReadonlyMap<string, Uint8Array>, checkpoint: string): void {
  for (const [path, bytes] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'checkpoint'), checkpoint);
}
