import type { SnapshotError } from './state-reader.ts';
import { Shelved } from './shelved-value.ts';

/**
 * Bytes made when first asked for: a block of a stored snapshot's request records, kept
 * compressed by its holder until one of them is read (server record-blocks.ts). Core never
 * decompresses; `bytes` may throw when the block does not decompress, and the record then does
 * not read.
 */
export interface LazyBytes {
  bytes(): Uint8Array;
}

/**
 * A map value kept as the bytes of its JSON text until something reads it (issue 14, "restart
 * ≤ 2 s at 10^6"). A restart from a snapshot at 10^6 entries parsed, checked and kept 228,532
 * request records before it served: JSON.parse alone took 1.1 s of it, and the collection of
 * what parsing leaves behind most of another 0.6 s. A record kept unread costs the cut of its
 * line; it is parsed and checked at its first reading (persistent-map.ts reads every value
 * through `valueOf`), and the restarted service's count of its figure index reads them all
 * soon after, in slices between its other work (server count-in-slices.ts).
 *
 * The reading is done once: the value read is kept here and the bytes let go, so that every
 * holder of this object gets the same value, one that `===` compares as the same. A trie leaf
 * replaces its hold of this object with the value (persistent-map.ts `leafValue`).
 */
export class Unread<V> {
  private source: Uint8Array | LazyBytes | undefined;
  private result: V | undefined;

  constructor(
    /** The bytes its text is in: kept whole until the value is read, so that no copy is made; or the block that makes them. */
    source: Uint8Array | LazyBytes,
    private readonly start: number,
    private readonly end: number,
    /** The key it is filed under, which the reading may check the value against. */
    readonly key: string,
    /**
     * Parses and checks the text, which `text` gives (it throws when the text's block does not
     * decompress or does not hold it); throws when it does not read (state-reader.ts `SnapshotValueRefused`).
     */
    reader: (text: () => Uint8Array, key: string) => V,
  ) {
    this.source = source;
    this.reader = reader;
  }

  /** Let go of with the bytes once the value is read: it holds whatever its holder's reading needs. */
  private reader: ((text: () => Uint8Array, key: string) => V) | undefined;

  /** The value, read at the first call. A reading that throws keeps the bytes, so that every call after it throws again. */
  read(): V {
    const source = this.source;
    if (source !== undefined) {
      this.result = this.reader!(() => bytesAt(source, this.start, this.end), this.key);
      this.source = undefined;
      this.reader = undefined;
    }
    return this.result as V;
  }
}

/**
 * The bytes from `start` to `end` of `source`, made first when it is a block; throws when the
 * block does not decompress or they do not lie inside it.
 */
export function bytesAt(source: Uint8Array | LazyBytes, start: number, end: number): Uint8Array {
  const bytes = source instanceof Uint8Array ? source : source.bytes();
  if (end > bytes.length) throw new Error(`its text ends at byte ${end} of a block of ${bytes.length}`);
  return bytes.subarray(start, end);
}

/** A held value as it reads: an Unread one is read, a Shelved one read from its shelf (shelved-value.ts). */
export function valueOf<V>(held: V | Unread<V> | Shelved<V>): V {
  if (held instanceof Unread) return held.read();
  return held instanceof Shelved ? held.read() : held;
}

/**
 * A request record kept unread (`unreadPair`) did not read when it was first read, after the
 * state was handed out: thrown from that reading, since the reader (a view, the count of the
 * figure index) has no way to go on without the record; `apply` returns it as its error
 * SNAPSHOT_VALUE_REFUSED. The state reader's `refused` was told first, so that the holder
 * gives up on the snapshot (server snapshot-keeper.ts).
 */
export class SnapshotValueRefused extends Error {
  readonly code = 'SNAPSHOT_VALUE_REFUSED';
  constructor(readonly error: SnapshotError) {
    super(`${error.code}: ${error.message}`);
  }
}
