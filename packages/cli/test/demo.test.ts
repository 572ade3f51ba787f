import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_COMMAND, ensureBuilt, freePort, requirement } from '@evenhand/testing';
import { opensslMissing } from '../src/demo/demo-tls.ts';
import { REPO_ROOT, runCliAsync } from './run-cli.ts';


interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `evenhand demo` from the built output, as `npm start` does, and resolves once it prints that it is running (bounded to 120 s). */
function startDemo(args: readonly string[]): Promise<Started> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_COMMAND, 'demo', ...args], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not start in 120 s:\n${stderr}`));
    }, 120_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('Check the log yourself')) {
        clearTimeout(timer);
        resolve({ child, get stdout() { return stdout; }, get stderr() { return stderr; } });
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${stderr}`));
    });
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('evenhand demo (what npm start runs)', () => {
  let dir: string;
  let ports: string[];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-demo-'));
    const [exchange, witness, us, ru] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    ports = ['--exchange-port', String(exchange), '--witness-port', String(witness), '--us-port', String(us), '--ru-port', String(ru)];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the exchange, both gateways and the neutral witness, seeds the scenario through the gateways, and prints URLs and logins', async () => {
    const demo = await startDemo(['--dir', dir, ...ports]);
    try {
      assert.match(demo.stderr, /Seeding the 2021 scenario: \d+ officials' actions/);
      assert.match(demo.stdout, /Exchange:? .*http:\/\/127\.0\.0\.1:\d+/);
      assert.match(demo.stdout, /US gateway:? .*http:\/\/127\.0\.0\.1:\d+/);
      assert.match(demo.stdout, /RU gateway:? .*http:\/\/127\.0\.0\.1:\d+/);
      assert.match(demo.stdout, /ru-approver-2 +\S{12,}/);
      assert.equal(statSync(join(dir, 'logins.json')).mode & 0o777, 0o600);
      for (const key of ['us-entry.key', 'ru-seal.jwk', 'exchange-log.key', 'ch-witness.key']) assert.equal(statSync(join(dir, 'keys', key)).mode & 0o777, 0o600, key);

      const exchangeUrl = /Exchange:? .*(http:\/\/127\.0\.0\.1:\d+)/.exec(demo.stdout)![1]!;
      const statistics = (await (await fetch(`${exchangeUrl}/v1/statistics`)).json()) as { pairs: { requesting: string; unansweredPastDeadline: number }[] };
      assert.ok(statistics.pairs.some((pair) => pair.unansweredPastDeadline > 0), 'the scenario leaves requests unanswered past their deadline');
      const verify = await runCliAsync(['verify', '--log', exchangeUrl, '--policy', join(dir, 'policy.txt'), '--as', 'RU', '--state', join(dir, 'verify-ru.json'), '--mirror', join(dir, 'mirror'), '--no-progress']);
      assert.equal(verify.status, 0, verify.stderr);
      assert.match(verify.stdout, /cosigned by .*CH/);
    } finally {
      assert.equal(await stop(demo.child), 0, 'stops cleanly on SIGTERM');
    }
  });

  it('resumes the same data on a second start, with the same logins', async () => {
    const demo = await startDemo(['--dir', dir, ...ports]);
    try {
      assert.match(demo.stderr, /Resuming the demo in .*: the log already holds \d+ entries/);
      assert.doesNotMatch(demo.stderr, /Seeding/);
    } finally {
      await stop(demo.child);
    }
  });
});

describe('evenhand demo --states US,RU,TR (issue 11: three or more states)', () => {
  it('admits TR by its accession, starts its gateway on the port given, prints its URL and logins, and puts its witness in the quorum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evenhand-demo-3-'));
    const [exchange, witness, tr] = await Promise.all([freePort(), freePort(), freePort()]);
    // US and RU get no port flag, so each takes the next free port (the help text's promise).
    const demo = await startDemo(['--dir', dir, '--states', 'US,RU,TR', '--exchange-port', String(exchange), '--witness-port', String(witness), '--tr-port', String(tr)]);
    try {
      assert.match(demo.stdout, new RegExp(`TR gateway:? .*http://127\\.0\\.0\\.1:${tr}\\b`));
      for (const party of ['US', 'RU']) assert.match(demo.stdout, new RegExp(`${party} gateway:? .*http://127\\.0\\.0\\.1:\\d+`));
      assert.match(demo.stdout, /tr-approver-2 +\S{12,}/);
      const exchangeUrl = /Exchange:? .*(http:\/\/127\.0\.0\.1:\d+)/.exec(demo.stdout)![1]!;
      const policy = await (await fetch(`${exchangeUrl}/policy`)).text();
      assert.match(policy, /^group .*\bTR\b/m, `TR's witness is in the quorum the treaty in force names:\n${policy}`);
      const treaty = (await (await fetch(`${exchangeUrl}/v1/treaty`)).json()) as { parties?: { code: string }[] };
      assert.ok(JSON.stringify(treaty).includes('"TR"'), 'TR is a party of the treaty in force');
    } finally {
      assert.equal(await stop(demo.child), 0, 'stops cleanly on SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('evenhand demo --tls (issue 16)', () => {
  it('makes a local CA with openssl and serves every service over HTTPS; verify checks the log with --ca; the directory keeps its scheme', { skip: requirement('openssl', opensslMissing()).skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evenhand-demo-tls-'));
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const flags = ['--dir', dir, '--exchange-port', String(ports[0]), '--witness-port', String(ports[1]), '--us-port', String(ports[2]), '--ru-port', String(ports[3])];
    try {
      const demo = await startDemo([...flags, '--tls']);
      try {
        for (const name of ['Exchange', 'US gateway', 'RU gateway']) assert.match(demo.stdout, new RegExp(`${name}:? .*https://127\\.0\\.0\\.1:\\d+`));
        const ca = join(dir, 'tls', 'ca.pem');
        assert.match(demo.stdout, new RegExp(`trust ${ca.replaceAll('.', '\\.')} in your browser`));
        const exchangeUrl = /Exchange:? .*(https:\/\/127\.0\.0\.1:\d+)/.exec(demo.stdout)![1]!;
        const verify = await runCliAsync(['verify', '--log', exchangeUrl, '--policy', join(dir, 'policy.txt'), '--as', 'RU', '--ca', ca, '--state', join(dir, 'verify-ru.json'), '--mirror', join(dir, 'mirror'), '--no-progress']);
        assert.equal(verify.status, 0, verify.stderr);
      } finally {
        assert.equal(await stop(demo.child), 0, 'stops cleanly on SIGTERM');
      }
      // Its witnesses' https addresses are in its log: the same directory without --tls is refused.
      await assert.rejects(startDemo(flags), /made with --tls, and its witnesses' addresses are in its log/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

