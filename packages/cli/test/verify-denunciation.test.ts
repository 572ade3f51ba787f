import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addMonths } from '@evenhand/core';
import { treatiesForStates } from '@evenhand/testing';
import { runCli } from './run-cli.ts';
import { makeKeys, NOW, signEntries, writeLog, writePolicy, type Keys } from './verify-fixture.ts';

/**
 * Issue 17, "its witness leaves the quorum, and its history stays verifiable": RU denounces the
 * treaty, and RU acknowledges a pending US request after the denunciation took effect. A
 * checkpoint from that entry on needs no cosignature of RU's; one before it still does; and
 * `verify` and `check-proof` accept RU's entries, earlier ones and those on its pending case.
 */
const DAY = 86_400;
const work = mkdtempSync(join(tmpdir(), 'evenhand-denunciation-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys: Keys = makeKeys();
const policy = join(work, 'policy.txt');
writePolicy(policy, keys);
// The treaty with every party's witness and CH as the neutral one: the quorum comes from it.
const treaty = treatiesForStates(keys, ['US', 'RU'], new Map())[0]!;
const base = NOW - 250 * DAY;
const notified = base + 2 * DAY;
const effective = addMonths(notified, 6);
const file = (author: string, requested: string, request: string, time: number) => ({
  author, time, type: 'request.file',
  body: { request, requested, kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${request}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: '2021-05-07' },
});
const domain = [
  { author: 'US', time: base, type: 'treaty.propose', body: { treaty } },
  { author: 'US', time: base, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
  { author: 'RU', time: base, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
  file('US', 'RU', 'L-1', base + DAY),
  file('RU', 'US', 'L-2', base + DAY),
  { author: 'RU', time: notified, type: 'treaty.denounce', body: { treaty: treaty.id } },
  { author: 'US', time: base + 3 * DAY, type: 'request.acknowledge', body: { request: 'L-2' } },
  // RU acts on the case pending when it left: the first entry after the effective date.
  { author: 'RU', time: effective + 60, type: 'request.acknowledge', body: { request: 'L-1' } },
];
const entries = signEntries(domain, keys);
const cosignedAt = effective + 120;
let counter = 0;

function logWith(count: number, witnesses: readonly string[]) {
  const dir = join(work, `${++counter}-log`);
  writeLog(dir, entries.slice(0, count), keys, { witnesses, time: cosignedAt });
  return dir;
}

function verify(dir: string, party: string) {
  const state = join(work, `${++counter}-state`);
  return runCli(['verify', '--log', dir, '--policy', policy, '--as', party, '--state', `${state}.json`, '--evidence', `${state}-evidence`, '--mirror', `${state}-mirror`, '--now', String(cosignedAt)]);
}

describe('verifying a log in which a state left the treaty (issue 17)', () => {
  it('a checkpoint after the effective date needs no cosignature of the state that left', () => {
    const result = verify(logWith(entries.length, ['US', 'CH']), 'US');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`size ${entries.length}: signed by the log, cosigned by US, CH`));
  });

  it('one before it still does, and an earlier checkpoint with it still verifies', () => {
    const before = verify(logWith(entries.length - 1, ['US', 'CH']), 'US');
    assert.equal(before.status, 1, before.stdout);
    assert.match(before.stderr, /FAILED \[CHECKPOINT_QUORUM_NOT_MET\]/);
    const earlier = verify(logWith(entries.length - 1, ['US', 'RU', 'CH']), 'US');
    assert.equal(earlier.status, 0, earlier.stderr);
  });

  it('the state that left still verifies its history, with its own cosignature', () => {
    const dir = logWith(entries.length, ['US', 'RU', 'CH']);
    assert.equal(verify(dir, 'RU').status, 0);
    const without = verify(logWith(entries.length, ['US', 'CH']), 'RU');
    assert.equal(without.status, 1);
    assert.match(without.stderr, /FAILED \[CHECKPOINT_OWN_WITNESS_MISSING\]/);
  });

  it('check-proof accepts a case of the state that left, proved in a checkpoint without its witness', () => {
    const dir = logWith(entries.length, ['US', 'CH']);
    for (const request of ['L-1', 'L-2']) {
      const out = join(work, `${++counter}-${request}.json`);
      const proved = runCli(['prove', '--log', dir, '--policy', policy, '--request', request, '--out', out]);
      assert.equal(proved.status, 0, proved.stderr);
      // Every proof carries the entry where the denunciation took effect (index 7), whatever its case.
      const bundle = JSON.parse(readFileSync(out, 'utf8')) as { runs: { from: number; entries: string[] }[] };
      assert.ok(bundle.runs.some((run) => run.from <= 7 && 7 < run.from + run.entries.length), `${request}: the proof holds entry 7`);
      const checked = runCli(['check-proof', out, '--policy', policy]);
      assert.equal(checked.status, 0, checked.stderr);
      assert.match(checked.stdout, new RegExp(`^VALID: request ${request}, .* cosigned by US, CH`));
    }
  });
});
