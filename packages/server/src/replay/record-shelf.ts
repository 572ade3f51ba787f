import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shelved, type Shelf } from '@evenhand/core';
import { BoundedCache } from '../gateway/bounded-cache.ts';

/** Values read back that a shelf keeps, the latest first to stay: a page of 200 records, and the cases a batch of entries acts on. */
export const SHELF_CACHE_VALUES = 1024;

/**
 * A shelf in a file (core shelved-value.ts): values are appended as JSON text and read back by
 * place. The file is unlinked as soon as it is opened, so it lives only as long as the
 * process holds it: it is derived data, made again from the log or a snapshot at each start,
 * and a crash leaves nothing behind. Values put are held in memory until `flush` writes them,
 * and a reading of one not yet written writes them first.
 */
export class FileShelf<V> implements Shelf<V> {
  private readonly fd: number;
  private closed = false;
  /** Bytes written to the file, and those put since, not yet written. */
  private written = 0;
  private unwritten: Buffer[] = [];
  private unwrittenBytes = 0;
  /** Values read back, by place; a reading sets its value again, so the oldest forgotten is the one read longest ago. */
  private readonly cache: BoundedCache<number, V>;

  constructor(directory = tmpdir(), cacheValues = SHELF_CACHE_VALUES) {
    this.cache = new BoundedCache(cacheValues);
    const path = join(directory, `evenhand-shelf-${process.pid}-${randomUUID()}`);
    // 'wx+': never an existing file, which another process could be reading from.
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  }

  /** Bytes the shelf holds: written, and put but not yet written. */
  get size(): number {
    return this.written + this.unwrittenBytes;
  }

  /** Puts `value` on the shelf, and returns what reads it back. */
  put(value: V): Shelved<V> {
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    const at = this.size;
    this.unwritten.push(bytes);
    this.unwrittenBytes += bytes.length;
    return new Shelved(this, at, bytes.length);
  }

  /** Writes what was put since the last call, in one write. */
  flush(): void {
    if (this.unwrittenBytes === 0) return;
    if (this.closed) throw new Error('the record shelf was written after it was closed');
    const bytes = this.unwritten.length === 1 ? this.unwritten[0]! : Buffer.concat(this.unwritten, this.unwrittenBytes);
    let done = 0;
    while (done < bytes.length) {
      const wrote = writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
      if (wrote === 0) throw new Error(`the record shelf took no byte at ${this.written + done}`);
      done += wrote;
    }
    this.written += bytes.length;
    this.unwritten = [];
    this.unwrittenBytes = 0;
  }

  read(at: number, length: number): V {
    // Its descriptor's number may name another file once closed.
    if (this.closed) throw new Error('the record shelf was read after it was closed');
    const value = this.cache.get(at) ?? (JSON.parse(this.text(at, length)) as V);
    this.cache.set(at, value);
    return value;
  }

  /** The JSON text put at `at`, read from the file and not cached: a whole snapshot walks every record once. */
  text(at: number, length: number): string {
    if (this.closed) throw new Error('the record shelf was read after it was closed');
    if (at + length > this.written) this.flush();
    const bytes = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const read = readSync(this.fd, bytes, done, length - done, at + done);
      if (read === 0) throw new Error(`the record shelf ends before byte ${at + length} (${at + done}): its file was cut`);
      done += read;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
