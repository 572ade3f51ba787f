import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, REPO_ROOT, runCli } from './run-cli.ts';

const TREATY = join(REPO_ROOT, 'treaties/us-ru-2021.yaml');

/**
 * Issue 16, "the command": a bad option value is one line with no stack trace and exit 64
 * (EX_USAGE); and no command exits before what it prints has reached the program it is piped
 * into (`evenhand clear … | jq`).
 */
describe('usage errors and piped output', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-pipes-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a bad option value, an unknown command or a missing option with one line and exit 64', () => {
    const cases: [string[], RegExp][] = [
      [['treaty', 'check', TREATY, '--runs', 'abc'], /--runs must be a whole number/],
      [['treaty', 'check', TREATY, '--runs', '0'], /--runs must be a whole number of at least 1/],
      [['treaty', 'check', TREATY, '--seed', 'xyz'], /--seed must be a whole number/],
      [['walkthrough', '--now', 'yesterday'], /--now must be an ISO 8601 time/],
      [['keygen', '--kind', 'nope', '--name', 'x', '--out', join(dir, 'k')], /--kind must be one of entry, log, witness, seal/],
      [['clear', '--time-limit', 'soon'], /--time-limit must be a number/],
      [['demo', '--exchange-port', '70000'], /--exchange-port must be a whole number from 1 to 65535/],
      [['verify', '--log', dir, '--policy', 'p', '--as', 'US', '--max-age', '-1'], /--max-age must be a whole number of seconds/],
      [['verify'], /required option '--log <dir\|url>' not specified/],
      [['no-such-command'], /unknown command 'no-such-command'/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args);
      assert.equal(run.status, 64, `${args.join(' ')}: exit ${run.status}, stderr ${run.stderr}`);
      const first = run.stderr.split('\n')[0] ?? '';
      assert.match(first, /^error: /, `${args.join(' ')}: the first line is the error`);
      assert.match(first, message, args.join(' '));
      assert.doesNotMatch(run.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace`);
    }
    assert.equal(runCli(['--help']).status, 0);
    assert.equal(runCli(['treaty', 'check', '--help']).status, 0);
  });

  it('writes everything into a pipe whose reader is slow, as much as into a file', async () => {
    // Two states asking each other: every request is in a 2-cycle, so the plan lists them all.
    const requests = Array.from({ length: 6_000 }, (_, i) => ({ id: `REQUEST-${String(i).padStart(6, '0')}`, from: i % 2 ? 'RU' : 'US', to: i % 2 ? 'US' : 'RU', weight: 1 }));
    const instance = join(dir, 'instance.json');
    writeFileSync(instance, JSON.stringify({ maxLength: 2, requests }));
    for (const args of [['clear', '--input', instance, '--details'], ['walkthrough', '--now', '2021-12-01T00:00:00Z'], ['treaty', 'check', TREATY, '--runs', '50']]) {
      const file = join(dir, 'out.txt');
      const written = await run(args, 'file', file);
      const piped = await run(args, 'pipe');
      assert.equal(written.status, piped.status, args.join(' '));
      const expected = readFileSync(file);
      assert.ok(expected.length > 0, `${args.join(' ')} prints something`);
      if (args[0] === 'clear') {
        // The plan is the same both times; only the solver's own timing differs between runs.
        assert.ok(expected.length > 131_072, `more than two pipe buffers (${expected.length} bytes)`);
        assert.deepEqual(withoutTimings(JSON.parse(piped.text)), withoutTimings(JSON.parse(expected.toString('utf8'))), 'the piped plan is whole, and the same');
      } else {
        assert.equal(piped.text, expected.toString('utf8'), `${args.join(' ')}: ${piped.text.length} characters through the pipe, ${expected.length} bytes into a file`);
      }
    }
  });
});

/**
 * Runs the command with stdout into a file, or into a pipe that this process leaves unread for
 * its first second, as a slow reader would: output still in the process when it exits is lost.
 */
function run(args: readonly string[], into: 'file' | 'pipe', file = ''): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const fd = into === 'file' ? openSync(file, 'w') : undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', fd ?? 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const chunks: Buffer[] = [];
    let exited: number | null | undefined;
    let ended = into === 'file';
    const done = () => {
      if (exited === undefined || !ended) return;
      clearTimeout(timer);
      if (fd !== undefined) closeSync(fd);
      resolve({ status: exited, text: Buffer.concat(chunks).toString('utf8') });
    };
    if (child.stdout) {
      child.stdout.pause();
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stdout.on('end', () => {
        ended = true;
        done();
      });
      setTimeout(() => child.stdout!.resume(), 1_000);
    }
    child.on('error', reject);
    child.on('exit', (status) => {
      exited = status;
      done();
    });
  });
}

const TIMINGS = new Set(['milliseconds', 'solverSeconds']);

/** A plan with the solver's wall-clock figures taken out (`milliseconds`, `solverSeconds`), which differ from run to run. */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !TIMINGS.has(key)).map(([key, item]) => [key, withoutTimings(item)]));
}
