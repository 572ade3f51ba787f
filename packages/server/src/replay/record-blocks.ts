import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import type { LazyBytes } from '@evenhand/core';
import type { RecordBlockAt, RecordPlace } from '@evenhand/log';

/**
 * A whole snapshot's data with its request records kept apart (log replay-snapshot.ts
 * `linesApart`), issue 14, "restart ≤ 2 s at 10^6": at 10^6 entries the records
 * were some 200 of the 249 MB of a snapshot's text, and a restart decompressed them all only
 * to keep them unread. Here they are compressed in blocks of their own, each on its own, so
 * that a restart decompresses the lines alone and a block only when a record in it is first
 * read. The blocks are small, so that a record read at random (the tail a restart replays acts
 * on records anywhere in the snapshot) decompresses little, and each is compressed with the
 * first 32 KiB of the records' text as its preset dictionary (RFC 1950 §2.2, FDICT; here in raw
 * deflate, whose reader is given the same dictionary), so that small blocks compress as well as
 * large ones: on the records of a snapshot at 10^6 entries, blocks of 16 KiB compressed 7.1 to 1
 * without a dictionary and 9.9 to 1 with one, blocks of 64 KiB 9.0 to 1. The layout, all numbers
 * 4-byte unsigned big-endian:
 *
 *     "EHR2" · length of the lines · number of blocks · length of the dictionary
 *            · for each block, its length and its text's · the dictionary · the lines (gzip) · the blocks (raw deflate)
 *
 * It is bound as a whole by the snapshot's digest (snapshot-digest.ts), checked before a byte
 * of it is read here. A snapshot written before it is one gzip of its lines, which starts with
 * gzip's own magic bytes, never with these.
 */
/** "EHR2": the layout below. "EHR1" was an earlier one (blocks of 64 KiB, no dictionary), never read again. */
const MAGIC = Buffer.from('EHR2', 'latin1');
const FIELD = 4;
/** Where the list of blocks starts: after the magic, the lines' length, the number of blocks and the dictionary's length. */
const BLOCKS_AT = 4 * FIELD;
/** A block's entry in the list: its length, and its text's. */
const BLOCK_ENTRY = 2 * FIELD;

/**
 * Bytes of record text a block holds at most, unless one record is longer. A record's first
 * reading decompresses its block: some 0.03 ms for 16 KiB with its dictionary on the machine of
 * issue 14's benchmarks, against 0.07 to 0.15 ms for 64 KiB. The blocks decompressed last are
 * kept (`RECENT_BLOCKS`), since a restart's count of its figure index reads the records in
 * the order they were written.
 */
export const BLOCK_TEXT = 16 * 1024;

/** Bytes of the records' first text that every block is compressed against: deflate's window. */
const DICTIONARY_BYTES = 32 * 1024;

/** Decompressed blocks kept: the last ones decompressed, the first of them let go first. */
const RECENT_BLOCKS = 4;

/**
 * Blocks being compressed beyond which the writer waits, between two slices of lines (`settle`):
 * compressed on libuv's threads, as the lines are (gzip-slices.ts), and boundedly, or the text
 * of a whole snapshot's records could queue before them. A slice of 512 lines of records closes
 * some thirty blocks, all of which may be queued at once.
 */
const BLOCKS_IN_FLIGHT = 4;

const deflateBlock = promisify(deflateRaw);

/** Compresses one block's text against its dictionary: zlib's raw deflate on libuv's threads. */
export type BlockDeflate = (text: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** Collects records' texts into blocks as a snapshot is written, each compressed, off the event loop, once full. */
export class RecordBlockWriter {
  /** `deflate` is zlib's unless a test gives one that fails: the snapshot is then not written (snapshot-keeper.ts `save`). */
  constructor(private readonly deflate: BlockDeflate = deflateBlock) {}

  private readonly blocks: Promise<Buffer>[] = [];
  /** Bytes of text in each block. */
  private readonly texts: number[] = [];
  /** How many of `blocks` are known to be compressed: those before it are. */
  private settled = 0;
  /**
   * The block being filled: each record's text is written into it, not made a buffer of its
   * own first. A buffer per record (and one more per shelved record read, record-shelf.ts) lived
   * until V8's next full collection once promoted: whole snapshots of the sustained run of
   * issue 14 held 40 to 130 MB of them outside the heap, which glibc's malloc then kept.
   */
  private block = Buffer.allocUnsafeSlow(BLOCK_TEXT);
  /** Bytes of `block` filled, and records in it. */
  private filled = 0;
  private inBlock = 0;
  /** The first blocks' texts, until they hold the dictionary's bytes; then the dictionary. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private dictionary: Buffer | undefined;
  /** Bytes of record text taken. */
  textBytes = 0;

  /** Keeps a record's JSON text; its place, for its line. */
  keep(text: string): RecordPlace {
    const length = Buffer.byteLength(text, 'utf8');
    if (this.inBlock > 0 && this.filled + length > BLOCK_TEXT) this.close();
    const start = this.filled;
    const place: RecordPlace = [this.texts.length, start, start + length];
    this.textBytes += length;
    this.inBlock++;
    this.filled += length;
    // A record longer than a block is alone in a block of its own, closed at once.
    if (length > BLOCK_TEXT) this.close(Buffer.from(text, 'utf8'));
    else this.block.write(text, start, 'utf8');
    return place;
  }

  /** Waits while more than BLOCKS_IN_FLIGHT blocks are being compressed: awaited between two slices of lines. */
  async settle(): Promise<void> {
    while (this.blocks.length - this.settled > BLOCKS_IN_FLIGHT) {
      await this.blocks[this.settled];
      this.settled++;
    }
  }

  /** The snapshot's data: the dictionary, the gzip of its lines (written with these places), then the blocks. */
  async pack(lines: Buffer): Promise<Buffer> {
    if (this.inBlock > 0) this.close();
    const dictionary = this.dictionary ?? this.chooseDictionary();
    const blocks = await Promise.all(this.blocks);
    const head = Buffer.alloc(BLOCKS_AT + BLOCK_ENTRY * blocks.length);
    MAGIC.copy(head, 0);
    head.writeUInt32BE(lines.length, FIELD);
    head.writeUInt32BE(blocks.length, 2 * FIELD);
    head.writeUInt32BE(dictionary.length, 3 * FIELD);
    for (const [i, block] of blocks.entries()) {
      head.writeUInt32BE(block.length, BLOCKS_AT + BLOCK_ENTRY * i);
      head.writeUInt32BE(this.texts[i]!, BLOCKS_AT + BLOCK_ENTRY * i + FIELD);
    }
    return Buffer.concat([head, dictionary, lines, ...blocks]);
  }

  /**
   * Closes the block being filled, or `long`, a record's text alone in its block: compressed
   * once the dictionary is known, which the first blocks' texts make.
   */
  private close(long?: Buffer): void {
    // The block is compressed on libuv's threads, or waits for the dictionary: the next block is a new buffer.
    const text = long ?? this.block.subarray(0, this.filled);
    if (!long) this.block = Buffer.allocUnsafeSlow(BLOCK_TEXT);
    this.texts.push(text.length);
    this.filled = 0;
    this.inBlock = 0;
    if (this.dictionary) return this.compress(text, this.dictionary);
    this.waiting.push(text);
    this.waitingBytes += text.length;
    if (this.waitingBytes >= DICTIONARY_BYTES) this.chooseDictionary();
  }

  /** The first DICTIONARY_BYTES of the records' text (all of it when shorter); the blocks that waited for it are compressed. */
  private chooseDictionary(): Buffer {
    // A copy of its own: a view would hold a first record of any length until the data is packed.
    const dictionary = Buffer.from(Buffer.concat(this.waiting, this.waitingBytes).subarray(0, DICTIONARY_BYTES));
    this.dictionary = dictionary;
    for (const text of this.waiting) this.compress(text, dictionary);
    this.waiting = [];
    return dictionary;
  }

  private compress(text: Buffer, dictionary: Buffer): void {
    const compressed = this.deflate(text, withDictionary(dictionary));
    // Awaited by `settle` or `pack`; until then a failure must not be an unhandled rejection.
    compressed.catch(() => undefined);
    this.blocks.push(compressed);
  }
}

/** zlib's options for a block: its dictionary, when the records have any text (none is needed when they have none). */
const withDictionary = (dictionary: Uint8Array) => (dictionary.length > 0 ? { dictionary } : {});

/** A snapshot's data opened: its lines, gzipped, and where its records are when kept apart. */
export interface OpenedSnapshotData {
  readonly lines: Uint8Array;
  readonly blocks?: RecordBlockAt;
  /** Bytes of the records' text in the blocks (0 without): with the lines', the snapshot's text, which the keeper weighs its deltas against. */
  readonly recordTextBytes: number;
}

/** Where a snapshot's dictionary, lines and blocks lie in its data (the layout above). */
export interface SnapshotLayout {
  readonly dictionary: { readonly start: number; readonly end: number };
  readonly lines: { readonly start: number; readonly end: number };
  readonly blocks: readonly { readonly start: number; readonly end: number; readonly textBytes: number }[];
}

/**
 * The layout of data that `RecordBlockWriter` wrote; undefined for data written before it (one
 * gzip of lines); why not, when the lengths it gives do not add up to the data's.
 */
export function snapshotLayout(bytes: Buffer): SnapshotLayout | undefined | string {
  if (bytes.length < FIELD || !bytes.subarray(0, FIELD).equals(MAGIC)) return undefined;
  if (bytes.length < BLOCKS_AT) return 'SNAPSHOT_SHAPE: its data ends within its layout';
  const count = bytes.readUInt32BE(2 * FIELD);
  const dictionaryStart = BLOCKS_AT + BLOCK_ENTRY * count;
  if (dictionaryStart > bytes.length) return 'SNAPSHOT_SHAPE: its data ends within its list of blocks';
  const dictionary = { start: dictionaryStart, end: dictionaryStart + bytes.readUInt32BE(3 * FIELD) };
  const lines = { start: dictionary.end, end: dictionary.end + bytes.readUInt32BE(FIELD) };
  const blocks: { start: number; end: number; textBytes: number }[] = [];
  let at = lines.end;
  for (let i = 0; i < count; i++) {
    const entry = BLOCKS_AT + BLOCK_ENTRY * i;
    blocks.push({ start: at, end: (at += bytes.readUInt32BE(entry)), textBytes: bytes.readUInt32BE(entry + FIELD) });
  }
  if (at !== bytes.length) return `SNAPSHOT_SHAPE: its dictionary, lines and blocks are ${at} bytes, its data ${bytes.length}`;
  return { dictionary, lines, blocks };
}

/**
 * Opens a whole snapshot's data (its digest already checked): the lines and blocks of data
 * written by `RecordBlockWriter`, or the lines alone of data written before it. Why it does not
 * open, when its layout does not add up (`snapshotLayout`). A block that does not decompress to
 * the length its list gives throws when its bytes are asked for.
 */
export function openSnapshotData(data: Uint8Array): OpenedSnapshotData | string {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const layout = snapshotLayout(bytes);
  if (layout === undefined) return { lines: data, recordTextBytes: 0 };
  if (typeof layout === 'string') return layout;
  const { blocks } = layout;
  const dictionary = withDictionary(bytes.subarray(layout.dictionary.start, layout.dictionary.end));
  const recent = new Map<number, Uint8Array>();
  const inflate = (index: number): Uint8Array => {
    const held = recent.get(index);
    if (held) return held;
    const { start, end, textBytes } = blocks[index]!;
    const made = inflateRawSync(bytes.subarray(start, end), { ...dictionary, maxOutputLength: Math.max(1, textBytes) });
    if (made.length !== textBytes) throw new Error(`block ${index} holds ${made.length} bytes of text, its list ${textBytes}`);
    if (recent.size >= RECENT_BLOCKS) recent.delete(recent.keys().next().value!);
    recent.set(index, made);
    return made;
  };
  // One object a block, made when first named: a record kept unread holds its block, and with it the data, until it is read.
  const made = new Map<number, LazyBytes>();
  const blockAt: RecordBlockAt = (index) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= blocks.length) return undefined;
    let block = made.get(index);
    if (!block) made.set(index, (block = { bytes: () => inflate(index) }));
    return block;
  };
  const recordTextBytes = blocks.reduce((sum, block) => sum + block.textBytes, 0);
  return { lines: bytes.subarray(layout.lines.start, layout.lines.end), blocks: blockAt, recordTextBytes };
}
