import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { censoredMedian, median, statistics, type AnyDomainEntry, type PairStatistics, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, run } from './request-helpers.ts';

const treaty = treaty2021();
const adopted = run(adoption(treaty));

function pair(s: State, requesting: string, requested: string, now: number): PairStatistics {
  const found = statistics(s, now).find((entry) => entry.requesting === requesting && entry.requested === requested);
  assert.ok(found, `statistics for ${requesting} → ${requested}`);
  return found;
}

const usFile = (id: string, at = day(0), nationality = 'UA') => entry('US', at, 'request.file', fileBody(id, { subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 } }));
const ack = (id: string, at: number) => entry('RU', at, 'request.acknowledge', { request: id });
const grant = (id: string, at: number) => entry('RU', at, 'request.decide', { request: id, decision: 'grant', approvers: APPROVERS });

describe('statistics per ordered pair', () => {
  it('lists every ordered pair of parties, zeros included', () => {
    const all = statistics(adopted, day(0));
    assert.deepEqual(all.map((entry) => `${entry.requesting}>${entry.requested}`), ['US>RU', 'RU>US']);
    assert.equal(all[1]?.filed, 0);
    assert.equal(all[1]?.medianDaysToDecision, null);
  });

  it('counts acknowledgement and decision on time at the edge (due instant on time, one second later late)', () => {
    const entries: AnyDomainEntry[] = [usFile('A'), usFile('B'), ack('A', day(10)), ack('B', day(10, 1)), grant('A', day(60)), grant('B', day(60, 1))];
    const stats = pair(run(entries, adopted), 'US', 'RU', day(100));
    assert.deepEqual([stats.filed, stats.acknowledged, stats.acknowledgedOnTime, stats.decided, stats.decidedOnTime, stats.granted], [2, 2, 1, 2, 1, 2]);
    assert.equal(stats.medianDaysToDecision, 60 + 0.5 / 86_400);
  });

  it('counts requests unanswered past their deadline, and not those still in time or withdrawn', () => {
    const entries: AnyDomainEntry[] = [usFile('OLD', day(0)), usFile('NEW', day(50)), usFile('GONE', day(0)), entry('US', day(5), 'request.withdraw', { request: 'GONE', sealed: REASONS })];
    const stats = pair(run(entries, adopted), 'US', 'RU', day(60, 1));
    assert.deepEqual([stats.filed, stats.pending, stats.withdrawn, stats.unansweredPastDeadline, stats.unacknowledgedPastDeadline], [3, 2, 1, 1, 2]);
    assert.equal(pair(run(entries, adopted), 'US', 'RU', day(60)).unansweredPastDeadline, 0);
    assert.equal(pair(run(entries, adopted), 'RU', 'US', day(60, 1)).filed, 0, 'directions are kept apart');
  });

  it('counts refusals by ground and prosecutions opened, reported and overdue', () => {
    const entries: AnyDomainEntry[] = [
      usFile('N1', day(0), 'RU'),
      usFile('N2', day(0), 'RU'),
      usFile('F1', day(0)),
      ...['N1', 'N2', 'F1'].map((id) => ack(id, day(1))),
      ...['N1', 'N2'].map((id) => entry('RU', day(2), 'request.consult', { request: id, ground: 'nationality' })),
      ...['N1', 'N2'].map((id) => entry('RU', day(20), 'request.decide', { request: id, decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS })),
      entry('RU', day(30), 'request.decide', { request: 'F1', decision: 'refuse', ground: 'fiscal', findings: { fiscalOffence: true }, approvers: APPROVERS, sealed: REASONS }),
      entry('RU', day(40), 'prosecution.milestone', { request: 'N1', milestone: 'opened' }),
      entry('RU', day(50), 'prosecution.outcome', { request: 'N1', outcome: 'convicted', sentenceMonths: 30 }),
    ];
    const s = run(entries, adopted);
    const inTime = pair(s, 'US', 'RU', day(110));
    assert.deepEqual(inTime.refusedByGround, { nationality: 2, fiscal: 1 });
    assert.deepEqual([inTime.refused, inTime.prosecutionsOwed, inTime.prosecutionsOpened, inTime.prosecutionsReported, inTime.prosecutionReportsOverdue], [3, 2, 1, 1, 0]);
    assert.equal(pair(s, 'US', 'RU', day(110, 1)).prosecutionReportsOverdue, 1, 'N2 reported nothing in the 90 days after its refusal');
    assert.equal(inTime.medianDaysToDecision, 20);
  });

  it('counts provisional arrests apart from full requests', () => {
    const s = run([entry('US', day(0), 'request.file', fileBody('PA', { kind: 'provisional-arrest' }))], adopted);
    const stats = pair(s, 'US', 'RU', day(100));
    assert.deepEqual([stats.filed, stats.provisionalArrests, stats.unansweredPastDeadline], [0, 1, 0]);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    assert.equal(median([]), null);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('censoredMedian (Kaplan–Meier)', () => {
  it('equals the plain median when nothing is censored', () => {
    assert.equal(censoredMedian([10, 20, 30], []), 20);
  });

  it('counts pending requests as still waiting: silence lengthens the median, it does not vanish', () => {
    // Decided after 10 and 20 days; three more pending for 100 days: half never got an answer yet.
    assert.equal(median([10, 20]), 15);
    assert.equal(censoredMedian([10, 20], [100, 100, 100]), null);
    // Two decided, two pending longer: S(10) = 3/4, S(20) = 3/4 · 2/3 = 1/2, so the median is 20.
    assert.equal(censoredMedian([10, 20], [50, 60]), 20);
    // A request pending only 5 days leaves the risk set early and does not count as silence.
    assert.equal(censoredMedian([10, 20, 30], [5]), 20);
  });

  it('is null with no request at all', () => {
    assert.equal(censoredMedian([], []), null);
  });
});
