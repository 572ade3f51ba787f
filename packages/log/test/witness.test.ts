import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addCheckpoint, formatAddCheckpointBody, MerkleTree, openNote, signCheckpoint, toHex, treatyOrigin, verifierOf, type WitnessState,
} from '../src/index.ts';
import { logSigner, witnessSigner } from './helpers.ts';

const origin = treatyOrigin('us-ru-2021');
const log = logSigner(origin);
const ch = witnessSigner('CH');
const tree = new MerkleTree();
for (let i = 0; i < 40; i++) tree.append(Uint8Array.of(i));

function note(size: number, signer = log, root = tree.root(size)): string {
  const signed = signCheckpoint({ origin: signer.name, size, root }, signer);
  assert.ok(signed.ok);
  return signed.value;
}

function fresh(): WitnessState {
  return { cosigner: ch, logs: new Map([[origin, [verifierOf(log)]]]), latest: new Map() };
}

function proof(from: number, to: number) {
  const p = tree.consistencyProof(from, to);
  assert.ok(p.ok);
  return p.value;
}

test('200: first checkpoint from 0, then a consistent extension; the cosignature verifies', () => {
  const first = addCheckpoint(fresh(), { body: formatAddCheckpointBody(0, [], note(10)), time: 1000 });
  assert.equal(first.status, 200, first.body);
  assert.equal(first.state.latest.get(origin)?.size, 10);
  const opened = openNote(note(10) + first.body, [verifierOf(ch)]);
  assert.ok(opened.ok);
  assert.equal(opened.value.verified[0]?.timestamp, 1000);
  const second = addCheckpoint(first.state, { body: formatAddCheckpointBody(10, proof(10, 33), note(33)), time: 1001 });
  assert.equal(second.status, 200, second.body);
  // Re-submitting the same checkpoint (old = size, same root) is cosigned again.
  assert.equal(addCheckpoint(second.state, { body: formatAddCheckpointBody(33, [], note(33)), time: 1002 }).status, 200);
});

test('404 unknown origin, 403 no trusted signature, 400 old > size or malformed', () => {
  const stranger = logSigner('evenhand/other');
  assert.equal(addCheckpoint(fresh(), { body: formatAddCheckpointBody(0, [], note(5, stranger)), time: 1 }).status, 404);
  const impostor = logSigner('impostor');
  const forged = note(5, impostor).replaceAll('impostor', origin).replace(`${origin}\n`, `${origin}\n`);
  assert.equal(addCheckpoint(fresh(), { body: formatAddCheckpointBody(0, [], forged), time: 1 }).status, 403);
  assert.equal(addCheckpoint(fresh(), { body: formatAddCheckpointBody(6, [], note(5)), time: 1 }).status, 400);
  assert.equal(addCheckpoint(fresh(), { body: 'garbage', time: 1 }).status, 400);
});

test('409 stale old size with the latest size as body; 422 bad proof; never two inconsistent cosignatures', () => {
  const at10 = addCheckpoint(fresh(), { body: formatAddCheckpointBody(0, [], note(10)), time: 1 }).state;
  const stale = addCheckpoint(at10, { body: formatAddCheckpointBody(5, proof(5, 20), note(20)), time: 2 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body, '10\n');
  assert.equal(stale.contentType, 'text/x.tlog.size');
  const wrong = proof(10, 20).map((hash, i) => (i === 0 ? hash.map((b) => b ^ 1) : hash));
  const bad = addCheckpoint(at10, { body: formatAddCheckpointBody(10, wrong, note(20)), time: 2 });
  assert.equal(bad.status, 422);
  assert.equal(bad.state, at10);
  // An equivocating checkpoint at the same size with another root.
  const fork = addCheckpoint(at10, { body: formatAddCheckpointBody(10, [], note(10, log, tree.root(11))), time: 2 });
  assert.equal(fork.status, 409);
  // A checkpoint of a different tree that extends size 10: the proof from the real tree fails.
  const other = new MerkleTree();
  for (let i = 0; i < 20; i++) other.append(Uint8Array.of(i === 3 ? 99 : i));
  const otherProof = other.consistencyProof(10, 20);
  assert.ok(otherProof.ok);
  const split = addCheckpoint(at10, { body: formatAddCheckpointBody(10, otherProof.value, note(20, log, other.root(20))), time: 2 });
  assert.equal(split.status, 422);
});

test('property: whatever is submitted, from two forks, every cosigned checkpoint lies on one tree', () => {
  const a = new MerkleTree();
  const b = new MerkleTree();
  for (let i = 0; i < 64; i++) {
    a.append(Uint8Array.of(i));
    b.append(Uint8Array.of(i < 20 ? i : 200 + (i % 50)));
  }
  const forks = [a, b];
  let accepted = 0;
  let refused = 0;
  const request = fc.record({ fork: fc.integer({ min: 0, max: 1 }), size: fc.integer({ min: 0, max: 64 }), old: fc.integer({ min: 0, max: 64 }), honestOld: fc.boolean(), proofFrom: fc.integer({ min: 0, max: 1 }) });
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 30 }), (requests) => {
      let state = fresh();
      const cosigned: { size: number; root: Uint8Array }[] = [];
      for (const r of requests) {
        const tree = forks[r.fork] as MerkleTree;
        // Mostly a client that knows the witness's size (as after a 409), sometimes a random one.
        const current = state.latest.get(origin)?.size ?? 0;
        const old = r.honestOld ? Math.min(current, r.size) : Math.min(r.old, r.size);
        // The proof comes from either fork: an attacker may pair a fork's checkpoint with the other's proof.
        const proofTree = forks[r.proofFrom] as MerkleTree;
        const proof = proofTree.consistencyProof(old, r.size);
        const body = formatAddCheckpointBody(old, proof.ok ? proof.value : [], note(r.size, log, tree.root(r.size)));
        const response = addCheckpoint(state, { body, time: 1 });
        if (response.status === 200) cosigned.push({ size: r.size, root: tree.root(r.size) });
        if (response.status === 200) accepted++;
        else refused++;
        state = response.state;
      }
      const onTree = (t: MerkleTree) => cosigned.every((c) => toHex(c.root) === toHex(t.root(c.size)));
      assert.ok(onTree(a) || onTree(b), `cosigned checkpoints from both forks: ${cosigned.map((c) => c.size).join(', ')}`);
      // Sizes cosigned never go backwards.
      for (let i = 1; i < cosigned.length; i++) assert.ok((cosigned[i] as { size: number }).size >= (cosigned[i - 1] as { size: number }).size);
    }),
    { numRuns: 200 },
  );
  // The property is not vacuous: the runs had both cosignatures and refusals.
  assert.ok(accepted > 100 && refused > 100, `accepted ${accepted}, refused ${refused}`);
});
