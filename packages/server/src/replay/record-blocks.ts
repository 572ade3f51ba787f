import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { LazyBytes } from '@evenhand/core';
import type { RecordBlockAt, RecordPlace } from '@evenhand/log';

/**
 * A whole snapshot's data with its request records kept apart (log replay-snapshot.ts
 * `replaySnapshotLinesApart`), issue 14, "restart ≤ 2 s at 10^6": at 10^6 entries the records
 * were some 200 of the 249 MB of a snapshot's text, and a restart decompressed them all only
 * to keep them unread. Here they are compressed in blocks of their own, each on its own, so
 * that a restart decompresses the lines alone and a block only when a record in it is first
 * read. The layout, all numbers 4-byte unsigned big-endian:
 *
 *     "EHR1" · length of the lines · number of blocks · each block's length · the lines (gzip) · the blocks (raw deflate)
 *
 * It is bound as a whole by the snapshot's digest (snapshot-digest.ts), checked before a byte
 * of it is read here. A snapshot written before it is one gzip of its lines, which starts with
 * gzip's own magic bytes, never with these.
 */
const MAGIC = Buffer.from('EHR1', 'latin1');
const FIELD = 4;

/**
 * Bytes of record text a block holds at most, unless one record is longer. A record's first
 * reading decompresses its block: some 0.2 ms for 64 KiB, and the blocks decompressed last are
 * kept (`RECENT_BLOCKS`), since a restart's count of its figure index reads the records in
 * order. Smaller blocks compress less well.
 */
export const BLOCK_TEXT = 64 * 1024;

/** Decompressed blocks kept, the most recently read. */
const RECENT_BLOCKS = 4;

/**
 * Blocks being compressed at most before the writer waits (`settle`): compressed on libuv's
 * threads, as the lines are (gzip-slices.ts), and as boundedly, or the text of a whole snapshot's
 * records could queue before them.
 */
const BLOCKS_IN_FLIGHT = 4;

const deflateBlock = promisify(deflateRaw);

/** Collects records' texts into blocks as a snapshot is written, each compressed, off the event loop, once full. */
export class RecordBlockWriter {
  private readonly blocks: Promise<Buffer>[] = [];
  /** How many of `blocks` are known to be compressed: those before it are. */
  private settled = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of record text taken. */
  textBytes = 0;

  /** Keeps a record's JSON text; its place, for its line. */
  keep(text: string): RecordPlace {
    const bytes = Buffer.from(text, 'utf8');
    if (this.pending.length > 0 && this.pendingBytes + bytes.length > BLOCK_TEXT) this.close();
    const start = this.pendingBytes;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.textBytes += bytes.length;
    return [this.blocks.length, start, this.pendingBytes];
  }

  /** Waits while more than BLOCKS_IN_FLIGHT blocks are being compressed: awaited between two slices of lines. */
  async settle(): Promise<void> {
    while (this.blocks.length - this.settled > BLOCKS_IN_FLIGHT) {
      await this.blocks[this.settled];
      this.settled++;
    }
  }

  /** The snapshot's data: the gzip of its lines (written with these places), then the blocks. */
  async pack(lines: Buffer): Promise<Buffer> {
    if (this.pending.length > 0) this.close();
    const blocks = await Promise.all(this.blocks);
    const head = Buffer.alloc(FIELD * (3 + blocks.length));
    MAGIC.copy(head, 0);
    head.writeUInt32BE(lines.length, FIELD);
    head.writeUInt32BE(blocks.length, 2 * FIELD);
    for (const [i, block] of blocks.entries()) head.writeUInt32BE(block.length, (3 + i) * FIELD);
    return Buffer.concat([head, lines, ...blocks]);
  }

  private close(): void {
    const compressed = deflateBlock(Buffer.concat(this.pending, this.pendingBytes));
    // Awaited by `settle` or `pack`; until then a failure must not be an unhandled rejection.
    compressed.catch(() => undefined);
    this.blocks.push(compressed);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** A snapshot's data opened: its lines, gzipped, and where its records are when kept apart. */
export interface OpenedSnapshotData {
  readonly lines: Uint8Array;
  readonly blocks?: RecordBlockAt;
}

/**
 * Opens a whole snapshot's data (its digest already checked): the lines and blocks of data
 * written by `RecordBlockWriter`, or the lines alone of data written before it. Why it does not
 * open, when the lengths it gives do not add up.
 */
export function openSnapshotData(data: Uint8Array): OpenedSnapshotData | string {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < FIELD || !bytes.subarray(0, FIELD).equals(MAGIC)) return { lines: data };
  if (bytes.length < 3 * FIELD) return 'SNAPSHOT_SHAPE: its data ends within its layout';
  const linesLength = bytes.readUInt32BE(FIELD);
  const count = bytes.readUInt32BE(2 * FIELD);
  const linesStart = FIELD * (3 + count);
  if (linesStart > bytes.length) return 'SNAPSHOT_SHAPE: its data ends within its list of blocks';
  const starts: number[] = [];
  let at = linesStart + linesLength;
  for (let i = 0; i < count; i++) {
    starts.push(at);
    at += bytes.readUInt32BE((3 + i) * FIELD);
  }
  if (at !== bytes.length) return `SNAPSHOT_SHAPE: its lines and blocks are ${at} bytes, its data ${bytes.length}`;
  starts.push(at);
  const recent = new Map<number, Uint8Array>();
  const inflate = (index: number): Uint8Array => {
    const held = recent.get(index);
    if (held) return held;
    const made = inflateRawSync(bytes.subarray(starts[index]!, starts[index + 1]!));
    if (recent.size >= RECENT_BLOCKS) recent.delete(recent.keys().next().value!);
    recent.set(index, made);
    return made;
  };
  // One object a block, made when first named: a record kept unread holds its block, and with it the data, until it is read.
  const blocks = new Map<number, LazyBytes>();
  const blockAt: RecordBlockAt = (index) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) return undefined;
    let block = blocks.get(index);
    if (!block) blocks.set(index, (block = { bytes: () => inflate(index) }));
    return block;
  };
  return { lines: bytes.subarray(linesStart, linesStart + linesLength), blocks: blockAt };
}
