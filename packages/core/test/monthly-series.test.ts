import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFigureIndex, figuresOf, listRequests, monthlySeries, MONTHS_AT_MOST, type State } from '../src/index.ts';
import { walk } from './legal-acts-walk.ts';
import { entry, fileBody, run } from './request-helpers.ts';
import { adopt, tradeTreaty } from './trade-support.ts';

/**
 * Issue 5's dashboard, counted from the figure index (views/monthly-series.ts, issue 14): it
 * must say what a count over every request says, month by month.
 */

const month = (at: number) => new Date(at * 1000).toISOString().slice(0, 7);

/** The months by a walk over every request: each extradition's filing and handover in its month. */
function recount(state: State, at: number, party: string): unknown[] {
  const extraditions = listRequests(state).filter((record) => record.view.kind === 'extradition');
  const counterparts = new Set<string>();
  for (const record of listRequests(state)) {
    if (record.view.requesting === party) counterparts.add(record.view.requested);
    if (record.view.requested === party) counterparts.add(record.view.requesting);
  }
  counterparts.delete(party);
  return [...counterparts].sort().map((counterpart) => {
    const incoming = extraditions.filter((record) => record.view.requesting === counterpart && record.view.requested === party);
    const outgoing = extraditions.filter((record) => record.view.requesting === party && record.view.requested === counterpart);
    const instants = [at, ...[...incoming, ...outgoing].flatMap((record) => [record.view.filedAt, ...(record.surrenderedAt === undefined ? [] : [record.surrenderedAt])])];
    const every: string[] = [];
    for (let cursor = new Date(Math.min(...instants) * 1000); ; ) {
      every.push(cursor.toISOString().slice(0, 7));
      if (every.at(-1) === month(Math.max(...instants))) break;
      cursor = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    }
    const months = every.slice(-MONTHS_AT_MOST);
    const count = (records: typeof incoming, instant: (record: (typeof incoming)[number]) => number | undefined) => months.map((label) => records.filter((record) => instant(record) !== undefined && month(instant(record)!) === label).length);
    // Labels YYYY-MM compare as their months do.
    const earlier = (records: typeof incoming) => records.filter((record) => record.surrenderedAt !== undefined && month(record.surrenderedAt) < months[0]!).length;
    return {
      counterpart,
      months,
      filedIncoming: count(incoming, (record) => record.view.filedAt),
      filedOutgoing: count(outgoing, (record) => record.view.filedAt),
      surrendered: count(incoming, (record) => record.surrenderedAt),
      received: count(outgoing, (record) => record.surrenderedAt),
      before: { surrendered: earlier(incoming), received: earlier(outgoing) },
    };
  });
}

describe('the dashboard months (issue 5, from the index: issue 14)', () => {
  it('equal a count over every request, at every prefix of generated histories and at instants months apart', () => {
    let handedOver = 0;
    let spanning = 0;
    let cut = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 40, maxLength: 160 }), (count, steps) => {
        const { state } = walk(count, steps, (state, now) => {
          if (state.size % 4 !== 0) return;
          for (const party of state.treaty?.parties.map((member) => member.id) ?? []) {
            // Now, months later, and so late that the months shown begin after every handover (the running balance's start).
            for (const at of [now, now + 100 * 86_400, now + 51 * 365 * 86_400]) {
              const series = monthlySeries(state, at, party);
              assert.deepEqual(series, recount(state, at, party), `${party}'s months at size ${state.size}, instant ${at}`);
              handedOver += series.some((pair) => pair.surrendered.some((value) => value > 0)) ? 1 : 0;
              spanning += series.some((pair) => pair.months.length > 2 && pair.filedIncoming.some((value) => value > 0)) ? 1 : 0;
              cut += series.some((pair) => pair.before.surrendered > 0 && pair.before.received !== pair.before.surrendered) ? 1 : 0;
            }
          }
        });
        assert.deepEqual(figuresOf(state), buildFigureIndex(state), 'the bags moved along the walk equal those counted from scratch');
      }),
      { numRuns: 25, seed: 20_261_206 },
    );
    assert.ok(handedOver > 0 && spanning > 0 && cut > 0, `the walks handed persons over (${handedOver}), spanned months (${spanning}), and handed over before the months shown, unequally each way (${cut})`);
  });

  it('count a filing at the first second of a month in that month, and show the latest months when there are too many', () => {
    const treaty = tradeTreaty(['US', 'RU']);
    const startOfJuly = Date.UTC(2021, 6, 1) / 1000;
    const state = run([...adopt(treaty), entry('US', startOfJuly - 1, 'request.file', fileBody('US-1', { requested: 'RU' })), entry('US', startOfJuly, 'request.file', fileBody('US-2', { requested: 'RU' }))]);
    const [pair] = monthlySeries(state, startOfJuly + 40 * 86_400, 'RU');
    assert.deepEqual(pair, { counterpart: 'US', months: ['2021-06', '2021-07', '2021-08'], filedIncoming: [1, 1, 0], filedOutgoing: [0, 0, 0], surrendered: [0, 0, 0], received: [0, 0, 0], before: { surrendered: 0, received: 0 } });
    const late = monthlySeries(state, Date.UTC(2080, 5, 15) / 1000, 'US')[0]!;
    assert.equal(late.months.length, MONTHS_AT_MOST);
    assert.deepEqual([late.months[0], late.months.at(-1)], ['2030-07', '2080-06']);
    assert.equal(late.filedOutgoing.reduce((sum, value) => sum + value, 0), 0, 'the filings before the months shown are not in them');
  });
});
