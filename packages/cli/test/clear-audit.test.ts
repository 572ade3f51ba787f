/**
 * `evenhand clear --audit` (issue 13, "clearing rounds anyone can re-check") on rounds a real
 * exchange ran: over its URL, and over directories holding the same log with one round
 * altered and every entry signed again, as an operator holding the log key could.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Stack } from '../../server/test/exchange-stack.ts';
import { domainEntries, fileGrants, logEntries, runRound, startClearingStack, writeSignedLog, type DomainEntry } from './clearing-log.ts';
import { runCliAsync } from './run-cli.ts';
import { writePolicy } from './verify-fixture.ts';

type RoundBody = Record<string, unknown> & { round: string; trades: string[]; poolAt: number; objective: number; bound: number; gap: number; poolDigest: string };

describe('evenhand clear --audit', () => {
  let stack: Stack;
  let work: string;
  let policy: string;
  let honest: DomainEntry[];
  /** Index of each clearing.round entry, in log order. */
  let rounds: number[];
  let counter = 0;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'evenhand-clear-audit-'));
    stack = await startClearingStack();
    await fileGrants(stack, Math.floor(Date.now() / 1000));
    const first = await runRound(stack);
    assert.equal(first.trades.length, 1, JSON.stringify(first));
    const second = await runRound(stack);
    assert.equal(second.pool, 1, JSON.stringify(second));
    honest = domainEntries(await logEntries(stack.exchange.url));
    rounds = honest.flatMap((entry, index) => (entry.type === 'clearing.round' ? [index] : []));
    policy = join(work, 'policy.txt');
    writePolicy(policy, stack.keys);
  });
  after(async () => {
    await stack?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const audit = (log: string, round: string, extra: string[] = []) => runCliAsync(['clear', '--audit', '--log', log, '--round', round, ...extra], { timeoutMs: 120_000 });

  /** The honest log with `alter` applied to a copy of its entries, signed again and written as a directory. */
  function altered(alter: (entries: DomainEntry[]) => void): string {
    const entries = structuredClone(honest);
    alter(entries);
    return writeSignedLog(join(work, `log-${++counter}`), entries, stack).dir;
  }
  const roundBody = (entries: DomainEntry[], ordinal: number) => entries.filter((entry) => entry.type === 'clearing.round')[ordinal - 1]!.body as RoundBody;

  function expectInvalid(run: { status: number | null; stdout: string; stderr: string }, field: string, reason: RegExp): void {
    assert.equal(run.status, 1, `expected exit 1; stdout: ${run.stdout} stderr: ${run.stderr}`);
    assert.match(run.stdout, /^INVALID: /m);
    const line = run.stderr.split('\n').find((each) => each.startsWith(`evenhand clear --audit: INVALID ${field}: `));
    assert.ok(line, `no finding on ${field}: ${run.stderr}`);
    assert.match(line, reason);
  }

  it('passes the rounds the exchange ran, read from its URL: first by number, then by id', async () => {
    const body = roundBody(honest, 1);
    assert.equal(body.objective, 2);
    assert.equal(body.bound, 2);
    assert.equal(body.gap, 0);
    assert.equal(body.poolAt, rounds[0]! - 1, 'the pool was built just before the proposal');
    const run = await audit(stack.exchange.url, '1', ['--policy', policy]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Clearing round ${body.round}: entry ${rounds[0]} of the log of ${honest.length} entries, its 1st clearing.round \\(the log key's and every author's signatures checked\\)`));
    assert.match(run.stdout, new RegExp(`the pool rebuilt from the log at size ${body.poolAt} \\(3 legs\\) has the round's digest ${body.poolDigest}`));
    assert.match(run.stdout, /the proposed trade is feasible in the pool/);
    assert.match(run.stdout, /the objective 2 is the total weight of the proposed trades/);
    assert.match(run.stdout, /the bound 2 is the circulation bound C, recomputed exactly from the pool/);
    assert.match(run.stdout, /^VALID: /m);
    const second = await audit(stack.exchange.url, roundBody(honest, 2).round);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /its 2nd clearing\.round/);
    assert.match(second.stderr, /no --policy: the log's signatures are not checked/);
  });

  it('passes the same log written as a directory and signed again, and reports it as JSON', async () => {
    const dir = altered(() => undefined);
    const run = await audit(dir, 'last', ['--policy', policy, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { valid: boolean; ordinal: number; findings: unknown[]; recomputed: { circulationBound: number } };
    assert.deepEqual([report.valid, report.ordinal, report.findings, report.recomputed.circulationBound], [true, 2, [], 0]);
  });

  it('fails a round whose objective was changed', async () => {
    const dir = altered((entries) => Object.assign(roundBody(entries, 1), { objective: 1, gap: 500_000 }));
    expectInvalid(await audit(dir, '1', ['--policy', policy]), 'objective', /stated 1, but the proposed trades are worth 2 \(rule: the objective is the total weight of the trades proposed\)/);
  });

  it('fails a round whose bound was changed', async () => {
    const dir = altered((entries) => Object.assign(roundBody(entries, 1), { bound: 5, gap: 600_000 }));
    expectInvalid(await audit(dir, '1'), 'bound', /stated 5, above the circulation bound C = 2 recomputed from the pool/);
  });

  it('fails a round that proposed nothing and claims nothing better existed: re-solving finds the trade', async () => {
    const dir = altered((entries) => {
      Object.assign(roundBody(entries, 1), { trades: [], objective: 0, bound: 0, gap: 0 });
      entries.splice(rounds[0]! - 1, 1); // the proposal goes; poolAt stays the size before it
    });
    expectInvalid(await audit(dir, '1'), 'bound', /stated 0, but re-solving the pool found a plan worth 2 \(rule: no plan is worth more than the bound\)/);
  });

  it('fails a round whose pool digest was changed', async () => {
    const dir = altered((entries) => Object.assign(roundBody(entries, 1), { poolDigest: '0'.repeat(64) }));
    const run = await audit(dir, '1');
    expectInvalid(run, 'poolDigest', /stated 0{64}, but the pool rebuilt from the log at size \d+ \(3 legs\) digests to [0-9a-f]{64}/);
    assert.doesNotMatch(run.stderr, /INVALID (objective|bound|trades)/);
  });

  it('fails a round that proposed a trade with a leg not in its pool', async () => {
    // US-1 was offered in the first round, so it is not in the second round's pool; the log
    // still takes a proposal of it (only a committed trade locks a leg).
    const dir = altered((entries) => {
      const body = roundBody(entries, 2);
      const trade = `clearing-${rounds[1]}-1`;
      const proposal = { author: 'exchange', time: entries[rounds[1]!]!.time, type: 'trade.propose', body: { trade, legs: [{ kind: 'request', request: 'US-1' }, { kind: 'request', request: 'RU-2' }], coordinator: 'exchange', deadline: entries[rounds[1]!]!.time + 86_400 } };
      entries.splice(rounds[1]!, 0, proposal as DomainEntry);
      Object.assign(body, { trades: [trade], objective: 2, bound: 2, gap: 0 });
    });
    expectInvalid(await audit(dir, '2'), 'trades', /trade clearing-\d+-1: leg 0 \(request US-1\) is not in the pool the round solved \(rule: every proposed trade is feasible in the pool\)/);
  });

  it('fails a round that records no figures, saying so', async () => {
    const dir = altered((entries) => {
      const body = roundBody(entries, 1);
      for (const field of ['poolAt', 'poolDigest', 'objective', 'bound', 'gap', 'solver']) delete body[field];
    });
    expectInvalid(await audit(dir, '1'), 'poolAt, poolDigest, objective, bound, gap, solver', /this round records no figures/);
  });

  it('fails a round the log key did not sign, with --policy', async () => {
    const entries = structuredClone(honest);
    const { signEntries, writeLog } = await import('./verify-fixture.ts');
    // Signed with the exchange's author key of the scenario, not the log key.
    const dir = writeLog(join(work, 'unsigned'), signEntries(entries, stack.keys), stack.keys).dir;
    const run = await audit(dir, '1', ['--policy', policy]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /INVALID log: entry \d+ \(trade\.propose by exchange\): sig: not a valid signature by exchange/);
  });

  it('exits 2 on a log it cannot read, a round the log does not hold, and a missing --round', async () => {
    const missing = await audit(join(work, 'nowhere'), '1');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no checkpoint/);
    const noRound = await audit(stack.exchange.url, '9');
    assert.equal(noRound.status, 2);
    assert.match(noRound.stderr, /no clearing round matches round number 9 in the log of \d+ entries/);
    const noId = await audit(stack.exchange.url, 'round-0');
    assert.equal(noId.status, 2);
    const usage = await runCliAsync(['clear', '--audit', '--log', stack.exchange.url]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--audit needs --log <url\|dir> and --round <n>/);
  });
});
