import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The longest text `readText` reads through the shared buffer; a longer one gets a buffer of its own. */
const SCRATCH_AT_MOST = 256 * 1024;
let scratch = Buffer.allocUnsafeSlow(4096);

/**
 * A file of a process's own that only grows, read back by place: what a service moves out of
 * its heap (record-shelf.ts, tree-chunk-file.ts). It is unlinked as soon as it is opened, so it
 * lives only as long as the process holds it: it holds derived data, made again from the log
 * or a snapshot at each start, and a crash leaves nothing behind. Bytes appended are held in
 * memory until `flush` writes them, and a reading of bytes not yet written writes them first.
 */
export class AppendFile {
  private readonly fd: number;
  private closed = false;
  /** Bytes written to the file, and those appended since, not yet written. */
  private written = 0;
  private unwritten: Uint8Array[] = [];
  private unwrittenBytes = 0;

  /** `what` names the file in errors, and in its name while it has one: "the record shelf". */
  constructor(
    private readonly what: string,
    directory = tmpdir(),
  ) {
    const path = join(directory, `evenhand-${what.replace(/^the /, '').replaceAll(' ', '-')}-${process.pid}-${randomUUID()}`);
    // 'wx+': never an existing file, which another process could be reading from.
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  }

  /** Bytes the file holds: written, and appended but not yet written. */
  get size(): number {
    return this.written + this.unwrittenBytes;
  }

  /** Appends `bytes`, which must not change after, and returns where they begin. */
  append(bytes: Uint8Array): number {
    const at = this.size;
    this.unwritten.push(bytes);
    this.unwrittenBytes += bytes.length;
    return at;
  }

  /** Writes what was appended since the last call, in one write. */
  flush(): void {
    if (this.unwrittenBytes === 0) return;
    if (this.closed) throw new Error(`${this.what} was written after it was closed`);
    const bytes = this.unwritten.length === 1 ? this.unwritten[0]! : Buffer.concat(this.unwritten, this.unwrittenBytes);
    let done = 0;
    while (done < bytes.length) {
      const wrote = writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
      if (wrote === 0) throw new Error(`${this.what} took no byte at ${this.written + done}`);
      done += wrote;
    }
    this.written += bytes.length;
    this.unwritten = [];
    this.unwrittenBytes = 0;
  }

  /**
   * Lets go of what was appended since the last `flush` without writing it: after a `flush`
   * that failed (a full disk), so that the bytes, and any buffer they are a view of, are not
   * held for good. Their places are not to be read.
   */
  dropUnwritten(): void {
    this.unwritten = [];
    this.unwrittenBytes = 0;
  }

  /**
   * The `length` bytes at `at` as UTF-8 text, read through one buffer the process reuses (up to
   * SCRATCH_AT_MOST bytes): a whole snapshot reads every shelved record once, and a buffer of
   * each, promoted before the next full collection, was held outside the heap until it
   * (record-blocks.ts says how much). Reads are synchronous, so no two share the buffer at once.
   */
  readText(at: number, length: number): string {
    if (length > SCRATCH_AT_MOST) return this.readInto(at, Buffer.allocUnsafeSlow(length)).toString('utf8');
    if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, Math.min(2 * scratch.length, SCRATCH_AT_MOST)));
    return this.readInto(at, scratch.subarray(0, length)).toString('utf8');
  }

  /** Fills `bytes` with what the file holds from `at`, and returns them. */
  readInto<B extends Uint8Array>(at: number, bytes: B): B {
    // Its descriptor's number may name another file once closed.
    if (this.closed) throw new Error(`${this.what} was read after it was closed`);
    const length = bytes.length;
    if (at + length > this.written) this.flush();
    let done = 0;
    while (done < length) {
      const read = readSync(this.fd, bytes, done, length - done, at + done);
      if (read === 0) throw new Error(`${this.what} ends before byte ${at + length} (${at + done}): its file was cut`);
      done += read;
    }
    return bytes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
