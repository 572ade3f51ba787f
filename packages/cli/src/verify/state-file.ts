import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

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

/**
 * Mirrors the files the verification reads (a tlog-tiles mirror), as they are read: into a
 * working directory beside the mirror, which replaces the mirror only once the log verified,
 * so a failed or interrupted run never leaves a mirror of an unverified log, and no file is
 * held in memory for the purpose.
 */
export class MirrorWriter {
  private readonly working: string;

  constructor(private readonly dir: string) {
    this.working = `${dir}.partial-${process.pid}`;
    rmSync(this.working, { recursive: true, force: true });
  }

  write(path: string, bytes: Uint8Array): void {
    const full = join(this.working, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }

  /** Whether the mirror holds the log at exactly this checkpoint. */
  holds(checkpoint: string): boolean {
    try {
      return readFileSync(join(this.dir, 'checkpoint'), 'utf8') === checkpoint;
    } catch {
      return false;
    }
  }

  /**
   * The log verified: the working directory, with its checkpoint, becomes the mirror. With
   * `merge` (a run that went on from the last one, and read only the tiles since), its files
   * are moved into the mirror instead, the checkpoint last: a tile's contents are fixed by the
   * verified root, so each file moved is sound, and a crash midway leaves the last checkpoint
   * with every tile it needs.
   */
  commit(checkpoint: string, options: { readonly merge?: boolean } = {}): void {
    mkdirSync(this.working, { recursive: true });
    if (options.merge && existsSync(this.dir)) {
      for (const path of readdirSync(this.working, { recursive: true, withFileTypes: true })) {
        if (!path.isFile()) continue;
        const from = join(path.parentPath, path.name);
        const to = join(this.dir, relative(this.working, from));
        mkdirSync(dirname(to), { recursive: true });
        renameSync(from, to);
      }
      writeFileSync(join(this.dir, 'checkpoint.tmp'), checkpoint);
      renameSync(join(this.dir, 'checkpoint.tmp'), join(this.dir, 'checkpoint'));
      rmSync(this.working, { recursive: true, force: true });
      return;
    }
    writeFileSync(join(this.working, 'checkpoint'), checkpoint);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(dirname(this.dir), { recursive: true });
    renameSync(this.working, this.dir);
  }

  discard(): void {
    rmSync(this.working, { recursive: true, force: true });
  }
}
