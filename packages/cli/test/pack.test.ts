import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopProcess } from '@evenhand/testing';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * Issue 16, "a packaged command": `npm run pack` writes one tarball, which `npm install`
 * puts into an empty directory (its registry dependencies from the npm registry or npm's
 * cache), and the command it installs runs there with plain node: no sources, no tsx, and
 * the demo serves its built console from inside the package.
 */

/** The environment without npm's own variables: the install must not inherit this workspace's settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_') && name !== 'NODE_OPTIONS'));
}

/** Every file under `dir` whose name `wanted` accepts, as paths relative to it. */
function filesUnder(dir: string, wanted: (name: string) => boolean, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(join(dir, entry.name), wanted, path));
    else if (wanted(entry.name)) out.push(path);
  }
  return out;
}

describe('the packed command (issue 16)', { timeout: 20 * 60_000 }, () => {
  let dir: string;
  let app: string;
  const run = (args: readonly string[]) => spawnSync(join(app, 'node_modules', '.bin', 'evenhand'), args, { cwd: app, encoding: 'utf8', env: cleanEnv(), timeout: 120_000 });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-pack-'));
    const packed = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), '--out', join(dir, 'tarball'), '--stage', join(dir, 'stage')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000 });
    assert.equal(packed.status, 0, packed.stderr);
    const tarball = packed.stdout.trim();
    assert.match(tarball, /evenhand-\d+\.\d+\.\d+\.tgz$/);
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty-directory', private: true }));
    const installed = spawnSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8', env: cleanEnv(), timeout: 15 * 60_000 });
    assert.equal(installed.status, 0, `npm install of the tarball failed:\n${installed.stdout}\n${installed.stderr}`);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs only JavaScript, with no tsx, and answers --help', () => {
    const installed = join(app, 'node_modules', 'evenhand');
    const sources = filesUnder(installed, (name) => /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts'));
    assert.deepEqual(sources, [], 'no TypeScript sources in the package');
    assert.equal(existsSync(join(app, 'node_modules', 'tsx')), false, 'tsx is not installed');
    assert.ok(existsSync(join(installed, 'node_modules', '@evenhand', 'web', 'dist', 'index.html')), 'the console pages are inside');
    const help = run(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: evenhand /);
  });

  it('checks the shipped treaty and replays the walkthrough as the repository does', () => {
    const check = run(['treaty', 'check', join('node_modules', 'evenhand', 'treaties', 'us-ru-2021.yaml'), '--runs', '20']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /Verdict: the rulebook is symmetric\./);
    const args = ['walkthrough', '--now', '2021-12-01T00:00:00Z'];
    const walkthrough = run(args);
    assert.equal(walkthrough.status, 0, walkthrough.stderr);
    assert.equal(walkthrough.stdout, runCli(args).stdout);
  });

  it('runs the demo, whose gateway serves the built console and whose exchange answers', async () => {
    const [exchange, witness, us, ru] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const child = spawn(join(app, 'node_modules', '.bin', 'evenhand'), ['demo', '--dir', join(dir, 'demo'), '--exchange-port', String(exchange), '--witness-port', String(witness), '--us-port', String(us), '--ru-port', String(ru)], { cwd: app, env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the installed demo did not start in 240 s:\n${stderr.slice(-2000)}`)), 240_000);
        child.stdout.on('data', () => {
          if (stdout.includes('Check the log yourself')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the installed demo exited with ${code}:\n${stderr.slice(-2000)}`));
        });
      });
      const page = await fetch(`http://127.0.0.1:${us}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script[^>]+src="\/assets\/console-/);
      const health = (await (await fetch(`http://127.0.0.1:${exchange}/v1/health`)).json()) as { size: number };
      assert.ok(health.size > 0, 'the demo seeded its log');
    } finally {
      child.removeAllListeners('exit');
      await stopProcess(child);
    }
  });
});
