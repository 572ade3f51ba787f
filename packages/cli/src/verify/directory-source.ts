import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * A log laid out as C2SP tlog-tiles in a directory: `<dir>/checkpoint`, `<dir>/tile/...`.
 * Files are read when the verifier asks for them, never all at once.
 */
export class DirectorySource {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private path(path: string): string | undefined {
    const full = resolve(join(this.root, path));
    return full.startsWith(this.root + sep) ? full : undefined; // never read outside the log directory
  }

  readonly fetch = async (path: string): Promise<Uint8Array | undefined> => {
    const full = this.path(path);
    if (!full) return undefined;
    try {
      return new Uint8Array(await readFile(full));
    } catch {
      return undefined;
    }
  };

  /** Nothing to fetch ahead from a local directory. */
  ahead(_n: number): void {}

  checkpoint(): string | undefined {
    const full = this.path('checkpoint');
    try {
      return full ? readFileSync(full, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}
