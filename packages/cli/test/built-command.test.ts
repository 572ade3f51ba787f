import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BUILT_COMMAND, ensureBuilt } from '@evenhand/testing';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * Issue 16, "a packaged command": `evenhand` as installed runs the JavaScript that the build
 * compiled into each package's dist/, with plain node. Node 20 cannot load a .ts file, so a
 * command that succeeds here ran from the built output alone, and says what the sources say.
 */
function runBuilt(args: readonly string[]) {
  // No NODE_OPTIONS: nothing may slip tsx in.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const result = spawnSync(process.execPath, [BUILT_COMMAND, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built command', () => {
  before(() => ensureBuilt());

  it('answers --help and reports like the sources, from dist/ with plain node', () => {
    const help = runBuilt(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: evenhand /);
    for (const command of ['demo', 'verify', 'treaty', 'walkthrough', 'clear', 'prove', 'check-proof', 'keygen']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`), command);
    const args = ['walkthrough', '--now', '2021-12-01T00:00:00Z'];
    const built = runBuilt(args);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stdout, runCli(args).stdout, 'the built walkthrough prints what the sources print');
  });

  it('gives usage errors their code, and checks the treaty, from dist/', () => {
    const bad = runBuilt(['treaty', 'check', 'treaties/us-ru-2021.yaml', '--runs', 'abc']);
    assert.equal(bad.status, 64);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    const check = runBuilt(['treaty', 'check', 'treaties/us-ru-2021.yaml', '--runs', '20']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /Verdict: the rulebook is symmetric\./);
  });
});
