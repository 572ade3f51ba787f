import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { TileFetch } from '@evenhand/log';

/**
 * A log laid out as C2SP tlog-tiles in a directory: `<dir>/checkpoint`, `<dir>/tile/...`.
 * Every file read is remembered, so that the verified files can be mirrored afterwards.
 */
export class DirectorySource {
  readonly read = new Map<string, Uint8Array>();
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private file(path: string): Uint8Array | undefined {
    const full = resolve(join(this.root, path));
    if (!full.startsWith(this.root + sep)) return undefined; // never read outside the log directory
    try {
      return new Uint8Array(readFileSync(full));
    } catch {
      return undefined;
    }
  }

  readonly fetch: TileFetch = (path) => {
    const cached = this.read.get(path);
    if (cached) return cached;
    const bytes = this.file(path);
    if (bytes) this.read.set(path, bytes);
    return bytes;
  };

  checkpoint(): string | undefined {
    const bytes = this.file('checkpoint');
    return bytes ? new TextDecoder().decode(bytes) : undefined;
  }
}
