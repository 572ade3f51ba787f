import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlinesView, obligationCounts, skewOf } from '@evenhand/core';
import { adoption, day, entry, fileBody, run } from '../../core/test/request-helpers.ts';
import { treaty2021 } from '../../core/test/fixtures.ts';
import { mostUrgent, NEW_LISTED, NEW_SCAN_BUDGET, newIncoming, TASKS_LISTED } from '../src/gateway/inbox-tasks.ts';

const HOUR = 3_600;

/**
 * Issue 14: a state's inbox (GET /api/tasks) reads a bounded part of the open obligations and
 * of the requests, and counts the rest from the index. The state has more requests than the
 * inbox examines, all filed by the US to RU, long overdue by the reading, and then one
 * emergency due in hours: it must still come first.
 */
describe('a state’s inbox reads a bounded part of the log', () => {
  const count = NEW_SCAN_BUDGET + 100;
  const filings = Array.from({ length: count }, (_, index) => entry('US', day(1, index), 'request.file', fileBody(`US-IN-${index}`)));
  const emergency = entry('US', day(200), 'request.file', fileBody('US-E-1', { kind: 'emergency-disclosure' }));
  const state = run([...adoption(treaty2021()), ...filings, emergency]);
  const now = day(200, HOUR);
  const open = deadlinesView(state, now).items;

  it('counts what each side owes from the index, as the whole list would', () => {
    for (const party of ['US', 'RU']) {
      const recount = { owes: open.filter((item) => item.party === party).length, owed: open.filter((item) => item.party !== party).length };
      assert.deepEqual(obligationCounts(state, now, party), recount, party);
    }
    assert.ok(obligationCounts(state, now, 'RU').owes > NEW_SCAN_BUDGET, 'more open obligations than a page examines');
  });

  it('lists an emergency due in hours first, behind a backlog of overdue obligations longer than a page', () => {
    const ours = mostUrgent(state, now, 'RU', true);
    assert.equal(ours.length, TASKS_LISTED);
    assert.deepEqual(ours.slice(0, 2).map((item) => ['request' in item ? item.request : item.trade, item.kind, item.overdue]), [['US-E-1', 'acknowledge', false], ['US-E-1', 'decide', false]]);
    // Then the soonest due, as the whole list orders them: the backlog, most overdue first.
    const backlog = open.filter((item) => item.party === 'RU' && !('request' in item && item.request === 'US-E-1'));
    assert.deepEqual(ours.slice(2), backlog.slice(0, TASKS_LISTED - 2));
    // The US is owed the same, seen from its side.
    assert.deepEqual(mostUrgent(state, now, 'US', false), ours);
    assert.deepEqual(mostUrgent(state, now, 'US', true), [], 'the US owes nothing');
  });

  it('counts the new incoming requests since a recent visit exactly, and since long ago as a lower bound', () => {
    const skew = skewOf(state.treaty);
    assert.deepEqual(newIncoming(state, 'RU', day(199), skew), { count: 1, ids: ['US-E-1'] });
    assert.deepEqual(newIncoming(state, 'US', day(199), skew), { count: 0, ids: [] }, 'nothing incoming to the US');
    const sinceLongAgo = newIncoming(state, 'RU', 0, skew);
    assert.equal(sinceLongAgo.atLeast, true);
    assert.equal(sinceLongAgo.count, NEW_SCAN_BUDGET, 'the requests examined, all incoming');
    assert.deepEqual(sinceLongAgo.ids, ['US-E-1', ...Array.from({ length: NEW_LISTED - 1 }, (_, index) => `US-IN-${count - 1 - index}`)]);
  });
});
