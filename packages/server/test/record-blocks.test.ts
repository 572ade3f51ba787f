import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { BLOCK_TEXT, openSnapshotData, RecordBlockWriter, snapshotLayout } from '../src/replay/record-blocks.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
/** A raw deflate block decompressed without a dictionary, or the error that gives. */
const tryInflate = (bytes: Uint8Array): Buffer | string => {
  try {
    return inflateRawSync(bytes);
  } catch (error) {
    return String(error);
  }
};

describe('a snapshot with its records kept apart in blocks', () => {
  it('gives back each record text at its place, and the lines as written', async () => {
    await fc.assert(
      // Sized at most, so that records fill blocks, close them before the dictionary is chosen, and exceed a block.
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3_000, size: 'max' }), fc.string({ minLength: 16_000, maxLength: 40_000, size: 'max' })), { maxLength: 120, size: 'max' }), async (records) => {
        const writer = new RecordBlockWriter();
        const places = records.map((record) => writer.keep(record));
        const lines = gzipSync('["header"]\n');
        const data = await writer.pack(lines);
        const opened = openSnapshotData(data);
        assert.ok(typeof opened !== 'string', String(opened));
        // The dictionary every block is compressed against: the records' first 32 KiB of text.
        const layout = snapshotLayout(data);
        assert.ok(typeof layout === 'object');
        const allText = Buffer.from(records.join(''), 'utf8');
        assert.deepEqual(data.subarray(layout.dictionary.start, layout.dictionary.end), allText.subarray(0, 32 * 1024));
        assert.deepEqual(Buffer.from(opened.lines), lines);
        for (const [i, [block, start, end]] of places.entries()) assert.equal(text(opened.blocks!(block)!.bytes().subarray(start, end)), records[i]);
        assert.equal(writer.textBytes, records.reduce((sum, record) => sum + Buffer.byteLength(record), 0));
        assert.equal(opened.recordTextBytes, writer.textBytes, 'the text the data holds, as the keeper weighs its deltas against it');
      }),
      { numRuns: 15 },
    );
  });

  it('fills a block up to BLOCK_TEXT bytes, and gives a longer record a block of its own', async () => {
    const writer = new RecordBlockWriter();
    const small = 'x'.repeat(1_000);
    const places = Array.from({ length: 200 }, () => writer.keep(small));
    const long = writer.keep('y'.repeat(3 * BLOCK_TEXT));
    const after = writer.keep(small);
    const perBlock = Math.floor(BLOCK_TEXT / small.length);
    assert.deepEqual(places[perBlock - 1], [0, (perBlock - 1) * small.length, perBlock * small.length]);
    assert.deepEqual(places[perBlock], [1, 0, small.length], 'the next record starts the next block');
    const lastSmallBlock = places.at(-1)![0];
    assert.deepEqual(long, [lastSmallBlock + 1, 0, 3 * BLOCK_TEXT]);
    assert.deepEqual(after, [lastSmallBlock + 2, 0, small.length]);
    const data = await writer.pack(gzipSync(''));
    const opened = openSnapshotData(data);
    assert.ok(typeof opened !== 'string');
    assert.equal(opened.blocks!(lastSmallBlock + 1)!.bytes().length, 3 * BLOCK_TEXT);
    const expected = [...places.map(() => small), 'y'.repeat(3 * BLOCK_TEXT), small];
    const read = [...places, long, after].map(([block, start, end]) => text(opened.blocks!(block)!.bytes().subarray(start, end)));
    assert.ok(read.every((each, i) => each === expected[i]), 'every record read back from its place');
    // Each block compressed against the dictionary: without it, it does not decompress to its text.
    const layout = snapshotLayout(data);
    assert.ok(typeof layout === 'object');
    const first = layout.blocks[0]!;
    assert.notDeepEqual(tryInflate(data.subarray(first.start, first.end)), Buffer.from('x'.repeat(first.textBytes)));
    assert.equal(opened.blocks!(lastSmallBlock + 3), undefined, 'no block beyond the last');
    assert.equal(opened.blocks!(-1), undefined);
    assert.equal(opened.blocks!(0.5), undefined);
  });

  it('fails to pack, and to settle, when a block does not compress, with no rejection left unhandled', async () => {
    let calls = 0;
    const writer = new RecordBlockWriter(async () => {
      calls++;
      throw new Error('deflate failed');
    });
    // Past the dictionary's 32 KiB, so that blocks are given to the deflate, and past the four in flight.
    for (let i = 0; i < 12 * 16; i++) writer.keep('z'.repeat(1_000));
    assert.ok(calls > 4, `blocks given to compress: ${calls}`);
    await assert.rejects(writer.settle(), /deflate failed/);
    await assert.rejects(writer.pack(gzipSync('')), /deflate failed/);
  });

  it('gives one object for each block, and keeps the last four decompressed', async () => {
    const writer = new RecordBlockWriter();
    for (let n = 0; n < 2_000; n++) writer.keep(JSON.stringify({ n, pad: 'p'.repeat(500) }));
    const opened = openSnapshotData(await writer.pack(gzipSync('')));
    assert.ok(typeof opened !== 'string');
    const blocks = opened.blocks!;
    assert.ok(blocks(8), 'the test writes more blocks than are kept decompressed');
    assert.equal(blocks(2), blocks(2));
    const first = blocks(0)!.bytes();
    assert.equal(blocks(0)!.bytes(), first, 'decompressed once while among the last four');
    for (let block = 1; block <= 3; block++) blocks(block)!.bytes();
    assert.equal(blocks(0)!.bytes(), first, 'still among the last four decompressed');
    blocks(4)!.bytes();
    const again = blocks(0)!.bytes();
    assert.notEqual(again, first, 'let go after four others, and decompressed again');
    assert.deepEqual(Buffer.from(again), Buffer.from(first));
  });

  it('refuses to give a block that does not decompress to the length its list gives', async () => {
    const writer = new RecordBlockWriter();
    writer.keep('{"a":1}');
    const data = await writer.pack(gzipSync(''));
    const layout = snapshotLayout(data);
    assert.ok(typeof layout === 'object' && layout.blocks.length === 1);
    for (const listed of [6, 8]) {
      const edited = Buffer.from(data);
      // The first block's entry: its length, then its text's (the layout in record-blocks.ts).
      edited.writeUInt32BE(listed, 16 + 4);
      const opened = openSnapshotData(edited);
      assert.ok(typeof opened !== 'string');
      assert.throws(() => opened.blocks!(0)!.bytes(), listed < 7 ? /Cannot create a Buffer larger|RangeError|larger than/i : /block 0 holds 7 bytes of text, its list 8/);
    }
  });

  it('takes data written before records were kept apart as its lines alone', () => {
    const lines = gzipSync('["header"]\n');
    const opened = openSnapshotData(lines);
    assert.ok(typeof opened !== 'string');
    assert.equal(opened.lines, lines);
    assert.equal(opened.blocks, undefined);
    assert.equal(opened.recordTextBytes, 0);
  });

  it('refuses data whose layout does not add up', async () => {
    const writer = new RecordBlockWriter();
    writer.keep('{"a":1}');
    const data = await writer.pack(gzipSync('["header"]\n'));
    assert.match(String(openSnapshotData(data.subarray(0, 6))), /SNAPSHOT_SHAPE: its data ends within its layout/);
    const manyBlocks = Buffer.from(data);
    manyBlocks.writeUInt32BE(1_000_000, 8);
    assert.match(String(openSnapshotData(manyBlocks)), /SNAPSHOT_SHAPE: its data ends within its list of blocks/);
    assert.match(String(openSnapshotData(Buffer.concat([data, Buffer.from([1])]))), /SNAPSHOT_SHAPE: its dictionary, lines and blocks are \d+ bytes, its data \d+/);
    assert.match(String(openSnapshotData(data.subarray(0, data.length - 1))), /SNAPSHOT_SHAPE: its dictionary, lines and blocks are \d+ bytes, its data \d+/);
  });
});
