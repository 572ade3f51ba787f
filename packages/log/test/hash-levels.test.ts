import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CHUNK_HASHES, HashLevels, MerkleTree, STORED_LEVELS, toHex, type ChunkStore } from '../src/index.ts';

/** A chunk store in memory that copies what it is given, and counts its reads. */
class CountingStore implements ChunkStore {
  readonly chunks: Uint8Array[] = [];
  reads = 0;
  /** Chunks it was given, whether it took them or threw. */
  puts = 0;
  /** Puts taken before `put` throws, as a full disk would make it. */
  constructor(private readonly failAfter = Infinity) {}

  /** The buffers the bytes it was given were views of. */
  readonly givenBuffers: ArrayBufferLike[] = [];

  put(bytes: Uint8Array): number {
    this.puts++;
    this.givenBuffers.push(bytes.buffer);
    if (this.chunks.length >= this.failAfter) throw new Error('no space left on the device');
    this.chunks.push(bytes.slice());
    return this.chunks.length - 1;
  }

  read(place: number, offset: number, length: number): Uint8Array {
    this.reads++;
    return this.chunks[place]!.slice(offset, offset + length);
  }
}

const leaf = (i: number) => new TextEncoder().encode(`entry ${i}`);

/** Enough leaves that levels 0 to 2 have three chunks or more, the last one partial. */
const SIZE = 9 * CHUNK_HASHES - 215;

function grown(size: number, store?: ChunkStore, from = 0, tree = new MerkleTree(store)): MerkleTree {
  for (let i = from; i < size; i++) tree.append(leaf(i));
  return tree;
}

const hexes = (hashes: Uint8Array[]) => hashes.map(toHex);
const held = new MerkleTree();
grown(SIZE, undefined, 0, held);
const store = new CountingStore();
const stored = grown(SIZE, store);

test('a tree that keeps its chunks in a store has the roots, proofs, ranges and levels of one that keeps them in memory (property)', () => {
  const sizeAndIndex = fc.integer({ min: 1, max: SIZE }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
  fc.assert(
    fc.property(sizeAndIndex, fc.integer({ min: 0, max: 12 }), ([size, index], level) => {
      assert.equal(toHex(stored.root(size)), toHex(held.root(size)));
      assert.deepEqual(hexes((stored.inclusionProof(index, size) as { value: Uint8Array[] }).value), hexes((held.inclusionProof(index, size) as { value: Uint8Array[] }).value));
      assert.deepEqual(hexes((stored.consistencyProof(index, size) as { value: Uint8Array[] }).value), hexes((held.consistencyProof(index, size) as { value: Uint8Array[] }).value));
      assert.deepEqual(hexes((stored.rangeProof(index, size, size) as { value: Uint8Array[] }).value), hexes((held.rangeProof(index, size, size) as { value: Uint8Array[] }).value));
      assert.deepEqual(hexes(stored.levelBytesSince(index, size)), hexes(held.levelBytesSince(index, size)));
      assert.equal(toHex(stored.joinedLevelBytesSince(index, size)), toHex(new Uint8Array(Buffer.concat(held.levelBytesSince(index, size)))));
      // A range across chunks is its hashes one after another.
      const count = held.countAt(level);
      if (count === 0) return;
      const from = Math.min(index >> level, count - 1);
      const to = Math.min(count, from + 1 + (size % (3 * CHUNK_HASHES)));
      const pieces: Uint8Array[] = [];
      for (let at = from; at < to; at++) pieces.push(held.hashAt(level, at));
      assert.equal(toHex(stored.hashesAt(level, from, to)), toHex(new Uint8Array(Buffer.concat(pieces))));
    }),
    { numRuns: 300 },
  );
  assert.throws(() => stored.hashesAt(0, SIZE - 1, SIZE + 1), /no such complete subtrees/);
  assert.throws(() => stored.hashesAt(0, 5, 5), /no such complete subtrees/);
});

test('the store is given every full chunk of the levels below STORED_LEVELS but the last, and nothing of the levels above', () => {
  let expected = 0;
  for (let level = 0; level < STORED_LEVELS; level++) expected += Math.max(0, Math.ceil(held.countAt(level) / CHUNK_HASHES) - 2);
  assert.ok(expected >= 10, `the test's tree puts ${expected} chunks in the store`);
  assert.equal(store.chunks.length, expected);
  // Each is a whole chunk of some level, as the tree stored it.
  const chunks = new Set<string>();
  for (let level = 0; level < STORED_LEVELS; level++) {
    for (let from = 0; from + CHUNK_HASHES <= held.countAt(level); from += CHUNK_HASHES) chunks.add(toHex(held.hashesAt(level, from, from + CHUNK_HASHES)));
  }
  for (const chunk of store.chunks) assert.ok(chunks.has(toHex(chunk)), 'a stored chunk is a whole chunk of a level');
  // Four chunks at the highest level stored and at the one above it: two go to the store, of the first.
  const counted = new CountingStore();
  const bare = new HashLevels(counted);
  const fourChunks = new Uint8Array(4 * CHUNK_HASHES * 32).map((_, i) => i % 251);
  bare.pushBytes(STORED_LEVELS - 1, fourChunks);
  bare.pushBytes(STORED_LEVELS, fourChunks);
  assert.equal(counted.chunks.length, 2);
  assert.equal(toHex(bare.range(STORED_LEVELS - 1, 0, 4 * CHUNK_HASHES)), toHex(fourChunks));
});

test('appending, the root, and the proofs and tiles of the latest entries read nothing from the store; an old proof does', () => {
  const reading = new CountingStore();
  const tree = grown(SIZE, reading);
  assert.ok(reading.chunks.length > 0);
  tree.root();
  tree.inclusionProof(SIZE - 1);
  tree.consistencyProof(SIZE - 300, SIZE);
  tree.rootWith([tree.hashAt(0, SIZE - 1)]);
  tree.hashesAt(0, Math.floor((SIZE - 1) / 256) * 256, SIZE);
  grown(SIZE + 3 * CHUNK_HASHES, undefined, SIZE, tree);
  assert.equal(reading.reads, 0, 'nothing at the head was read from the store');
  assert.deepEqual(hexes((tree.inclusionProof(3) as { value: Uint8Array[] }).value), hexes((grown(SIZE + 3 * CHUNK_HASHES).inclusionProof(3) as { value: Uint8Array[] }).value));
  assert.ok(reading.reads > 0, 'the proof of an old entry was read from the store');
});

test('a store that fails is given no more chunks, and the tree goes on as one held in memory', () => {
  const failing = new CountingStore(2);
  const tree = grown(SIZE, failing);
  assert.equal(failing.chunks.length, 2);
  assert.equal(failing.puts, 3, 'given no chunk after the one it failed to take');
  assert.deepEqual(hexes(tree.levelBytes()), hexes(held.levelBytes()));
  assert.equal(toHex(tree.root()), toHex(held.root()));
});

test('a tree read whole into a store gives it the chunks appending gives it, from the bytes read; a store that fails midway leaves the rest in memory', () => {
  const bytes = new Uint8Array(Buffer.concat(held.levelBytes()));
  const into = new CountingStore();
  const read = MerkleTree.fromLevelBytes(SIZE, bytes, into);
  assert.ok(read.ok);
  assert.deepEqual(into.chunks.map(toHex).sort(), store.chunks.map(toHex).sort(), 'the chunks a tree grown by appends put in its store');
  for (const failAfter of [0, 1, 3]) {
    const failing = new CountingStore(failAfter);
    const partly = MerkleTree.fromLevelBytes(SIZE, bytes, failing);
    assert.ok(partly.ok);
    assert.equal(failing.chunks.length, failAfter);
    assert.equal(failing.puts, failAfter + 1, 'given no chunk after the one it failed to take');
    assert.deepEqual(hexes(partly.value.levelBytes()), hexes(held.levelBytes()));
    assert.equal(toHex(partly.value.root()), toHex(held.root()));
  }
});

test('full chunks pushed whole go to the store as views of the bytes pushed, all but the last two', () => {
  for (const full of [1, 2, 3, 4, 5]) {
    for (const extra of [0, 1]) {
      const source = new Uint8Array((full * CHUNK_HASHES + extra) * 32).map((_, i) => (i * 7 + full) % 251);
      const into = new CountingStore();
      const levels = new HashLevels(into);
      levels.pushBytes(0, source);
      // The last two chunks begun stay in memory: a partial one counts.
      const begun = full + extra;
      assert.equal(into.chunks.length, Math.max(0, begun - 2), `${full} full chunks and ${extra} more hashes`);
      assert.ok(into.givenBuffers.every((buffer) => buffer === source.buffer), 'each given as a view of the bytes pushed, not a copy');
      assert.equal(toHex(levels.range(0, 0, full * CHUNK_HASHES + extra)), toHex(source));
    }
  }
});

test('a tree read from pieces into a store is the tree it was stored from, and finds an edited hash past its first chunk', () => {
  const sizes = [CHUNK_HASHES + 5, 4 * CHUNK_HASHES, SIZE];
  const pieces = sizes.map((size, i) => ({ size, bytes: new Uint8Array(Buffer.concat(held.levelBytesSince(sizes[i - 1] ?? 0, size))) }));
  const into = new CountingStore();
  const read = MerkleTree.fromLevelPieces(pieces, into);
  assert.ok(read.ok);
  assert.ok(into.chunks.length > 0);
  assert.deepEqual(hexes(read.value.levelBytes()), hexes(held.levelBytes()));
  assert.equal(read.value.firstInconsistentNode(), undefined);
  // Level 1, hash 1,500: in the second chunk of its level; its children in the third chunk of level 0.
  const bytes = new Uint8Array(Buffer.concat(held.levelBytes()));
  const offset = held.levelBytes()[0]!.length + 1500 * 32 + 7;
  bytes[offset]! ^= 1;
  const edited = MerkleTree.fromLevelBytes(SIZE, bytes, new CountingStore());
  assert.ok(edited.ok);
  assert.deepEqual(edited.value.firstInconsistentNode(), { level: 1, index: 1500 });
});

test('ranges at chunk boundaries, and hashes pushed many at once into a partial chunk, are the hashes pushed', () => {
  const hash = (i: number) => new Uint8Array(32).fill(i % 251).map((byte, at) => (byte + at * 7 + (i >> 8)) % 256);
  const all = new Uint8Array(Buffer.concat(Array.from({ length: 5000 }, (_, i) => hash(i))));
  for (const store of [undefined, new CountingStore()]) {
    const levels = new HashLevels(store);
    // Ten one at a time, then 2,500 at once (over two chunk boundaries), then the rest at once.
    for (let i = 0; i < 10; i++) levels.pushBytes(0, hash(i));
    levels.pushBytes(0, all.subarray(10 * 32, 2510 * 32));
    levels.pushBytes(0, all.subarray(2510 * 32));
    assert.equal(levels.count(0), 5000);
    for (const [from, to] of [[0, 1024], [1024, 2048], [1023, 1025], [1000, 2048], [2048, 2049], [0, 5000], [4095, 5000], [7, 7]] as const) {
      assert.equal(toHex(levels.range(0, from, to)), toHex(all.subarray(from * 32, to * 32)), `${from} to ${to}`);
    }
  }
  assert.throws(() => new HashLevels().pushBytes(0, new Uint8Array(33)), /whole 32-byte hashes/);
});

test('a view the tree gave stays the same after its chunk grows and after it goes to the store', () => {
  const store = new CountingStore();
  const tree = grown(40, store);
  // In the first chunk of level 0, while it is 64 hashes long: it grows to 1,024, then goes to the store.
  const early = tree.hashesAt(0, 0, 40);
  const copy = early.slice();
  grown(40 + 4 * CHUNK_HASHES, undefined, 40, tree);
  assert.ok(store.chunks.length > 0);
  assert.equal(toHex(early), toHex(copy));
  assert.equal(toHex(tree.hashesAt(0, 0, 40)), toHex(copy));
});

test('firstDifferentLeaf finds the first leaf hash given that is not the tree\'s, across chunks of the store', () => {
  const leaves = Array.from({ length: 3 * CHUNK_HASHES }, (_, i) => stored.hashAt(0, 1000 + i).slice());
  assert.equal(stored.firstDifferentLeaf(1000, leaves), -1);
  assert.equal(stored.firstDifferentLeaf(1000, []), -1);
  const edited = leaves.map((hash, i) => (i === 2500 ? hash.map((byte, at) => (at === 9 ? byte ^ 1 : byte)) : hash));
  assert.equal(stored.firstDifferentLeaf(1000, edited), 2500);
  assert.throws(() => stored.firstDifferentLeaf(SIZE - 1, leaves.slice(0, 2)), /no such complete subtrees/);
});
