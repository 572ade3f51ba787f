import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { bytesEqual, EMPTY_ROOT, fromBase64, fromHex, leafHash, MerkleTree, rootFromRangeProof, toHex, verifyConsistency, verifyInclusion, type Hash } from '../src/index.ts';

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8'));
const hex = (text: string): Hash => fromHex(text) ?? assert.fail(`bad hex ${text}`);
const b64 = (text: string): Hash => fromBase64(text) ?? assert.fail(`bad base64 ${text}`);

const reference = vectors('rfc6962-reference.json');
const referenceTree = new MerkleTree();
for (const leaf of reference.leaves as string[]) referenceTree.append(hex(leaf));

test('RFC 6962 reference roots at every size, and the empty root', () => {
  assert.equal(toHex(EMPTY_ROOT), reference.emptyRoot);
  assert.equal(toHex(new MerkleTree().root()), reference.emptyRoot);
  (reference.roots as string[]).forEach((root, i) => assert.equal(toHex(referenceTree.root(i + 1)), root, `root at size ${i + 1}`));
});

test('RFC 6962 reference inclusion proofs are generated and verified', () => {
  for (const v of reference.inclusion as { index: number; size: number; proof: string[] }[]) {
    const proof = referenceTree.inclusionProof(v.index, v.size);
    assert.ok(proof.ok);
    assert.deepEqual(proof.value.map(toHex), v.proof, `proof ${v.index}/${v.size}`);
    const leaf = leafHash(hex(reference.leaves[v.index]));
    const root = hex(reference.roots[v.size - 1]);
    assert.ok(verifyInclusion(v.index, v.size, leaf, v.proof.map(hex), root).ok);
  }
});

test('RFC 6962 reference consistency proofs, including the power-of-two old sizes 1 and 2', () => {
  for (const v of reference.consistency as { size1: number; size2: number; proof: string[] }[]) {
    const proof = referenceTree.consistencyProof(v.size1, v.size2);
    assert.ok(proof.ok);
    assert.deepEqual(proof.value.map(toHex), v.proof, `proof ${v.size1}→${v.size2}`);
    const result = verifyConsistency(v.size1, v.size2, v.proof.map(hex), hex(reference.roots[v.size1 - 1]), hex(reference.roots[v.size2 - 1]));
    assert.ok(result.ok, `${v.size1}→${v.size2}: ${result.ok ? '' : result.error.message}`);
  }
});

test('transparency-dev/merkle testdata cases give the published verdicts', () => {
  const data = vectors('merkle-testdata.json');
  for (const c of data.inclusion) {
    const result = verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), c.proof.map(b64), b64(c.root));
    assert.equal(!result.ok, c.wantErr, c.file);
  }
  for (const c of data.consistency) {
    const result = verifyConsistency(c.size1, c.size2, c.proof.map(b64), b64(c.root1), b64(c.root2));
    assert.equal(!result.ok, c.wantErr, c.file);
  }
});

test('a verifier without the power-of-two step would reject 2→5: the step is exercised', () => {
  // With size1 = 2 the proof omits the old root; RFC 9162 §2.1.4.2 step 2 prepends it.
  const v = (reference.consistency as { size1: number; size2: number; proof: string[] }[]).find((c) => c.size1 === 2);
  assert.ok(v);
  assert.equal(v.proof.length, 2);
  assert.ok(verifyConsistency(2, 5, v.proof.map(hex), hex(reference.roots[1]), hex(reference.roots[4])).ok);
});

test('edge cases: equal sizes, size 0, reversed sizes, out-of-range index', () => {
  const r = referenceTree.root(3);
  assert.ok(verifyConsistency(3, 3, [], r, r).ok);
  assert.equal(verifyConsistency(3, 3, [], r, referenceTree.root(4)).ok, false);
  assert.equal(verifyConsistency(3, 3, [r], r, r).ok, false);
  assert.ok(verifyConsistency(0, 5, [], EMPTY_ROOT, referenceTree.root(5)).ok);
  const reversed = verifyConsistency(5, 3, [], r, r);
  assert.equal(reversed.ok ? '' : reversed.error.code, 'PROOF_SIZE_ORDER');
  const out = verifyInclusion(8, 8, r, [], r);
  assert.equal(out.ok ? '' : out.error.code, 'PROOF_INDEX_OUT_OF_RANGE');
  assert.equal(referenceTree.inclusionProof(8, 8).ok, false);
  assert.equal(referenceTree.consistencyProof(5, 3).ok, false);
});

// Property tests: proofs of a tree of up to 300 leaves (bounded) always verify, and any
// single-bit change, truncation, extension or shifted size makes them fail.
const sizeAndIndex = fc.integer({ min: 1, max: 300 }).chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }));
const bigTree = new MerkleTree();
for (let i = 0; i < 300; i++) bigTree.append(Uint8Array.of(i % 256, i >> 8));

function flip(proof: Hash[], at: number, bit: number): Hash[] {
  return proof.map((hash, i) => {
    if (i !== at) return hash;
    const copy = hash.slice();
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    return copy;
  });
}

test('property: every inclusion proof verifies and every mutation fails', () => {
  fc.assert(
    fc.property(sizeAndIndex, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size, index }, pick, bit) => {
      const proof = bigTree.inclusionProof(index, size);
      assert.ok(proof.ok);
      const leaf = bigTree.hashAt(0, index);
      const root = bigTree.root(size);
      assert.ok(verifyInclusion(index, size, leaf, proof.value, root).ok);
      if (proof.value.length > 0) {
        assert.equal(verifyInclusion(index, size, leaf, flip(proof.value, pick % proof.value.length, bit), root).ok, false);
        assert.equal(verifyInclusion(index, size, leaf, proof.value.slice(1), root).ok, false);
      }
      assert.equal(verifyInclusion(index, size, leaf, [...proof.value, root], root).ok, false);
      const other = (index + 1 + (pick % Math.max(1, size - 1))) % size;
      if (other !== index) assert.equal(verifyInclusion(other, size, leaf, proof.value, root).ok, false);
    }),
    { numRuns: 300 },
  );
});

test('property: every consistency proof verifies and every mutation fails', () => {
  const sizes = fc.integer({ min: 1, max: 300 }).chain((size2) => fc.record({ size2: fc.constant(size2), size1: fc.integer({ min: 1, max: size2 }) }));
  fc.assert(
    fc.property(sizes, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size1, size2 }, pick, bit) => {
      const proof = bigTree.consistencyProof(size1, size2);
      assert.ok(proof.ok);
      const root1 = bigTree.root(size1);
      const root2 = bigTree.root(size2);
      assert.ok(verifyConsistency(size1, size2, proof.value, root1, root2).ok);
      if (size1 === size2) return;
      assert.ok(proof.value.length > 0);
      assert.equal(verifyConsistency(size1, size2, flip(proof.value, pick % proof.value.length, bit), root1, root2).ok, false);
      assert.equal(verifyConsistency(size1, size2, proof.value.slice(0, -1), root1, root2).ok, false);
      assert.equal(verifyConsistency(size1, size2, [...proof.value, root1], root1, root2).ok, false);
      assert.equal(verifyConsistency(size1, size2, proof.value, root2, root1).ok, false);
      if (size1 > 1) assert.equal(verifyConsistency(size1 - 1, size2, proof.value, root1, root2).ok, false);
    }),
    { numRuns: 300 },
  );
});

test('property: every range proof recomputes the root, uses at most two hashes a level, and every mutation fails', () => {
  const ranges = fc.integer({ min: 1, max: 300 }).chain((size) =>
    fc.integer({ min: 0, max: size - 1 }).chain((from) => fc.record({ size: fc.constant(size), from: fc.constant(from), to: fc.integer({ min: from + 1, max: size }) })),
  );
  fc.assert(
    fc.property(ranges, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size, from, to }, pick, bit) => {
      const proof = bigTree.rangeProof(from, to, size);
      assert.ok(proof.ok);
      assert.ok(proof.value.length <= 2 * Math.ceil(Math.log2(size + 1)), `${proof.value.length} hashes for ${from}..${to} of ${size}`);
      const leaves = Array.from({ length: to - from }, (_, i) => bigTree.hashAt(0, from + i));
      const root = bigTree.root(size);
      const computed = rootFromRangeProof(from, size, leaves, proof.value);
      assert.ok(computed.ok && bytesEqual(computed.value, root));
      const differs = (result: ReturnType<typeof rootFromRangeProof>) => !result.ok || !bytesEqual(result.value, root);
      if (proof.value.length > 0) {
        assert.ok(differs(rootFromRangeProof(from, size, leaves, flip(proof.value, pick % proof.value.length, bit))), 'a changed hash');
        assert.ok(differs(rootFromRangeProof(from, size, leaves, proof.value.slice(1))), 'a hash missing');
      }
      assert.ok(differs(rootFromRangeProof(from, size, leaves, [...proof.value, root])), 'a hash too many');
      assert.ok(differs(rootFromRangeProof(from, size, flip(leaves, pick % leaves.length, bit), proof.value)), 'a changed entry');
      if (leaves.length > 1) assert.ok(differs(rootFromRangeProof(from, size, leaves.slice(0, -1), proof.value)), 'an entry dropped from the end');
      if (leaves.length > 1) assert.ok(differs(rootFromRangeProof(from, size, [...leaves.slice(0, pick % leaves.length), ...leaves.slice((pick % leaves.length) + 1)], proof.value)), 'an entry dropped from the middle');
    }),
    { numRuns: 300 },
  );
});

test('a range proof of one leaf is its audit path, in the order of the recursion', () => {
  for (const [index, size] of [[0, 1], [5, 8], [6, 7], [299, 300], [128, 300]] as const) {
    const range = bigTree.rangeProof(index, index + 1, size);
    const path = bigTree.inclusionProof(index, size);
    assert.ok(range.ok && path.ok);
    assert.deepEqual(range.value.map(toHex).sort(), path.value.map(toHex).sort(), `${index} of ${size}`);
  }
});

test('a tree read back from the levels it stored at a size has the roots and proofs of the tree it came from, and grows alike', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 80 }), (at, extra, more) => {
      const leaf = (i: number) => new TextEncoder().encode(`leaf ${i}`);
      const original = new MerkleTree();
      for (let i = 0; i < at + extra; i++) original.append(leaf(i));
      // Taken at `at` while the tree is already larger: what a tree of that size stored never changes.
      const bytes = new Uint8Array(Buffer.concat(original.levelBytes(at)));
      const read = MerkleTree.fromLevelBytes(at, bytes);
      assert.ok(read.ok);
      const copy = read.value;
      assert.equal(copy.size, at);
      if (at > 0) {
        assert.ok(bytesEqual(copy.root(), original.root(at)));
        const index = Math.floor(at / 2);
        assert.deepEqual(copy.inclusionProof(index), original.inclusionProof(index, at));
        assert.deepEqual(copy.consistencyProof(Math.max(1, index), at), original.consistencyProof(Math.max(1, index), at));
      }
      for (let i = at; i < at + more; i++) copy.append(leaf(i));
      const grown = new MerkleTree();
      for (let i = 0; i < at + more; i++) grown.append(leaf(i));
      assert.ok(bytesEqual(copy.root(), grown.root()));
      assert.deepEqual(copy.levelBytes().map(toHex), grown.levelBytes().map(toHex));
    }),
    { numRuns: 150 },
  );
});

test('stored levels of the wrong length for their size are refused with a stable code', () => {
  const tree = new MerkleTree();
  for (let i = 0; i < 10; i++) tree.append(new Uint8Array([i]));
  const bytes = new Uint8Array(Buffer.concat(tree.levelBytes()));
  // 10 leaves store 10 + 5 + 2 + 1 hashes.
  assert.equal(bytes.length, 18 * 32);
  for (const [size, given] of [[10, bytes.subarray(0, bytes.length - 32)], [11, bytes], [9, bytes], [-1, bytes], [1.5, bytes]] as const) {
    const read = MerkleTree.fromLevelBytes(size, given);
    assert.equal(read.ok, false, `size ${size}, ${given.length} bytes`);
    if (!read.ok) assert.equal(read.error.code, 'TREE_LEVELS_INVALID');
  }
  for (const size of [-1, 1.5, Number.NaN]) {
    const read = MerkleTree.fromLevelBytes(size, new Uint8Array());
    assert.ok(!read.ok && read.error.code === 'TREE_LEVELS_INVALID' && /whole number/.test(read.error.message), `size ${size}`);
  }
  const empty = MerkleTree.fromLevelBytes(0, new Uint8Array());
  assert.ok(empty.ok && empty.value.size === 0 && bytesEqual(empty.value.root(), EMPTY_ROOT));
  assert.throws(() => tree.levelBytes(11), /tree has 10 leaves/);
});

test('the views levelBytes gives still hold the tree of that size after the tree grows past its buffers (a snapshot concatenates them later)', () => {
  const leaf = (i: number) => new TextEncoder().encode(`leaf ${i}`);
  const tree = new MerkleTree();
  for (let i = 0; i < 100; i++) tree.append(leaf(i));
  const views = tree.levelBytes();
  // Far past the buffers' capacity: every level is copied to a larger buffer on the way.
  for (let i = 100; i < 5_000; i++) tree.append(leaf(i));
  const reference = new MerkleTree();
  for (let i = 0; i < 100; i++) reference.append(leaf(i));
  assert.equal(toHex(new Uint8Array(Buffer.concat(views))), toHex(new Uint8Array(Buffer.concat(reference.levelBytes()))));
});

test('a tree read from pieces (levelBytesSince each size before) is the tree read whole, and a piece of the wrong length is refused', () => {
  const leaf = (i: number) => new TextEncoder().encode(`leaf ${i}`);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 }), (steps) => {
      const sizes = steps.reduce<number[]>((out, step) => [...out, (out[out.length - 1] ?? 0) + step], []);
      const end = sizes[sizes.length - 1]!;
      const tree = new MerkleTree();
      for (let i = 0; i < end + 3; i++) tree.append(leaf(i));
      const pieces = sizes.map((size, i) => ({ size, bytes: new Uint8Array(Buffer.concat(tree.levelBytesSince(sizes[i - 1] ?? 0, size))) }));
      const read = MerkleTree.fromLevelPieces(pieces);
      assert.ok(read.ok, read.ok ? '' : read.error.message);
      assert.deepEqual(read.value.levelBytes().map(toHex), tree.levelBytes(end).map(toHex));
      if (end > 0) assert.ok(bytesEqual(read.value.root(), tree.root(end)));
      const last = pieces[pieces.length - 1]!;
      if (last.bytes.length > 0) {
        const short = MerkleTree.fromLevelPieces([...pieces.slice(0, -1), { size: last.size, bytes: last.bytes.subarray(32) }]);
        assert.ok(!short.ok && short.error.code === 'TREE_LEVELS_INVALID');
      }
      if (pieces.length > 1 && pieces[0]!.size > 0) {
        const backwards = MerkleTree.fromLevelPieces([pieces[0]!, { size: pieces[0]!.size - 1, bytes: new Uint8Array() }]);
        assert.ok(!backwards.ok && backwards.error.code === 'TREE_LEVELS_INVALID');
      }
    }),
    { numRuns: 150 },
  );
});

test('firstInconsistentNode finds a stored hash that is not its children\'s, at any level', () => {
  const leaf = (i: number) => new TextEncoder().encode(`leaf ${i}`);
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat({ max: 31 }), (size, pick, byte) => {
      const tree = new MerkleTree();
      for (let i = 0; i < size; i++) tree.append(leaf(i));
      const levels = tree.levelBytes();
      const bytes = new Uint8Array(Buffer.concat(levels));
      const sound = MerkleTree.fromLevelBytes(size, bytes);
      assert.ok(sound.ok && sound.value.firstInconsistentNode() === undefined);
      // A hash of an inner level (1 and up), or a leaf under a complete pair: its check, or its parent's, fails.
      const level = 1 + (pick % (levels.length - 1));
      const index = Math.floor(pick / levels.length) % (levels[level]!.length / 32);
      const offset = levels.slice(0, level).reduce((sum, each) => sum + each.length, 0) + index * 32 + byte;
      const edited = bytes.slice();
      edited[offset]! ^= 1;
      const read = MerkleTree.fromLevelBytes(size, edited);
      assert.ok(read.ok);
      assert.deepEqual(read.value.firstInconsistentNode(), { level, index });
      const leafEdited = bytes.slice();
      leafEdited[(pick % (levels[1]!.length / 32)) * 64 + byte]! ^= 1;
      const leafRead = MerkleTree.fromLevelBytes(size, leafEdited);
      assert.ok(leafRead.ok);
      assert.deepEqual(leafRead.value.firstInconsistentNode(), { level: 1, index: pick % (levels[1]!.length / 32) });
    }),
    { numRuns: 150 },
  );
});

test('rootWith gives the root appending would give, and leaves the tree as it was (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 300 }), (base, more) => {
      const tree = new MerkleTree();
      for (let i = 0; i < base; i++) tree.append(new Uint8Array([i & 0xff, i >> 8]));
      const extra = Array.from({ length: more }, (_, i) => leafHash(new Uint8Array([7, i & 0xff, i >> 8])));
      const before = tree.root();
      const predicted = tree.rootWith(extra);
      assert.equal(tree.size, base, 'nothing appended');
      assert.equal(toHex(tree.root()), toHex(before), 'the root unchanged');
      const grown = new MerkleTree();
      for (let i = 0; i < base; i++) grown.append(new Uint8Array([i & 0xff, i >> 8]));
      for (const hash of extra) grown.appendLeafHash(hash);
      assert.equal(toHex(predicted), toHex(grown.root()), `root of ${base} + ${more} leaves`);
    }),
    { numRuns: 150 },
  );
  // One leaf changed, dropped or moved gives another root: what the mirror's check relies on.
  const tree = new MerkleTree();
  for (let i = 0; i < 37; i++) tree.append(new Uint8Array([i]));
  const extra = Array.from({ length: 5 }, (_, i) => leafHash(new Uint8Array([100 + i])));
  const right = toHex(tree.rootWith(extra));
  assert.notEqual(toHex(tree.rootWith(extra.slice(0, 4))), right);
  assert.notEqual(toHex(tree.rootWith([extra[1]!, extra[0]!, ...extra.slice(2)])), right);
  assert.notEqual(toHex(tree.rootWith([...extra.slice(0, 4), leafHash(new Uint8Array([1]))])), right);
  assert.throws(() => tree.rootWith([new Uint8Array(31)]), /32-byte leaf hashes/);
});
