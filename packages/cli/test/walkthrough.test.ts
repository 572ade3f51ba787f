import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli.ts';

describe('evenhand walkthrough (what npm start prints)', () => {
  const run = runCli(['walkthrough', '--now', '2026-11-26T12:00:00Z']);

  it('replays the 2021 scenario and exits 0', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Evenhand walk-through: the 2021 scenario under "US–RU cybercrime handover arrangement, 2021"/);
    assert.match(run.stdout, /Now is 2026-11-26T12:00:00Z\. Replayed \d+ entries/);
  });

  it('shows every request with its state, including the refusal on nationality and the conditional grant', () => {
    assert.match(run.stdout, /status: refused-prosecute-instead on nationality/);
    assert.match(run.stdout, /status: granted-conditional, conditional on reciprocity/);
    assert.match(run.stdout, /grounds open to US: nationality \(mirrored\)/);
  });

  it('lists open obligations with overdue ones first, citing articles', () => {
    const section = run.stdout.slice(run.stdout.indexOf('Open obligations'), run.stdout.indexOf('Statistics per pair'));
    const lines = section.split('\n').filter((line) => /^\s+[! ] \S/.test(line));
    assert.ok(lines.length > 0, 'obligations are listed');
    const firstOnTime = lines.findIndex((line) => !line.trimStart().startsWith('!'));
    assert.ok(lines.slice(firstOnTime === -1 ? lines.length : firstOnTime).every((line) => !line.trimStart().startsWith('!')), 'overdue first');
    assert.match(section, /RU must report on the prosecution: OVERDUE since .*\[Budapest Convention art\. 24\(6\)/);
  });

  it('prints the statistics for both directions, settling the unanswered-requests dispute with data', () => {
    assert.match(run.stdout, /US -> RU: \d+ filed/);
    assert.match(run.stdout, /RU -> US: \d+ filed/);
    assert.match(run.stdout, /unanswered past the deadline: [1-9]/);
    assert.match(run.stdout, /prosecutions instead of extradition: 1 owed, 1 opened, 0 outcome reported, 1 report overdue/);
  });

  it('rejects a --now that is not a time, naming the option', () => {
    const bad = runCli(['walkthrough', '--now', 'yesterday']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--now must be an ISO 8601 time/);
  });
});

describe('evenhand walkthrough: the proposed trade', () => {
  it('lists the trade, its legs and who has signed', () => {
    const run = runCli(['walkthrough', '--now', '2026-11-26T12:00:00Z']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Trades \(1\)\n  T-2021-1  proposed, signed by US of RU, US/);
    assert.match(run.stdout, /US -> RU: request RU-2021-001/);
  });
});
