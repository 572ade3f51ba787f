import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toBase64, type CaseProof } from '@evenhand/log';
import { testOfficial } from '@evenhand/testing';
import { runCli } from './run-cli.ts';
import { approvedScenarioEntries, makeKeys, NOW, signEntries, writeLog, writePolicy } from './verify-fixture.ts';

/** Issue 13: `verify` checks every approval against the officials registered in the log. */
describe('verify checks two approvals anyone can check', () => {
  const work = mkdtempSync(join(tmpdir(), 'evenhand-approvals-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const keys = makeKeys();
  const policy = join(work, 'policy.txt');
  writePolicy(policy, keys);
  const verify = (label: string, entries: Uint8Array[]) => {
    const dir = join(work, label);
    writeLog(join(dir, 'log'), entries, keys);
    return runCli(['verify', '--log', join(dir, 'log'), '--policy', policy, '--as', 'US', '--state', join(dir, 'state.json'), '--evidence', join(dir, 'evidence'), '--mirror', join(dir, 'mirror'), '--now', String(NOW)]);
  };

  it('accepts the scenario with registered officials and signed acts', () => {
    const result = verify('honest', signEntries(approvedScenarioEntries(keys), keys));
    assert.equal(result.status, 0, result.stderr);
  });

  it('refuses a log in which RU signed a decision whose second approval is forged, though RU’s own key signed the entry', () => {
    const forged = approvedScenarioEntries(keys, { at: (entry) => entry.type === 'request.decide' && entry.author === 'RU', signers: [testOfficial('ru-approver-1'), { ...testOfficial('ru-approver-2'), seed: testOfficial('ru-forger').seed }] });
    const result = verify('forged', signEntries(forged, keys));
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /APPROVAL_INVALID/);
  });

  it('refuses one official standing as both approvers', () => {
    const twice = approvedScenarioEntries(keys, { at: (entry) => entry.type === 'request.decide' && entry.author === 'US', signers: [testOfficial('us-approver-1'), testOfficial('us-approver-1')] });
    const result = verify('twice', signEntries(twice, keys));
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /APPROVERS_NOT_DISTINCT/);
  });
});

/** Issue 13: check-proof checks the approvals of a case from the file alone. */
describe('check-proof checks two approvals anyone can check', () => {
  const work = mkdtempSync(join(tmpdir(), 'evenhand-approval-proofs-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const keys = makeKeys();
  const policy = join(work, 'policy.txt');
  writePolicy(policy, keys);
  const honestEntries = signEntries(approvedScenarioEntries(keys), keys);
  const honest = writeLog(join(work, 'honest'), honestEntries, keys);
  const ruDecision = (entry: { type: string; author: string }) => entry.type === 'request.decide' && entry.author === 'RU';
  const forgedEntries = signEntries(approvedScenarioEntries(keys, { at: ruDecision, signers: [testOfficial('ru-approver-1'), { ...testOfficial('ru-approver-2'), seed: testOfficial('ru-forger').seed }] }), keys);
  const forged = writeLog(join(work, 'forged'), forgedEntries, keys);

  const prove = (request: string) => {
    const file = join(work, `${request}.json`);
    const made = runCli(['prove', '--log', join(work, 'honest'), '--policy', policy, '--out', file, '--request', request]);
    assert.equal(made.status, 0, made.stderr);
    return { file, bundle: JSON.parse(readFileSync(file, 'utf8')) as CaseProof };
  };
  // The first request RU decided in the scenario.
  const decided = approvedScenarioEntries(keys).find(ruDecision)!;
  const request = (decided.body as { request: string }).request;

  it('prints who approved, with both signatures checked against the keys registered in the log', () => {
    const { file } = prove(request);
    const result = runCli(['check-proof', file, '--policy', policy]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /RU decided .*\n {6}approved by ru-approver-1 and ru-approver-2: both signatures checked against the keys RU registered at entry \d+/);
  });

  it('fails a bundle that a hostile operator built from a log where RU signed a forged second approval', () => {
    // The same runs, taken from the forged log and proved in its own signed, cosigned tree.
    const { bundle } = prove(request);
    const runs = bundle.runs.map((run) => {
      const to = run.from + run.entries.length;
      const proof = forged.tree.rangeProof(run.from, to, forgedEntries.length);
      assert.ok(proof.ok);
      return { from: run.from, entries: forgedEntries.slice(run.from, to).map((bytes) => toBase64(bytes)), proof: proof.value.map(toBase64) };
    });
    const file = join(work, 'forged-bundle.json');
    writeFileSync(file, JSON.stringify({ ...bundle, checkpoint: forged.note, runs }));
    const result = runCli(['check-proof', file, '--policy', policy]);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /INVALID \[CASE_PROOF_REPLAY_FAILED\] .*APPROVAL_INVALID/);
    assert.ok(honest.note !== forged.note);
  });
});
