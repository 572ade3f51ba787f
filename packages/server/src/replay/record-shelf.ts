import { Shelved, type Shelf } from '@evenhand/core';
import { BoundedCache } from '../gateway/bounded-cache.ts';
import { AppendFile } from './append-file.ts';

/** Values read back that a shelf keeps, the latest first to stay: a page of 200 records, and the cases a batch of entries acts on. */
export const SHELF_CACHE_VALUES = 1024;

/** What a shelf holds: its name in errors and warnings, and how a value is made again from its text. */
export interface ShelfKind<V> {
  readonly what: string;
  decode(text: string, shelf: FileShelf<V>): V;
}

/** Values as JSON: the request records' shelf (record-shelving.ts) unless another kind is given. */
const jsonKind = <V>(): ShelfKind<V> => ({ what: 'the record shelf', decode: (text) => JSON.parse(text) as V });

/**
 * A shelf in a file (core shelved-value.ts): values are appended as text, JSON unless `kind`
 * says otherwise, to a file of the process's own (append-file.ts) and read back by place.
 * Values put are held in memory until `flush` writes them, and a reading of one not yet
 * written writes them first.
 */
export class FileShelf<V> implements Shelf<V> {
  private readonly file: AppendFile;
  /** Values read back, by place; a reading sets its value again, so the oldest forgotten is the one read longest ago. */
  private readonly cache: BoundedCache<number, V>;

  constructor(
    directory?: string,
    cacheValues = SHELF_CACHE_VALUES,
    private readonly kind: ShelfKind<V> = jsonKind<V>(),
  ) {
    this.cache = new BoundedCache(cacheValues);
    this.file = new AppendFile(kind.what, directory);
  }

  /** Bytes the shelf holds: written, and put but not yet written. */
  get size(): number {
    return this.file.size;
  }

  /** Puts `value` on the shelf as JSON, and returns what reads it back. */
  put(value: V): Shelved<V> {
    const { at, length } = this.place(JSON.stringify(value));
    return new Shelved(this, at, length);
  }

  /** Puts a value's text on the shelf, and returns where it is. */
  place(text: string): { at: number; length: number } {
    const bytes = Buffer.from(text, 'utf8');
    return { at: this.file.append(bytes), length: bytes.length };
  }

  /** Writes what was put since the last call, in one write. */
  flush(): void {
    this.file.flush();
  }

  read(at: number, length: number): V {
    const value = this.cache.get(at) ?? this.kind.decode(this.text(at, length), this);
    this.cache.set(at, value);
    return value;
  }

  /** The JSON text put at `at`, read from the file and not cached: a whole snapshot walks every record once. */
  text(at: number, length: number): string {
    return this.file.readText(at, length);
  }

  close(): void {
    this.file.close();
  }
}
