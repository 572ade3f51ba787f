import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { BLOCK_TEXT, openSnapshotData, RecordBlockWriter } from '../src/replay/record-blocks.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('a snapshot with its records kept apart in blocks', () => {
  it('gives back each record text at its place, and the lines as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 3_000 }), { maxLength: 120 }), async (records) => {
        const writer = new RecordBlockWriter();
        const places = records.map((record) => writer.keep(record));
        const lines = gzipSync('["header"]\n');
        const opened = openSnapshotData(await writer.pack(lines));
        assert.ok(typeof opened !== 'string', String(opened));
        assert.deepEqual(Buffer.from(opened.lines), lines);
        for (const [i, [block, start, end]] of places.entries()) assert.equal(text(opened.blocks!(block)!.bytes().subarray(start, end)), records[i]);
        assert.equal(writer.textBytes, records.reduce((sum, record) => sum + Buffer.byteLength(record), 0));
      }),
      { numRuns: 60 },
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
    const opened = openSnapshotData(await writer.pack(gzipSync('')));
    assert.ok(typeof opened !== 'string');
    assert.equal(opened.blocks!(lastSmallBlock + 1)!.bytes().length, 3 * BLOCK_TEXT);
    assert.equal(opened.blocks!(lastSmallBlock + 3), undefined, 'no block beyond the last');
    assert.equal(opened.blocks!(-1), undefined);
    assert.equal(opened.blocks!(0.5), undefined);
  });

  it('gives one object for each block, whose bytes are the same once decompressed', async () => {
    const writer = new RecordBlockWriter();
    for (let n = 0; n < 400; n++) writer.keep(JSON.stringify({ n, pad: 'p'.repeat(500) }));
    const opened = openSnapshotData(await writer.pack(gzipSync('')));
    assert.ok(typeof opened !== 'string');
    assert.equal(opened.blocks!(2), opened.blocks!(2));
    assert.deepEqual(opened.blocks!(2)!.bytes(), opened.blocks!(2)!.bytes());
    // Read far apart, then again: a block no longer among the recent ones is decompressed again, the same.
    const first = Buffer.from(opened.blocks!(0)!.bytes());
    for (let block = 1; opened.blocks!(block); block++) opened.blocks!(block)!.bytes();
    assert.deepEqual(Buffer.from(opened.blocks!(0)!.bytes()), first);
  });

  it('takes data written before records were kept apart as its lines alone', () => {
    const lines = gzipSync('["header"]\n');
    const opened = openSnapshotData(lines);
    assert.ok(typeof opened !== 'string');
    assert.equal(opened.lines, lines);
    assert.equal(opened.blocks, undefined);
  });

  it('refuses data whose layout does not add up', async () => {
    const writer = new RecordBlockWriter();
    writer.keep('{"a":1}');
    const data = await writer.pack(gzipSync('["header"]\n'));
    assert.match(String(openSnapshotData(data.subarray(0, 6))), /SNAPSHOT_SHAPE: its data ends within its layout/);
    const manyBlocks = Buffer.from(data);
    manyBlocks.writeUInt32BE(1_000_000, 8);
    assert.match(String(openSnapshotData(manyBlocks)), /SNAPSHOT_SHAPE: its data ends within its list of blocks/);
    assert.match(String(openSnapshotData(Buffer.concat([data, Buffer.from([1])]))), /SNAPSHOT_SHAPE: its lines and blocks are \d+ bytes, its data \d+/);
    assert.match(String(openSnapshotData(data.subarray(0, data.length - 1))), /SNAPSHOT_SHAPE: its lines and blocks are \d+ bytes, its data \d+/);
  });
});
