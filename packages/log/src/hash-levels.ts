import { HASH_SIZE } from './hash.ts';

/**
 * Hashes in a full chunk: 32 KiB. A level grows a chunk at a time, so a level is never copied to
 * a larger buffer: held in one buffer that doubled, it kept up to twice its hashes' bytes, and
 * each doubling copied the whole level (issue 14, "RSS flat after warm-up": the tree was 93
 * bytes of a service's heap per entry for its 64 bytes of hashes).
 */
export const CHUNK_HASHES = 1024;
const CHUNK_BYTES = CHUNK_HASHES * HASH_SIZE;

/**
 * A level's first chunk starts this small and doubles until it is full, so that a tree of a
 * few leaves keeps a few hashes: some 31 KiB copied once per level. Every chunk after it is
 * made full at once.
 */
const FIRST_CHUNK_HASHES = 32;

/**
 * Levels whose full chunks go to a ChunkStore, when the tree has one. Level l keeps a hash for
 * every 2^l leaves, so levels 0 to 5 keep 63/64 of the tree's hashes; all the levels above
 * keep about one hash for every 32 leaves, a byte an entry, and stay in memory.
 */
export const STORED_LEVELS = 6;

/**
 * Where a tree keeps the full chunks of its lowest levels (STORED_LEVELS), away from the heap:
 * a file of its owner's (server tree-chunk-file.ts). A chunk given to `put` never changes after.
 */
export interface ChunkStore {
  /**
   * Keeps the bytes of a full chunk; returns where they are, for `read`. `bytes` may be a view
   * of the caller's buffer, valid during the call only: a store that keeps them copies them.
   */
  put(bytes: Uint8Array): number;
  /** `length` bytes from `offset` in the chunk kept at `place`. */
  read(place: number, offset: number, length: number): Uint8Array;
}

/**
 * The stored hashes of a tree (tree.ts), level by level, in chunks of CHUNK_HASHES. With a
 * ChunkStore, each full chunk of a low level goes there once the chunk after the next one
 * begins, or at once when it is pushed whole with more than two chunks after it (`putWhole`):
 * a level's last two chunks (the last full one, and the one after it, partial or full) stay
 * in memory, so that appending, the roots and the proofs of recent entries, and the tiles at
 * the log's head never read the store.
 */
export class HashLevels {
  /** Per level, its chunks: in memory, or the place a store keeps it. */
  private readonly chunks: (Uint8Array | number)[][] = [];
  private readonly counts: number[] = [];
  /** Set once the store threw when given a chunk: none is given it after. */
  private storeFailed = false;

  constructor(private readonly store?: ChunkStore) {}

  /**
   * The hashes from `from` to `to` (exclusive) of `level`, which must be stored, copied into
   * `into` at `at`, a chunk at a time: a snapshot's levels, in one buffer (tree.ts).
   */
  copyRange(level: number, from: number, to: number, into: Uint8Array, at: number): void {
    const chunks = this.chunks[level] ?? [];
    for (let index = from; index < to; ) {
      const slot = index % CHUNK_HASHES;
      const taken = Math.min(CHUNK_HASHES - slot, to - index);
      into.set(this.inChunk(chunks[Math.floor(index / CHUNK_HASHES)]!, slot, taken), at + (index - from) * HASH_SIZE);
      index += taken;
    }
  }

  /** Hashes stored at `level`. */
  count(level: number): number {
    return this.counts[level] ?? 0;
  }

  /** Appends whole hashes, given one after another, to `level`. */
  pushBytes(level: number, bytes: Uint8Array): void {
    if (bytes.length % HASH_SIZE !== 0) throw new Error(`pushBytes: expected whole ${HASH_SIZE}-byte hashes, found ${bytes.length} bytes`);
    const chunks = (this.chunks[level] ??= []);
    let done = 0;
    while (done < bytes.length) {
      const count = this.counts[level] ?? 0;
      const slot = count % CHUNK_HASHES;
      const taken = Math.min(CHUNK_HASHES - slot, (bytes.length - done) / HASH_SIZE);
      // A full chunk given whole, and not among the level's last two once these bytes are in: to the store from the bytes themselves.
      if (slot === 0 && bytes.length - done > 2 * CHUNK_BYTES && this.putWhole(level, bytes.subarray(done, done + CHUNK_BYTES))) {
        this.counts[level] = count + CHUNK_HASHES;
        done += CHUNK_BYTES;
        continue;
      }
      if (slot === 0) {
        const first = chunks.length === 0;
        chunks.push(new Uint8Array((first ? Math.max(FIRST_CHUNK_HASHES, Math.min(CHUNK_HASHES, taken)) : CHUNK_HASHES) * HASH_SIZE));
        this.storeChunk(level, chunks.length - 3);
      }
      const last = chunks.length - 1;
      let chunk = chunks[last] as Uint8Array;
      if (chunk.length < (slot + taken) * HASH_SIZE) {
        // Grown in place of the old: a view given out earlier keeps the old buffer, whose hashes never change.
        const grown = new Uint8Array(Math.min(CHUNK_HASHES, Math.max(2 * chunk.length / HASH_SIZE, slot + taken)) * HASH_SIZE);
        grown.set(chunk.subarray(0, slot * HASH_SIZE));
        chunks[last] = chunk = grown;
      }
      chunk.set(bytes.subarray(done, done + taken * HASH_SIZE), slot * HASH_SIZE);
      this.counts[level] = count + taken;
      done += taken * HASH_SIZE;
    }
  }

  /**
   * The hashes from `from` to `to` (exclusive) of `level`, which must be stored, one after
   * another: a view when they are in one chunk in memory, else a copy. Either way they never
   * change, since stored hashes never do.
   */
  range(level: number, from: number, to: number): Uint8Array {
    if (to <= from) return new Uint8Array(0);
    const chunks = this.chunks[level] ?? [];
    const first = Math.floor(from / CHUNK_HASHES);
    if (to - from <= CHUNK_HASHES - (from % CHUNK_HASHES)) return this.inChunk(chunks[first]!, from % CHUNK_HASHES, to - from);
    const out = new Uint8Array((to - from) * HASH_SIZE);
    this.copyRange(level, from, to, out, 0);
    return out;
  }

  /**
   * Gives the store a full chunk of `level` straight from the bytes pushed, when it keeps that
   * level; whether it took it. A tree read from a snapshot pushes its levels whole (tree.ts
   * `fromLevelPieces`): at 10^6 entries, 63 MB of chunks that were each made, copied, written
   * and let go, a fifth of a restart's collector time besides the copy. The chunk before the
   * last two, which a chunk beginning would have put in the store, is put there as well.
   */
  private putWhole(level: number, chunk: Uint8Array): boolean {
    if (!this.store || this.storeFailed || level >= STORED_LEVELS) return false;
    const chunks = this.chunks[level]!;
    let place: number;
    try {
      place = this.store.put(chunk);
    } catch {
      this.storeFailed = true;
      return false;
    }
    chunks.push(place);
    this.storeChunk(level, chunks.length - 3);
    return true;
  }

  private inChunk(chunk: Uint8Array | number, slot: number, hashes: number): Uint8Array {
    if (typeof chunk === 'number') return this.store!.read(chunk, slot * HASH_SIZE, hashes * HASH_SIZE);
    return chunk.subarray(slot * HASH_SIZE, (slot + hashes) * HASH_SIZE);
  }

  /**
   * Puts chunk `index` of `level` in the store, when there is one, the level is one it keeps,
   * and the chunk is still in memory. Once the store fails (a full disk), these levels use it
   * no more, and their chunks stay in memory, as without one: an append never fails halfway up
   * the tree.
   */
  private storeChunk(level: number, index: number): void {
    const chunks = this.chunks[level]!;
    const chunk = chunks[index];
    if (!this.store || this.storeFailed || level >= STORED_LEVELS || index < 0 || typeof chunk !== 'object') return;
    try {
      chunks[index] = this.store.put(chunk);
    } catch {
      this.storeFailed = true;
    }
  }
}
