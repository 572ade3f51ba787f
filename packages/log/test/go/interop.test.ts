import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addSignatureLines, cosign, formatCheckpoint, formatSignerKey, formatVerifierKey, fromBase64, MerkleTree, openNote, parseVerifierKey, signCheckpoint,
  toBase64, treatyOrigin, verifierOf, verifyConsistency, verifyInclusion, type Hash,
} from '../../src/index.ts';
import { logSigner, witnessSigner } from '../helpers.ts';
import { requireOrSkip } from '../require.ts';
import { buildInterop, goMissing, runInterop } from './go-interop.ts';

interface TreeReply {
  roots: string[];
  inclusion: string[][];
  consistency: string[][];
  inclusionValid: boolean[];
  consistencyValid: boolean[];
}
interface NoteReply {
  ok: boolean;
  error?: string;
  text?: string;
  verified?: string[];
  unknown: number;
  note?: string;
}

const missing = goMissing();
let binary = '';
let cleanup = () => {};
before(() => {
  if (missing) return;
  ({ binary, cleanup } = buildInterop());
});
after(() => cleanup());

const b64 = (text: string): Hash => fromBase64(text) ?? assert.fail(`not base64: ${text}`);

test('Go tlog computes our roots and proofs, accepts ours, and we accept Go\'s', (t) => {
  if (!requireOrSkip(t, missing)) return;
  const leaves = Array.from({ length: 300 }, (_, i) => new TextEncoder().encode(`leaf-${i}-${'x'.repeat(i % 7)}`));
  const tree = new MerkleTree();
  for (const leaf of leaves) tree.append(leaf);
  const pairs: [number, number][] = [[0, 1], [0, 2], [1, 3], [5, 8], [6, 7], [100, 257], [255, 256], [256, 300], [299, 300], [17, 129]];
  const proofs = (f: (a: number, b: number) => { ok: boolean; value?: Hash[] }) => pairs.map(([a, b]) => {
    const r = f(a, b);
    assert.ok(r.ok);
    return (r.value as Hash[]).map(toBase64);
  });
  const ourInclusion = proofs((i, n) => tree.inclusionProof(i, n));
  const consistencyPairs: [number, number][] = [[1, 2], [1, 8], [2, 5], [4, 7], [6, 8], [100, 257], [128, 300], [256, 300], [299, 300], [3, 3]];
  const ourConsistency = consistencyPairs.map(([m, n]) => {
    const r = tree.consistencyProof(m, n);
    assert.ok(r.ok);
    return r.value.map(toBase64);
  });
  const reply = runInterop<TreeReply>(binary, ['tree'], {
    leaves: leaves.map(toBase64),
    inclusion: pairs.map(([index, size], k) => ({ index, size, proof: ourInclusion[k] })),
    consistency: consistencyPairs.map(([index, size], k) => ({ index, size, proof: ourConsistency[k] })),
  });
  reply.roots.forEach((root, i) => assert.equal(root, toBase64(tree.root(i + 1)), `root at size ${i + 1}`));
  assert.deepEqual(reply.inclusion, ourInclusion);
  // Go's ProveTree between equal sizes returns an empty proof, as ours does.
  assert.deepEqual(reply.consistency.map((p) => p ?? []), ourConsistency);
  assert.ok(reply.inclusionValid.every(Boolean), `Go rejected our inclusion proofs: ${reply.inclusionValid}`);
  assert.ok(reply.consistencyValid.every(Boolean), `Go rejected our consistency proofs: ${reply.consistencyValid}`);
  // And our verifier accepts every proof Go produced.
  pairs.forEach(([index, size], k) => assert.ok(verifyInclusion(index, size, tree.hashAt(0, index), (reply.inclusion[k] ?? []).map(b64), tree.root(size)).ok));
  consistencyPairs.forEach(([m, n], k) => assert.ok(verifyConsistency(m, n, (reply.consistency[k] ?? []).map(b64), tree.root(m), tree.root(n)).ok));
  // A corrupted proof of ours is rejected by Go too: the comparison is not vacuous.
  const corrupted = ourInclusion[3]?.map((h, i) => (i === 0 ? toBase64(b64(h).map((b) => b ^ 1)) : h));
  const rejected = runInterop<TreeReply>(binary, ['tree'], { leaves: leaves.map(toBase64), inclusion: [{ index: 5, size: 8, proof: corrupted }], consistency: [] });
  assert.deepEqual(rejected.inclusionValid, [false]);
});

test('Go note verifies our cosigned checkpoint (ignoring cosignatures) and rejects a tampered one', (t) => {
  if (!requireOrSkip(t, missing)) return;
  const origin = treatyOrigin('us-ru-2021');
  const log = logSigner(origin);
  const tree = new MerkleTree();
  for (let i = 0; i < 21; i++) tree.append(Uint8Array.of(i));
  const checkpoint = { origin, size: tree.size, root: tree.root() };
  const signed = signCheckpoint(checkpoint, log);
  assert.ok(signed.ok);
  const note = addSignatureLines(signed.value, ['US', 'RU', 'CH'].map((name) => cosign(formatCheckpoint(checkpoint), witnessSigner(name), 1_700_000_000)));
  const reply = runInterop<NoteReply>(binary, ['note-open'], { note, vkeys: [formatVerifierKey(verifierOf(log))] });
  assert.ok(reply.ok, reply.error);
  assert.equal(reply.text, formatCheckpoint(checkpoint));
  assert.deepEqual(reply.verified, [origin]);
  assert.equal(reply.unknown, 3);
  const tampered = runInterop<NoteReply>(binary, ['note-open'], { note: note.replace(`\n${tree.size}\n`, `\n${tree.size + 1}\n`), vkeys: [formatVerifierKey(verifierOf(log))] });
  assert.equal(tampered.ok, false);
  assert.match(tampered.error ?? '', /invalid signature/);
});

test('we verify notes Go signed, with keys in Go\'s text forms', (t) => {
  if (!requireOrSkip(t, missing)) return;
  const log = logSigner(treatyOrigin('go-signed'));
  const text = formatCheckpoint({ origin: log.name, size: 7, root: new Uint8Array(32).fill(7) });
  const reply = runInterop<NoteReply>(binary, ['note-sign'], { skey: formatSignerKey(log), text });
  assert.ok(reply.ok, reply.error);
  const verifier = parseVerifierKey(formatVerifierKey(verifierOf(log)));
  assert.ok(verifier.ok);
  const opened = openNote(reply.note ?? '', [verifier.value]);
  assert.ok(opened.ok);
  assert.equal(opened.value.verified.length, 1);
  assert.equal(opened.value.text, text);
});
