import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addSignatureLines, cosign, formatPolicy, formatCheckpoint, leafHash, MerkleTree, openReceipt, parsePolicy, signCheckpoint, signReceipt, utf8, verifierOf, verifyCensorshipProof, type Policy,
} from '../src/index.ts';
import { logSigner, witnessSigner } from './helpers.ts';

const ORIGIN = 'evenhand/receipts';
const log = logSigner(ORIGIN);
const policy: Policy = (() => {
  const parsed = parsePolicy(formatPolicy({ logs: [{ key: verifierOf(log) }], witnesses: ['US', 'CH'].map((name) => ({ name, key: verifierOf(witnessSigner(name)) })), groups: [{ name: 'all', threshold: 2, members: ['US', 'CH'] }], quorum: 'all' }));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();

function tree(entries: readonly string[]): MerkleTree {
  const out = new MerkleTree();
  for (const entry of entries) out.append(utf8(entry));
  return out;
}

function checkpoint(t: MerkleTree, time: number): string {
  const signed = signCheckpoint({ origin: ORIGIN, size: t.size, root: t.root() }, log);
  if (!signed.ok) throw new Error(signed.error.message);
  const text = formatCheckpoint({ origin: ORIGIN, size: t.size, root: t.root() });
  return addSignatureLines(signed.value, ['US', 'CH'].map((name) => cosign(text, witnessSigner(name), time)));
}

const clock = { now: 2_000_000_000, skewSeconds: 300 };

describe("the exchange's signed receipts, and a censorship proof anyone can check (issue 12)", () => {
  const mine = utf8('entry US wrote');
  const receipt = signReceipt({ origin: ORIGIN, index: 3, leafHash: leafHash(mine), includeBy: 1_900_000_060 }, log);
  assert.ok(receipt.ok);

  it('reads back what the log key signed, and nothing else', () => {
    const opened = openReceipt(receipt.value, verifierOf(log));
    assert.ok(opened.ok);
    assert.deepEqual([opened.value.index, opened.value.includeBy], [3, 1_900_000_060]);
    const forged = signReceipt({ origin: ORIGIN, index: 3, leafHash: leafHash(mine), includeBy: 1 }, logSigner('evenhand/other'));
    assert.equal(forged.ok, false, 'a key named for another log cannot sign this origin');
    assert.equal(openReceipt(receipt.value.replace('\n3\n', '\n4\n'), verifierOf(log)).ok, false, 'a changed index breaks the signature');
    // A receipt is never a checkpoint: its first line is not the origin.
    assert.match(receipt.value, /^evenhand-receipt\/v1\n/);
  });

  it('proves censorship with a later checkpoint that stops short of the receipted index', () => {
    const short = checkpoint(tree(['a', 'b', 'c']), 1_900_000_100);
    const proof = verifyCensorshipProof({ receipt: receipt.value, checkpoint: short }, policy, clock);
    assert.ok(proof.ok, proof.ok ? '' : proof.error.message);
    assert.match(proof.value.reason, /promised entry 3 by 1900000060, and its checkpoint of size 3, cosigned at 1900000100, does not reach it/);
  });

  it('proves censorship with a checkpoint that holds another entry at the index, shown by its inclusion proof', () => {
    const other = tree(['a', 'b', 'c', 'entry the exchange put there instead', 'e']);
    const note = checkpoint(other, 1_900_000_100);
    const hash = other.hashAt(0, 3);
    const inclusion = other.inclusionProof(3, other.size);
    assert.ok(inclusion.ok);
    const proof = verifyCensorshipProof({ receipt: receipt.value, checkpoint: note, leaf: { hash, proof: inclusion.value } }, policy, clock);
    assert.ok(proof.ok, proof.ok ? '' : proof.error.message);
    assert.match(proof.value.reason, /holds another entry there/);
  });

  it('refuses what is not proof: a checkpoint made before the promise fell due, the entry in place, a quorum missing', () => {
    const early = verifyCensorshipProof({ receipt: receipt.value, checkpoint: checkpoint(tree(['a']), 1_900_000_000) }, policy, clock);
    assert.match(early.ok ? '' : early.error.message, /could still be included/);
    const honest = tree(['a', 'b', 'c', 'entry US wrote']);
    const inclusion = honest.inclusionProof(3, honest.size);
    assert.ok(inclusion.ok);
    const kept = verifyCensorshipProof({ receipt: receipt.value, checkpoint: checkpoint(honest, 1_900_000_100), leaf: { hash: honest.hashAt(0, 3), proof: inclusion.value } }, policy, clock);
    assert.match(kept.ok ? '' : kept.error.message, /nothing was censored/);
    const signed = signCheckpoint({ origin: ORIGIN, size: 1, root: tree(['a']).root() }, log);
    assert.ok(signed.ok);
    const unwitnessed = verifyCensorshipProof({ receipt: receipt.value, checkpoint: signed.value }, policy, clock);
    assert.equal(unwitnessed.ok ? 'ok' : unwitnessed.error.code, 'CHECKPOINT_QUORUM_NOT_MET');
  });
});
