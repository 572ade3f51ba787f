/** `evenhand clear` run as a user would: the real command in a child process, reading an instance file. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

const runClear = (args: readonly string[]) => runCli(['clear', ...args]);

describe('evenhand clear', () => {
  let dir: string;
  const write = (name: string, content: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-clear-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the plan of the toy trade: the 3-cycle worth 7, proven optimal', () => {
    const file = write('toy.json', {
      maxLength: 3,
      requests: [
        { id: 'r1', from: 'B', to: 'A', weight: 3 },
        { id: 'r2', from: 'A', to: 'B', weight: 1 },
        { id: 'r3', from: 'C', to: 'B', weight: 2 },
        { id: 'r4', from: 'A', to: 'C', weight: 2 },
      ],
    });
    const run = runClear(['--input', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { objective: 7, bound: 7, gap: 0, trades: [{ legs: ['r1', 'r3', 'r4'] }] });
  });

  it('with maxLength 2 takes the 2-cycle worth 4', () => {
    const file = write('toy2.json', {
      maxLength: 2,
      requests: [
        { id: 'r1', from: 'B', to: 'A', weight: 3 },
        { id: 'r2', from: 'A', to: 'B', weight: 1 },
        { id: 'r3', from: 'C', to: 'B', weight: 2 },
        { id: 'r4', from: 'A', to: 'C', weight: 2 },
      ],
    });
    const run = runClear(['--input', file, '--details']);
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.objective, 4);
    assert.deepEqual(plan.trades, [{ legs: ['r1', 'r2'], parties: ['A', 'B'] }]);
    assert.equal(plan.optimal, true);
  });

  it('names the field of each problem, exits 2, and prints no stack trace', () => {
    const file = write('bad.json', {
      maxLength: 3,
      requests: [
        { id: 'r1', from: 'A', to: 'B', weight: 1 },
        { id: 'r2', from: 'B', to: 'A', weight: 'heavy' },
        { id: 'r3', to: 'B', weight: 1 },
      ],
    });
    const run = runClear(['--input', file]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /is not a valid clearing instance \(2 problems\)/);
    assert.match(run.stderr, /requests\[1\]\.weight: expected a finite number ≥ 0, found string "heavy"/);
    assert.match(run.stderr, /requests\[2\]\.from: expected a state code, found nothing/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('rejects a file that is not JSON, and a missing file, with one line each', () => {
    const notJson = runClear(['--input', write('broken.json', '{"maxLength": 3,')]);
    assert.equal(notJson.status, 2);
    assert.match(notJson.stderr, /^evenhand: .*broken\.json is not valid JSON/);
    const missing = runClear(['--input', join(dir, 'absent.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read instance file .*absent\.json: no such file/);
    for (const run of [notJson, missing]) assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('rejects a bad maxLength and a bad --time-limit', () => {
    const run = runClear(['--input', write('long.json', { maxLength: 12, requests: [] })]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /maxLength: expected an integer from 2 to 8, found number 12/);
    const limit = runClear(['--input', write('ok.json', { requests: [] }), '--time-limit', 'soon']);
    assert.notEqual(limit.status, 0);
    assert.match(limit.stderr, /--time-limit must be a number/);
  });

  it('an empty pool is an empty plan, not an error', () => {
    const run = runClear(['--input', write('empty.json', { maxLength: 3, requests: [] })]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { objective: 0, bound: 0, gap: 0, trades: [] });
  });
});

