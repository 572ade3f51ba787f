import type { ChunkStore } from '@evenhand/log';
import { AppendFile } from './append-file.ts';

/**
 * Where a service's Merkle trees keep most of their hashes (log hash-levels.ts): a file of the
 * process's own (append-file.ts), made again at each start from a snapshot's levels and the
 * entries replayed. In memory, a tree held 93 bytes an entry (issue 14, "RSS flat after
 * warm-up"); with its full chunks here, it holds about one byte an entry, and the chunks at the
 * log's head.
 */
export class TreeChunkFile implements ChunkStore {
  private readonly file: AppendFile;

  constructor(directory?: string) {
    this.file = new AppendFile('the tree chunk file', directory);
  }

  /**
   * Writes the chunk at once: one write of 32 KiB for every 1,024 entries at level 0, and fewer
   * above. `bytes` may be a view of a much larger buffer (a snapshot's levels, log hash-levels.ts
   * `putWhole`): a write that fails lets go of it, so that the tree, which then keeps its chunks
   * in memory, does not also keep that buffer.
   */
  put(bytes: Uint8Array): number {
    const at = this.file.append(bytes);
    try {
      this.file.flush();
    } catch (error) {
      this.file.dropUnwritten();
      throw error;
    }
    return at;
  }

  /** Into bytes of their own, not Node's shared pool: a proof's hashes may be kept, and would keep 8 KiB each. */
  read(place: number, offset: number, length: number): Uint8Array {
    return this.file.readInto(place + offset, new Uint8Array(length));
  }

  close(): void {
    this.file.close();
  }
}

let processChunks: TreeChunkFile | undefined;

/**
 * The chunk file of this process, opened at its first use: the exchange's sequencer, a
 * gateway's prefix (made again when its mirror starts over) and the trees a snapshot restores
 * share it. Closed with the process.
 */
export function processTreeChunks(): ChunkStore {
  processChunks ??= new TreeChunkFile();
  return processChunks;
}
