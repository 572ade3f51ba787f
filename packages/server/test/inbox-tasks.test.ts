import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlinesView, obligationCounts, skewOf } from '@evenhand/core';
import { adoption, day, entry, fileBody, run } from '../../core/test/request-helpers.ts';
import { treaty2021 } from '../../core/test/fixtures.ts';
import { isEmergency, mostUrgent, NEW_LISTED, NEW_SCAN_BUDGET, newIncoming, TASKS_LISTED } from '../src/gateway/inbox-tasks.ts';

const HOUR = 3_600;

/**
 * Issue 14: a state's inbox (GET /api/tasks) reads its own side of the open obligations from
 * the index, a bounded part of it, and counts the rest there. The state has more requests than
 * a page examines: the US files thousands to RU, long overdue by the reading; RU files three to
 * the US much later, still overdue, behind RU's whole backlog in the list's order; and the US
 * files two emergencies to RU, one overdue behind RU's backlog, one due in hours.
 */
describe('a state’s inbox reads a bounded part of the log', () => {
  const count = NEW_SCAN_BUDGET + 100;
  const filings = Array.from({ length: count }, (_, index) => entry('US', day(1, index), 'request.file', fileBody(`US-IN-${index}`)));
  const late = ['RU-IN-0', 'RU-IN-1', 'RU-IN-2'].map((id, index) => entry('RU', day(100, index), 'request.file', fileBody(id, { requested: 'US' })));
  const overdueEmergency = entry('US', day(150), 'request.file', fileBody('US-E-0', { kind: 'emergency-disclosure' }));
  const emergency = entry('US', day(200), 'request.file', fileBody('US-E-1', { kind: 'emergency-disclosure' }));
  const state = run([...adoption(treaty2021()), ...filings, ...late, overdueEmergency, emergency]);
  const now = day(200, HOUR);
  const open = deadlinesView(state, now).items;
  const owedBy = (party: string) => open.filter((item) => item.party === party);
  const ids = (items: readonly (typeof open)[number][]) => items.map((item) => ['request' in item ? item.request : item.trade, item.kind, item.overdue]);

  it('counts what each side owes from the index, as the whole list would', () => {
    for (const party of ['US', 'RU']) {
      const recount = { owes: owedBy(party).length, owed: open.filter((item) => item.party !== party).length };
      assert.deepEqual(obligationCounts(state, party), recount, party);
    }
    assert.ok(obligationCounts(state, 'RU').owes > 2 * NEW_SCAN_BUDGET, 'more open obligations than a page examines');
  });

  it('lists every emergency first, the overdue one behind the backlog too, then the soonest due', () => {
    const ours = mostUrgent(state, now, 'RU', true);
    assert.equal(ours.length, TASKS_LISTED);
    assert.deepEqual(ids(ours.slice(0, 4)), [['US-E-0', 'acknowledge', true], ['US-E-0', 'decide', true], ['US-E-1', 'acknowledge', false], ['US-E-1', 'decide', false]]);
    assert.ok(owedBy('RU').findIndex((item) => 'request' in item && item.request === 'US-E-0') > TASKS_LISTED, 'the overdue emergency is far down the list');
    // Then the soonest due, as the whole list orders them: the backlog, most overdue first.
    assert.deepEqual(ours.slice(4), owedBy('RU').filter((item) => !isEmergency(state, item)).slice(0, TASKS_LISTED - 4));
    // The US is owed the same, seen from its side.
    assert.deepEqual(mostUrgent(state, now, 'US', false), ours);
  });

  it('lists what a state owes though another state’s backlog comes first in the whole list', () => {
    const ours = mostUrgent(state, now, 'US', true);
    assert.deepEqual(ids(ours), ids(owedBy('US')));
    assert.deepEqual(ids(ours).map(([id]) => id), ['RU-IN-0', 'RU-IN-1', 'RU-IN-2', 'RU-IN-0', 'RU-IN-1', 'RU-IN-2'], 'three acknowledgements, then three decisions');
    assert.ok(open.findIndex((item) => item.party === 'US') > 2 * NEW_SCAN_BUDGET, 'behind more than a page of RU’s');
    assert.deepEqual(mostUrgent(state, now, 'RU', false), ours, 'and RU is owed the same');
  });

  it('counts the new incoming requests since a recent visit exactly, and since long ago as a lower bound', () => {
    const skew = skewOf(state.treaty);
    assert.deepEqual(newIncoming(state, 'RU', day(199), skew), { count: 1, ids: ['US-E-1'] });
    assert.deepEqual(newIncoming(state, 'US', day(99), skew), { count: 3, ids: ['RU-IN-2', 'RU-IN-1', 'RU-IN-0'] });
    const sinceLongAgo = newIncoming(state, 'RU', 0, skew);
    assert.equal(sinceLongAgo.atLeast, true);
    assert.equal(sinceLongAgo.count, NEW_SCAN_BUDGET - 3, 'the requests examined, but the three RU filed');
    assert.deepEqual(sinceLongAgo.ids, ['US-E-1', 'US-E-0', ...Array.from({ length: NEW_LISTED - 2 }, (_, index) => `US-IN-${count - 1 - index}`)]);
  });
});
