/**
 * Offline verification of a tlog-proof (issue 3: goal ≤ 1 ms) for a log of N = 10^6 entries,
 * with 1 log signature and 5 witness cosignatures checked against a tlog-policy.
 * Run: node --import tsx packages/log/bench/tlog-proof-verify.bench.ts [N]
 */
import { createHash } from 'node:crypto';
import {
  addSignatureLines, cosign, formatCheckpoint, formatPolicy, formatTlogProof, makeSigner, MerkleTree, parsePolicy, SIGNATURE_COSIGNATURE_V1, signCheckpoint,
  treatyOrigin, verifierOf, verifyTlogProof,
} from '../src/index.ts';
import { best, report } from '@evenhand/testing';

const N = Number(process.argv[2] ?? 1_000_000);
const seed = (label: string) => new Uint8Array(createHash('sha256').update(label).digest());
const origin = treatyOrigin('us-ru-2021');
const log = makeSigner(origin, seed('log'));
const witnesses = ['US', 'RU', 'CH', 'NO', 'SE'].map((name) => makeSigner(name, seed(name), SIGNATURE_COSIGNATURE_V1));
const policy = parsePolicy(formatPolicy({
  logs: [{ key: verifierOf(log) }],
  witnesses: witnesses.map((w) => ({ name: w.name, key: verifierOf(w) })),
  groups: [{ name: 'states', threshold: 2, members: ['US', 'RU'] }, { name: 'neutrals', threshold: 2, members: ['CH', 'NO', 'SE'] }, { name: 'q', threshold: 2, members: ['states', 'neutrals'] }],
  quorum: 'q',
}));
if (!policy.ok) throw new Error(policy.error.message);

const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);
const tree = new MerkleTree();
for (let i = 0; i < N; i++) tree.append(entry(i));
const checkpoint = { origin, size: N, root: tree.root() };
const signed = signCheckpoint(checkpoint, log);
if (!signed.ok) throw new Error(signed.error.message);
const note = addSignatureLines(signed.value, witnesses.map((w) => cosign(formatCheckpoint(checkpoint), w, 1_700_000_000)));
const index = Math.floor(N * 0.7) + 3;
const path = tree.inclusionProof(index);
if (!path.ok) throw new Error(path.error.message);
const proof = formatTlogProof({ index, proof: path.value, note });
const leaf = entry(index);

const runs = 2_000;
const seconds = best(3, () => {
  for (let i = 0; i < runs; i++) {
    const result = verifyTlogProof(proof, leaf, policy.value, 'US');
    if (!result.ok) throw new Error(result.error.message);
  }
});
report(`verify a tlog-proof offline (N = ${N.toLocaleString('en-US')}, ${path.value.length} hashes, 1 log signature + 5 cosignatures)`, (seconds / runs) * 1000, 'ms', 1, 'lower');
