import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addSignatureLines, cosign, decodeBundle, makeTlogProof, encodeTileIndex, entriesPath, formatCheckpoint, formatPolicy, formatTlogProof, MerkleTree, parsePolicy,
  parseTlogProof, signCheckpoint, tilePath, TileReader, toHex, treatyOrigin, verifierOf, verifyConsistency, verifyInclusion, verifyTlogProof, writeTiles,
} from '../src/index.ts';
import { logSigner, witnessSigner } from './helpers.ts';

test('tile paths follow tlog-tiles: x001/x234/067 and .p/<W>', () => {
  assert.equal(encodeTileIndex(1234067), 'x001/x234/067');
  assert.equal(encodeTileIndex(0), '000');
  assert.equal(encodeTileIndex(1000), 'x001/000');
  assert.equal(tilePath(0, 1234067), 'tile/0/x001/x234/067');
  assert.equal(tilePath(2, 5, 17), 'tile/2/005.p/17');
  assert.equal(entriesPath(3, 1), 'tile/entries/003.p/1');
});

const entries = Array.from({ length: 70_000 }, (_, i) => new TextEncoder().encode(`entry ${i}`));
const tree = new MerkleTree();
for (const entry of entries) tree.append(entry);
const files = writeTiles(tree, (i) => entries[i] as Uint8Array);

test('the spec\'s example: a tree of 70,000 has 273 full + 1 partial (112) level-0 tiles, 1 full + 1 partial (17) level-1, 1 partial (1) level-2', () => {
  const paths = [...files.keys()];
  assert.equal(paths.filter((p) => /^tile\/0\/[^.]*$/.test(p)).length, 273);
  assert.ok(files.has('tile/0/273.p/112'));
  assert.ok(files.has('tile/1/000'));
  assert.ok(files.has('tile/1/001.p/17'));
  assert.ok(files.has('tile/2/000.p/1'));
  assert.equal(paths.filter((p) => p.startsWith('tile/entries/')).length, 274);
  const bundle = decodeBundle(files.get('tile/entries/273.p/112') as Uint8Array, 112);
  assert.ok(bundle.ok);
  assert.equal(new TextDecoder().decode(bundle.value[0]), 'entry 69888');
});

test('a tree of 256 has one full level-0 tile and a partial level-1 tile of width 1', () => {
  const small = new MerkleTree();
  for (let i = 0; i < 256; i++) small.append(Uint8Array.of(i));
  const out = writeTiles(small, (i) => Uint8Array.of(i));
  assert.deepEqual([...out.keys()].sort(), ['tile/0/000', 'tile/1/000.p/1', 'tile/entries/000']);
});

test('property: roots and proofs computed from tiles alone equal the tree\'s and verify', () => {
  const reader = new TileReader((path) => files.get(path), tree.size);
  const root = reader.root();
  assert.ok(root.ok);
  assert.equal(toHex(root.value), toHex(tree.root()));
  fc.assert(
    fc.property(fc.integer({ min: 1, max: tree.size }), fc.nat(), (size, seed) => {
      const index = seed % size;
      // Tiles for `size` exist only at the published size; use the full size's tiles for proofs to any size.
      const proof = reader.inclusionProof(index, size);
      assert.ok(proof.ok);
      assert.ok(verifyInclusion(index, size, tree.hashAt(0, index), proof.value, tree.root(size)).ok);
      const old = 1 + (seed % size);
      const consistency = reader.consistencyProof(old, tree.size);
      assert.ok(consistency.ok);
      assert.ok(verifyConsistency(old, tree.size, consistency.value, tree.root(old), tree.root()).ok);
    }),
    { numRuns: 100 },
  );
});

test('the reader checks entries against the level-0 tile, and reports missing or short tiles', () => {
  const reader = new TileReader((path) => files.get(path), tree.size);
  const bundle = reader.entries(273);
  assert.ok(bundle.ok);
  assert.equal(bundle.value.length, 112);
  const tampered = new Map(files);
  const bytes = (files.get('tile/entries/005') as Uint8Array).slice();
  bytes[10] = (bytes[10] as number) ^ 1;
  tampered.set('tile/entries/005', bytes);
  const bad = new TileReader((path) => tampered.get(path), tree.size).entries(5);
  assert.equal(bad.ok ? '' : bad.error.code, 'ENTRY_HASH_MISMATCH');
  const missing = new TileReader(() => undefined, tree.size).root();
  assert.equal(missing.ok ? '' : missing.error.code, 'TILE_MISSING');
  const short = new TileReader((path) => (path === 'tile/2/000.p/1' ? new Uint8Array(5) : files.get(path)), tree.size).root();
  assert.equal(short.ok ? '' : short.error.code, 'TILE_MALFORMED');
});

test('incremental writes: only new tiles and the new partial ones', () => {
  const small = new MerkleTree();
  for (let i = 0; i < 600; i++) small.append(Uint8Array.of(i % 256));
  const later = writeTiles(small, (i) => Uint8Array.of(i % 256), 520);
  assert.deepEqual([...later.keys()].sort(), ['tile/0/002.p/88', 'tile/1/000.p/2', 'tile/entries/002.p/88']);
});

test('tlog-proof@v1: produced for an entry from tiles and verified offline against a policy', () => {
  const origin = treatyOrigin('us-ru-2021');
  const log = logSigner(origin);
  const witnesses = ['US', 'RU', 'CH'].map(witnessSigner);
  const policy = parsePolicy(formatPolicy({ logs: [{ key: verifierOf(log) }], witnesses: witnesses.map((w) => ({ name: w.name, key: verifierOf(w) })), groups: [{ name: 'q', threshold: 3, members: ['US', 'RU', 'CH'] }], quorum: 'q' }));
  assert.ok(policy.ok);
  const checkpoint = { origin, size: tree.size, root: tree.root() };
  const signed = signCheckpoint(checkpoint, log);
  assert.ok(signed.ok);
  const note = addSignatureLines(signed.value, witnesses.map((w) => cosign(formatCheckpoint(checkpoint), w, 1_700_000_000)));
  const reader = new TileReader((path) => files.get(path), tree.size);
  const path = reader.inclusionProof(12345);
  assert.ok(path.ok);
  const text = formatTlogProof({ index: 12345, proof: path.value, note, extra: Uint8Array.of(1, 2, 3) });
  assert.ok(text.startsWith('c2sp.org/tlog-proof@v1\nextra AQID\nindex 12345\n'));
  const parsed = parseTlogProof(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.proof.length, path.value.length);
  const verified = verifyTlogProof(text, entries[12345] as Uint8Array, policy.value, 'RU');
  assert.ok(verified.ok, verified.ok ? '' : verified.error.message);
  const made = makeTlogProof(reader, 12345, note, Uint8Array.of(1, 2, 3));
  assert.equal(made.ok ? made.value : '', text);
  const fromTree = makeTlogProof(tree, 12345, note, Uint8Array.of(1, 2, 3));
  assert.equal(fromTree.ok ? fromTree.value : '', text);
  const wrongEntry = verifyTlogProof(text, entries[12346] as Uint8Array, policy.value, 'RU');
  assert.equal(wrongEntry.ok ? '' : wrongEntry.error.code, 'ROOT_MISMATCH');
  const noWitness = verifyTlogProof(text.replace(/\u2014 CH .*\n/, ''), entries[12345] as Uint8Array, policy.value, 'CH');
  assert.equal(noWitness.ok ? '' : noWitness.error.code, 'CHECKPOINT_OWN_WITNESS_MISSING');
});
