import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fromBase64, makeSigner, toBase64, type CaseProof } from '@evenhand/log';
import { testSeed } from '@evenhand/testing';
import { runCli } from './run-cli.ts';
import { makeKeys, scenarioDomainEntries, signEntries, writeLog, writePolicy, type Keys } from './verify-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'evenhand-prove-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys: Keys = makeKeys();
const entries = signEntries(scenarioDomainEntries(keys), keys);
const policy = join(work, 'policy.txt');
writePolicy(policy, keys);
const log = writeLog(join(work, 'log'), entries, keys);
let counter = 0;

function prove(args: string[]): { file: string; bundle: CaseProof; stdout: string } {
  const file = join(work, `proof-${++counter}.json`);
  const run = runCli(['prove', '--log', log.dir, '--policy', policy, '--out', file, ...args]);
  assert.equal(run.status, 0, run.stderr);
  return { file, bundle: JSON.parse(readFileSync(file, 'utf8')) as CaseProof, stdout: run.stdout };
}

function check(bundle: CaseProof | string, extra: string[] = []) {
  const file = join(work, `check-${++counter}.json`);
  writeFileSync(file, typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
  return runCli(['check-proof', file, ...extra]);
}

function expectInvalid(result: ReturnType<typeof runCli>, code: string): void {
  assert.equal(result.status, 1, `expected exit 1 with ${code}; stdout: ${result.stdout} stderr: ${result.stderr}`);
  assert.match(result.stderr, new RegExp(`INVALID \\[${code}\\]`), result.stderr);
}

/** The bundle's entries by log index. */
function entriesOf(bundle: CaseProof): Map<number, string> {
  return new Map(bundle.runs.flatMap((run) => run.entries.map((entry, i) => [run.from + i, entry] as const)));
}

describe('case proofs: evenhand prove and check-proof', () => {
  const refused = prove(['--request', 'US-2021-001']);
  const unanswered = prove(['--request', 'US-2021-002', '--unanswered', 'decide']);

  it('proves a request refused on nationality from one file, offline, and tells its history in plain words', () => {
    assert.match(refused.stdout, /wrote .*: \d+ entries in \d+ runs/);
    const result = check(refused.bundle);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^VALID: request US-2021-001, \d+ entries proved in checkpoint 35 of evenhand\/us-ru-2021, cosigned by US, RU, CH/);
    assert.match(result.stdout, /US filed the request {2}\[entry 5\]/);
    assert.match(result.stdout, /RU decided \(refuse-prosecute/);
    assert.match(result.stdout, /Status at the checkpoint: refused-prosecute-instead\./);
    assert.match(result.stdout, /RU owes "prosecution-report" on US-2021-001: due 2023-10-15T22:13:20Z, OVERDUE/);
    // Sealed members stay sealed: the file carries the log's own bytes, never anything opened.
    for (const [index, entry] of entriesOf(refused.bundle)) assert.equal(entry, toBase64(entries[index]!), `entry ${index} is the log's`);
    // Only what the case needs: the opening, the treaty's entries and the request's, not the log.
    assert.ok(entriesOf(refused.bundle).size < entries.length);
  });

  it('proves that RU has not decided US-2021-002, with every entry from the filing to a checkpoint cosigned after the due date', () => {
    const result = check(unanswered.bundle);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /RU has not decided US-2021-002: due 2023-07-27, still open at checkpoint \d+ cosigned \d{4}-\d\d-\d\d by US, RU, CH\./);
    assert.match(result.stdout, /Delivery: RU's witness cosigned checkpoint/);
    const held = [...entriesOf(unanswered.bundle).keys()];
    const last = held[held.length - 1]!;
    for (let index = 9; index <= last; index++) assert.ok(held.includes(index), `entry ${index} of the range is held`);
    // The earliest archived checkpoint after the due date, not the head: the range stays short.
    assert.ok(last + 1 < entries.length, `the range ends at ${last + 1}, before the head ${entries.length}`);
  });

  it('proves a request that names an incident and relates to an earlier one: the bundle holds what its filing needs to replay (issue 17)', () => {
    const linked = prove(['--request', 'US-2021-004']);
    const result = check(linked.bundle);
    assert.equal(result.status, 0, result.stderr);
    const held = entriesOf(linked.bundle);
    // Entry 3 registers Colonial Pipeline, which the filing names; entry 5 files US-2021-001, which it relates to.
    assert.ok(held.has(3) && held.has(5), `held: ${[...held.keys()].join(', ')}`);
    assert.ok(!held.has(4), "JBS's registration is not this case's");
  });

  it('refuses to prove an obligation that is not overdue, and a request that does not exist', () => {
    const file = join(work, 'not-overdue.json');
    const early = runCli(['prove', '--log', log.dir, '--policy', policy, '--out', file, '--request', 'US-2021-004', '--unanswered', 'decide']);
    assert.equal(early.status, 1);
    assert.match(early.stderr, /not overdue/);
    const missing = runCli(['prove', '--log', log.dir, '--policy', policy, '--out', file, '--request', 'XX-1']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no request XX-1/);
    const both = runCli(['prove', '--log', log.dir, '--policy', policy, '--out', file]);
    assert.equal(both.status, 64);
  });

  it('fails a bundle with one byte changed', () => {
    const tampered = structuredClone(refused.bundle);
    const run0 = tampered.runs[tampered.runs.length - 1]!;
    const bytes = fromBase64(run0.entries[0]!)!;
    bytes[bytes.length - 3] = (bytes[bytes.length - 3]! + 1) % 256;
    (run0.entries as string[])[0] = toBase64(bytes);
    expectInvalid(check(tampered), 'CASE_PROOF_NOT_INCLUDED');
  });

  it('fails a bundle with an entry removed from the range, though each run it keeps is proved', () => {
    const held = [...entriesOf(unanswered.bundle).keys()];
    const last = held[held.length - 1]!;
    const tampered = structuredClone(unanswered.bundle);
    // RU's acknowledgement (entry 10) taken out: two runs around it, each with an honest proof.
    const kept = tampered.runs.filter((item) => item.from + item.entries.length <= 9);
    const size = Number(tampered.checkpoint.split('\n')[1]);
    (tampered as { runs: unknown }).runs = [...kept, rangeAt(9, 10, size), rangeAt(11, last + 1, size)];
    expectInvalid(check(tampered), 'CASE_PROOF_RANGE_INCOMPLETE');
  });

  it('fails a checkpoint without its quorum', () => {
    const tampered = structuredClone(refused.bundle);
    (tampered as { checkpoint: string }).checkpoint = tampered.checkpoint.split('\n').filter((line) => !line.startsWith('— CH ')).join('\n');
    expectInvalid(check(tampered), 'CHECKPOINT_QUORUM_NOT_MET');
  });

  it('fails a delivery claim the counterpart never made', () => {
    const byNeutral = structuredClone(unanswered.bundle);
    (byNeutral as { unanswered: unknown }).unanswered = { kind: 'decide', delivery: { by: 'cosignature', witness: 'CH' } };
    expectInvalid(check(byNeutral), 'CASE_PROOF_DELIVERY_UNPROVEN');
    const byOwnEntry = structuredClone(unanswered.bundle);
    (byOwnEntry as { unanswered: unknown }).unanswered = { kind: 'decide', delivery: { by: 'entry', index: 9 } };
    expectInvalid(check(byOwnEntry), 'CASE_PROOF_DELIVERY_UNPROVEN');
    const answered = structuredClone(unanswered.bundle);
    (answered as { unanswered: unknown }).unanswered = { kind: 'acknowledge', delivery: { by: 'cosignature', witness: 'RU' } };
    expectInvalid(check(answered), 'CASE_PROOF_NOT_OVERDUE');
  });

  it('fails a request the operator signed with a key the state never held, though the log key signs the tree', () => {
    const operator = makeSigner('US', testSeed('operator-as-us'));
    const forged = signEntries(scenarioDomainEntries(keys), keys, (index) => (index === 9 ? operator : undefined));
    const forgedLog = writeLog(join(work, 'forged-log'), forged, keys);
    // The prover itself refuses to make it…
    const file = join(work, 'forged.json');
    const made = runCli(['prove', '--log', forgedLog.dir, '--policy', policy, '--out', file, '--request', 'US-2021-002']);
    assert.equal(made.status, 1);
    assert.match(made.stderr, /CASE_PROOF_ENTRY_INVALID: entry 9/);
    // …and a bundle assembled by hand from the operator's log, every proof honest, fails the check.
    const honest = prove(['--request', 'US-2021-002']).bundle;
    const runs = honest.runs.map((item) => {
      const proof = forgedLog.tree.rangeProof(item.from, item.from + item.entries.length);
      assert.ok(proof.ok);
      return { from: item.from, entries: forged.slice(item.from, item.from + item.entries.length).map((bytes) => toBase64(bytes)), proof: proof.value.map(toBase64) };
    });
    expectInvalid(check({ ...honest, checkpoint: forgedLog.note, runs }), 'CASE_PROOF_ENTRY_INVALID');
  });

  it('fails a bundle signed by a log key other than the one the reader trusts', () => {
    const other = makeKeys();
    const otherPolicy = join(work, 'other-policy.txt');
    writePolicy(otherPolicy, other);
    expectInvalid(check(refused.bundle, ['--policy', otherPolicy]), 'CASE_PROOF_POLICY_MISMATCH');
    assert.equal(check(refused.bundle, ['--policy', policy]).status, 0);
  });

  it('exits 2 on a file that is not a case proof', () => {
    const result = check('{"format":"something else"}');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /format: expected evenhand.org\/case-proof@v1/);
    assert.equal(runCli(['check-proof', join(work, 'nowhere.json')]).status, 2);
  });
});

/** A run of the log's entries from..to-1 with an honest range proof at `size`. */
function rangeAt(from: number, to: number, size: number) {
  const proof = log.tree.rangeProof(from, to, size);
  assert.ok(proof.ok);
  return { from, entries: entries.slice(from, to).map((bytes) => toBase64(bytes)), proof: proof.value.map(toBase64) };
}
