/**
 * `apply` replay throughput on generated data (issue 2: goal at least 50,000 entries/s on
 * one core). Run: node --import tsx packages/core/bench/apply.bench.ts [requests]
 *
 * The data: a treaty adoption, then requests in both directions through every kind of
 * lifecycle (refusal on nationality with prosecution, grant and surrender, conditional
 * grant on reciprocity, refusal after consultation, withdrawal, provisional arrest with a
 * following full request and consent), interleaved by time as in a real log.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addDays, apply, figuresOf, genesis, isoTime, loadTreaty, type AnyDomainEntry, type State, type Treaty } from '../src/index.ts';

const GOAL = 50_000;
const START = Date.UTC(2021, 5, 16) / 1000;

function loadScenarioTreaty(): Treaty {
  const path = fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url));
  const loaded = loadTreaty(readFileSync(path, 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error.issues));
  return loaded.value;
}

type Draft = { author: string; time: number; type: string; body: Record<string, unknown> };

const approvers = (party: string) => [`${party.toLowerCase()}-approver-1`, `${party.toLowerCase()}-approver-2`];
const reasons = { reasons: 'sealed reasons' };

/** One request's entries; `kind` picks the lifecycle. */
function lifecycle(index: number, at: number): Draft[] {
  const forward = index % 2 === 0;
  const [requesting, requested] = forward ? ['US', 'RU'] : ['RU', 'US'];
  const id = `${requesting}-${index}`;
  const t = (days: number) => addDays(at, days);
  const e = (author: string, days: number, type: string, body: Record<string, unknown>): Draft => ({ author, time: t(days), type, body: { request: id, ...body } });
  const file = (nationality: string, extra: Record<string, unknown> = {}) =>
    e(requesting, 0, 'request.file', {
      requested,
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: `p-${index}`, nationalities: [nationality], ageAtOffence: 25 + (index % 20) },
      offences: ['ransomware-extortion', 'laundering'],
      offenceDate: '2021-05-07',
      ...extra,
    });
  const surrender = (from: number): Draft[] => [
    e(requested, from, 'request.schedule-surrender', { date: isoTime(t(from + 2)).slice(0, 10) }),
    e(requested, from + 3, 'request.surrender', {}),
    e(requesting, from + 4, 'request.confirm-receipt', {}),
  ];
  const grant = (): Draft[] => [
    file('UA'),
    e(requested, 1, 'request.acknowledge', {}),
    e(requested, 3, 'request.ask-info', {}),
    e(requesting, 9, 'request.supply-info', {}),
    e(requested, 15, 'request.decide', { decision: 'grant', approvers: approvers(requested) }),
    ...surrender(16),
  ];
  switch ((index >> 1) % 6) {
    case 0:
      // A refusal on nationality after consultation opens a prosecution (Budapest art.
      // 24(6)); only RU's law bars extraditing nationals, so the other direction grants.
      if (requested !== 'RU') return grant();
      return [
        file('RU'),
        e(requested, 1, 'request.acknowledge', {}),
        e(requested, 2, 'request.consult', { ground: 'nationality' }),
        e(requesting, 5, 'request.consult-reply', {}),
        e(requested, 6, 'request.decide', { decision: 'refuse-prosecute', ground: 'nationality', approvers: approvers(requested), sealed: reasons }),
        e(requested, 20, 'prosecution.milestone', { milestone: 'opened' }),
        e(requested, 60, 'prosecution.milestone', { milestone: 'charged' }),
        e(requested, 120, 'prosecution.outcome', { outcome: 'convicted', sentenceMonths: 36 }),
      ];
    case 1:
      return grant();
    case 2:
      return [file('UA'), e(requested, 1, 'request.acknowledge', {}), e(requested, 30, 'request.decide', { decision: 'grant-conditional', onReciprocity: true, approvers: approvers(requested) })];
    case 3:
      return [
        file('UA', { facts: { politicalOffence: true } }),
        e(requested, 2, 'request.acknowledge', {}),
        e(requested, 4, 'request.consult', { ground: 'political-offence' }),
        e(requested, 25, 'request.decide', { decision: 'refuse', ground: 'political-offence', approvers: approvers(requested), sealed: reasons }),
      ];
    case 4:
      return [file('UA'), e(requested, 1, 'request.acknowledge', {}), e(requesting, 8, 'request.withdraw', { sealed: reasons })];
    default: {
      // ECE art. 16: provisional arrest, then the full request that follows it, with consent.
      const full = `${id}-full`;
      const f = (author: string, days: number, type: string, body: Record<string, unknown>): Draft => ({ ...e(author, days, type, body), body: { request: full, ...body } });
      const fullFiling = file('UA', { follows: id });
      return [
        file('UA', { kind: 'provisional-arrest' }),
        e(requested, 1, 'request.acknowledge', {}),
        e(requested, 2, 'request.arrest', {}),
        { ...fullFiling, time: t(12), body: { ...fullFiling.body, request: full } },
        f(requested, 13, 'request.acknowledge', {}),
        f(requested, 14, 'request.consent', {}),
        f(requested, 20, 'request.decide', { decision: 'grant', approvers: approvers(requested) }),
        f(requested, 21, 'request.schedule-surrender', { date: isoTime(t(23)).slice(0, 10) }),
        f(requested, 24, 'request.surrender', {}),
        f(requesting, 25, 'request.confirm-receipt', {}),
      ];
    }
  }
}

export function generate(treaty: Treaty, requests: number): AnyDomainEntry[] {
  const adoption: Draft[] = [
    { author: 'US', time: START, type: 'treaty.propose', body: { treaty } },
    { author: 'US', time: START, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    { author: 'RU', time: START, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
  ];
  const drafts: Draft[] = [];
  for (let index = 0; index < requests; index += 1) drafts.push(...lifecycle(index, START + 3600 + index * 600));
  // A stable sort by time interleaves the requests as a real log would.
  drafts.sort((a, b) => a.time - b.time);
  return [...adoption, ...drafts] as unknown as AnyDomainEntry[];
}

function replayAll(entries: readonly AnyDomainEntry[]): State {
  let state = genesis();
  for (let index = 0; index < entries.length; index += 1) {
    const result = apply(state, entries[index]!);
    if (!result.ok) throw new Error(`entry ${index} (${entries[index]!.type}) refused: ${result.error.code} ${result.error.message}`);
    state = result.value;
  }
  // A replay is read at its end (statistics, deadlines): the figure index, computed when first read (figure-cell.ts), is part of its cost.
  figuresOf(state);
  return state;
}

function main(): void {
  const requests = Number(process.argv[2] ?? 20_000);
  const entries = generate(loadScenarioTreaty(), requests);
  replayAll(entries.slice(0, 5_000)); // warm-up
  const rounds = 3;
  let best = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    const state = replayAll(entries);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, entries.length / seconds);
    if (state.size !== entries.length) throw new Error('replay lost entries');
  }
  const verdict = best >= GOAL ? 'meets' : 'MISSES';
  console.log(`apply replay: ${Math.round(best).toLocaleString('en')} entries/s (${entries.length.toLocaleString('en')} entries, ${requests.toLocaleString('en')} requests, best of ${rounds}) — goal ≥ ${GOAL.toLocaleString('en')} entries/s: ${verdict}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
