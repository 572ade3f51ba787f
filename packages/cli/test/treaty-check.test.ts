import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './run-cli.ts';

const TREATY = join(REPO_ROOT, 'treaties/us-ru-2021.yaml');

describe('evenhand treaty check', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-treaty-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the 2021 treaty with all three checks and the reciprocity report', () => {
    const run = runCli(['treaty', 'check', TREATY]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /1\. Lint.*: PASS/);
    assert.match(run.stdout, /2\. Property.*: PASS/);
    assert.match(run.stdout, /RU may refuse RU nationals to US/);
    assert.match(run.stdout, /once RU invokes it against any party, US may refuse US nationals to RU/);
    assert.match(run.stdout, /Verdict: the rulebook is symmetric\./);
  });

  it('exits 1 on a deliberately asymmetric treaty and shows the counterexample', () => {
    const text = readFileSync(TREATY, 'utf8').replace(
      'test: political-offence, scope: both,',
      'test: political-offence, scope: both, onlyWhereRequested: [RU],',
    );
    assert.notEqual(text, readFileSync(TREATY, 'utf8'), 'the fixture edit applied');
    const file = join(dir, 'asymmetric.yaml');
    writeFileSync(file, text);
    const run = runCli(['treaty', 'check', file, '--runs', '300']);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /1\. Lint.*: FAIL/);
    assert.match(run.stdout, /grounds\[4\]\.onlyWhereRequested\[0\] names RU/);
    assert.match(run.stdout, /2\. Property.*: FAIL/);
    assert.match(run.stdout, /counterexample between US and RU/);
    assert.match(run.stdout, /NOT symmetric/);
  });

  it('exits 2 on an invalid document, naming each path, without a stack trace', () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, readFileSync(TREATY, 'utf8').replace('decideDays: 60', 'decideDays: "60"').replace('acknowledgeDays: 10', 'acknowledgeDays: -3'));
    const run = runCli(['treaty', 'check', file]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /is not a valid treaty \(2 problems\)/);
    assert.match(run.stderr, /deadlines\.decideDays: expected number, found string "60"/);
    assert.match(run.stderr, /deadlines\.acknowledgeDays: /);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('exits 2 on a missing file and rejects a bad option value', () => {
    const missing = runCli(['treaty', 'check', join(dir, 'nope.yaml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read treaty file .*nope\.yaml: no such file/);
    const bad = runCli(['treaty', 'check', TREATY, '--runs', 'many']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--runs must be a whole number/);
  });
});
