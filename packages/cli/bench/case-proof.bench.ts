/**
 * Issue 13 benchmarks of case proofs, on a log of N = 10^5 signed entries (the 2021 scenario
 * repeated): a bundle holding the log's opening and treaty entries and a run of 10^3
 * consecutive entries from a request's filing, as a proof of an unanswered obligation holds
 * the range to its due date.
 * - `check-proof` time for that bundle (goal ≤ 100 ms): signatures, range proof, replay, quorum;
 * - the bundle's size, in bytes per entry.
 * Run: node --import tsx packages/cli/bench/case-proof.bench.ts [N] [RANGE]
 */
import { addSignatureLines, CASE_PROOF_FORMAT, checkCaseProof, cosign, formatCheckpoint, MerkleTree, signCheckpoint, toBase64, type CaseProof } from '@evenhand/log';
import { ORIGIN, report, scenarioPolicy } from '@evenhand/testing';
import { longDomainEntries, makeKeys, NOW, signEntries } from '../test/verify-fixture.ts';

const N = Number(process.argv[2] ?? 100_000);
const RANGE = Number(process.argv[3] ?? 1_000);
const keys = makeKeys();
const started = performance.now();
const domain = longDomainEntries(keys, Math.ceil(N / 30)).slice(0, N);
const entries = signEntries(domain, keys);
const tree = new MerkleTree();
for (const bytes of entries) tree.append(bytes);
console.log(`built a log of ${entries.length.toLocaleString('en')} signed entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// The last request filed at least RANGE entries before the head: its run is RANGE entries long.
let from = entries.length - RANGE;
while (from > 0 && domain[from]!.type !== 'request.file') from--;
const subject = (domain[from]!.body as { request: string }).request;
const size = from + RANGE;
const checkpoint = { origin: ORIGIN, size, root: tree.root(size) };
const signed = signCheckpoint(checkpoint, keys.log);
if (!signed.ok) throw new Error(signed.error.message);
const note = addSignatureLines(signed.value, ['US', 'RU', 'CH'].map((name) => cosign(formatCheckpoint(checkpoint), keys.witnesses.get(name)!, NOW)));

const runOf = (start: number, end: number) => {
  const proof = tree.rangeProof(start, end, size);
  if (!proof.ok) throw new Error(proof.error.message);
  return { from: start, entries: entries.slice(start, end).map((bytes) => toBase64(bytes)), proof: proof.value.map(toBase64) };
};
const opening = domain.findIndex((entry) => !entry.type.startsWith('treaty.'));
const bundle: CaseProof = { format: CASE_PROOF_FORMAT, subject: { type: 'request', id: subject }, policy: scenarioPolicy(keys), checkpoint: note, runs: [runOf(0, opening), runOf(from, size)] };
const text = JSON.stringify(bundle, null, 1);
const held = opening + RANGE;

const samples: number[] = [];
for (let run = 0; run < 7; run++) {
  const start = performance.now();
  const checked = checkCaseProof(JSON.parse(text) as CaseProof);
  samples.push(performance.now() - start);
  if (!checked.ok) throw new Error(`${checked.error.code}: ${checked.error.message}`);
}
samples.sort((a, b) => a - b);
report(`check-proof of ${held.toLocaleString('en')} entries (${subject}, filed at ${from.toLocaleString('en')} of ${N.toLocaleString('en')})`, samples[3]!, 'ms', 100, 'lower', `median of 7, in process; range proof ${bundle.runs[1]!.proof.length} hashes`);
report('case proof size per entry', Buffer.byteLength(text) / held, 'bytes', 2048, 'lower', `${Buffer.byteLength(text).toLocaleString('en')} bytes in all for ${held.toLocaleString('en')} entries; no goal in the issue, 2 KB shown for scale`);
