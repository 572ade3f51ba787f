import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addDays, apply, genesis, ok, type AnyDomainEntry, type State } from '@evenhand/core';
import { CASE_PROOF_MAX_ENTRIES, CaseIndex, checkCaseProof, domainPart, parseEntry, proveCase, type CaseEntrySource, type CaseProof, type ProveCaseInput } from '@evenhand/log';
import { scenarioPolicy } from '@evenhand/testing';
import { makeKeys, NOW, scenarioDomainEntries, signEntries, writeLog } from './verify-fixture.ts';

/**
 * The one prover of the CLI and the services (log case-prover.ts), on the 2021 scenario: it
 * reads the case's entries by index from its source, found from the state and the case index,
 * and never the rest of the log (issue 13: no HTTP request may touch the whole log).
 */
const work = mkdtempSync(join(tmpdir(), 'evenhand-prove-by-index-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = makeKeys();
const DAY = 86_400;

/** The scenario, then the US refusing RU-2021-002 on nationality, which is open to it only because RU invoked nationality against the US (a mirrored ground). */
function domainEntries(): AnyDomainEntry[] {
  const entries = scenarioDomainEntries(keys);
  const at = (days: number) => addDays(NOW, -days);
  const more = [
    { author: 'US', time: at(5), type: 'request.acknowledge', body: { request: 'RU-2021-002' } },
    { author: 'US', time: at(4), type: 'request.consult', body: { request: 'RU-2021-002', ground: 'nationality', sealed: { message: 'The person is a US national.' } } },
    { author: 'RU', time: at(3), type: 'request.consult-reply', body: { request: 'RU-2021-002', sealed: { message: 'Prosecute him then.' } } },
    { author: 'US', time: at(2), type: 'request.decide', body: { request: 'RU-2021-002', decision: 'refuse-prosecute', ground: 'nationality', assurances: [], onReciprocity: false, findings: {}, approvers: ['us-approver-1', 'us-approver-2'], sealed: { reasons: 'Mirrored: RU refuses its nationals.' } } },
  ] as unknown as AnyDomainEntry[];
  return [...entries, ...more];
}

const bytes = signEntries(domainEntries(), keys);
const log = writeLog(join(work, 'log'), bytes, keys);
const size = bytes.length;

/** The replayed state and the case index, as the sequencer and the mirror keep them. */
function replay(): { state: State; cases: CaseIndex } {
  const cases = new CaseIndex();
  let state = genesis();
  for (const [index, item] of bytes.entries()) {
    const entry = parseEntry(item);
    assert.ok(entry.ok);
    const applied = apply(state, domainPart(entry.value) as AnyDomainEntry);
    assert.ok(applied.ok, `entry ${index} applies: ${applied.ok ? '' : applied.error.message}`);
    state = applied.value;
    cases.observe(index, entry.value, state);
  }
  return { state, cases };
}
const { state, cases } = replay();

/** A source over the log that records every index it is asked for. */
function countingSource(): { source: CaseEntrySource; read: Set<number> } {
  const read = new Set<number>();
  return {
    read,
    source: {
      async entries(from, to) {
        for (let index = from; index < to; index++) read.add(index);
        return ok(bytes.slice(from, to));
      },
      async rangeProof(from, to, at) {
        return log.tree.rangeProof(from, to, at);
      },
    },
  };
}

function held(bundle: CaseProof): number[] {
  return bundle.runs.flatMap((run) => run.entries.map((_, i) => run.from + i));
}

async function prove(subject: CaseProof['subject'], extra: Partial<ProveCaseInput> = {}) {
  const { source, read } = countingSource();
  const made = await proveCase({ subject, state, cases, checkpoint: { size, note: log.note }, policy: scenarioPolicy(keys), source, ...extra });
  return { made, read };
}

describe('proving a case by index (log proveCase)', () => {
  it('reads only the case\'s entries: the opening, the treaty\'s and the request\'s, not the log', async () => {
    const { made, read } = await prove({ type: 'request', id: 'US-2021-001' });
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    assert.deepEqual([...read].sort((a, b) => a - b), held(made.value), 'read exactly what the bundle holds');
    assert.ok(read.size < size / 2, `read ${read.size} of ${size} entries`);
    const checked = checkCaseProof(made.value);
    assert.ok(checked.ok, checked.ok ? '' : checked.error.message);
    assert.deepEqual(checked.value.proof.subject, { type: 'request', id: 'US-2021-001' });
    assert.equal(checked.value.subjectEntries.length, 6);
  });

  it('proves a trade with its leg\'s request, which its proposal needs granted', async () => {
    const { made } = await prove({ type: 'trade', id: 'T-2021-1' });
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    const checked = checkCaseProof(made.value);
    assert.ok(checked.ok, checked.ok ? '' : checked.error.message);
    assert.deepEqual(checked.value.subjectEntries.map(({ entry }) => entry.type), ['trade.propose', 'trade.sign']);
    assert.ok(checked.value.entries.some(({ entry }) => entry.type === 'request.decide' && (entry.body as { request: string }).request === 'RU-2021-001'));
  });

  it('takes the earlier refusal a mirrored ground rests on, found in the case index', async () => {
    const { made } = await prove({ type: 'request', id: 'RU-2021-002' });
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    const decisions = checkCaseProof(made.value);
    assert.ok(decisions.ok, decisions.ok ? '' : decisions.error.message);
    assert.ok(decisions.value.entries.some(({ entry }) => entry.type === 'request.decide' && (entry.body as { request: string }).request === 'US-2021-001'), 'RU\'s refusal on nationality is in the bundle');
  });

  it('proves an unanswered decision with the range from the filing to the checkpoint the source names', async () => {
    const filing = [...bytes.keys()].find((index) => {
      const entry = parseEntry(bytes[index]!);
      return entry.ok && entry.value.type === 'request.file' && (entry.value.body as { request: string }).request === 'US-2021-002';
    })!;
    const end = filing + 20;
    const archived = writeLog(join(work, `log-${end}`), bytes.slice(0, end), keys, { time: NOW - 60 * DAY });
    const asked: number[][] = [];
    const { made, read } = await prove({ type: 'request', id: 'US-2021-002' }, {
      unanswered: { kind: 'decide', witnessedAt: NOW, checkpointAfter: async (minSize, due) => (asked.push([minSize, due]), { size: end, note: archived.note }) },
    });
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    assert.deepEqual(asked.map(([minSize]) => minSize), [filing + 1]);
    for (let index = filing; index < end; index++) assert.ok(read.has(index), `entry ${index} of the range is read`);
    assert.ok(![...read].some((index) => index >= end), 'nothing past the checkpoint that ends the range');
    const checked = checkCaseProof(made.value);
    assert.ok(checked.ok, checked.ok ? '' : checked.error.message);
    assert.equal(checked.value.unanswered?.deadline.kind, 'decide');
  });

  // Listed first, a span of 2^40 entries would never end: the test's timeout catches that.
  it('refuses an unanswered span longer than a case proof may hold before listing it, reading nothing', { timeout: 20_000 }, async () => {
    // A checkpoint after the due date far beyond the filing (an erasure owed years on): the prover must not walk the span.
    const far = { size: 2 ** 40, note: log.note };
    const { made, read } = await prove({ type: 'request', id: 'US-2021-002' }, { unanswered: { kind: 'decide', witnessedAt: NOW, checkpointAfter: async () => far } });
    assert.ok(!made.ok);
    assert.equal(made.error.code, 'CASE_PROOF_MALFORMED');
    assert.match(made.error.message, new RegExp(`more than the ${CASE_PROOF_MAX_ENTRIES} a case proof may hold`));
    assert.equal(read.size, 0, 'no entry read');
  });

  it('answers an unknown case with the core\'s code, and a case after the checkpoint as unknown too', async () => {
    const request = await prove({ type: 'request', id: 'XX-1' });
    assert.ok(!request.made.ok);
    assert.equal(request.made.error.code, 'REQUEST_UNKNOWN');
    const trade = await prove({ type: 'trade', id: 'T-0' });
    assert.ok(!trade.made.ok);
    assert.equal(trade.made.error.code, 'TRADE_UNKNOWN');
    const early = writeLog(join(work, 'log-early'), bytes.slice(0, 10), keys);
    const later = await proveCase({ subject: { type: 'trade', id: 'T-2021-1' }, state, cases, checkpoint: { size: 10, note: early.note }, policy: scenarioPolicy(keys), source: countingSource().source });
    assert.ok(!later.ok);
    assert.match(later.error.message, /no trade T-2021-1 in the log's first 10 entries/);
    const notDue = await prove({ type: 'request', id: 'US-2021-004' }, { unanswered: { kind: 'decide', witnessedAt: NOW, checkpointAfter: async () => undefined } });
    assert.ok(!notDue.made.ok);
    assert.equal(notDue.made.error.code, 'CASE_PROOF_NOT_OVERDUE');
  });
});
