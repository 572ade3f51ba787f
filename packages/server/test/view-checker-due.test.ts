import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, decodeState, encodeState, genesis, type State } from '@evenhand/core';
import { adopted, filing, walkTreaty } from '../../core/test/legal-acts-support.ts';
import { Alarms } from '../src/gateway/alarms.ts';
import type { ExchangeClient } from '../src/gateway/exchange-client.ts';
import type { LogMirror } from '../src/gateway/mirror.ts';
import { ViewChecker } from '../src/gateway/monitor.ts';

/**
 * Issue 14: each comparison of the statistics and the deadlines recomputes them over the whole
 * replay, so a gateway whose log does not grow compares them again only after the recheck
 * period, and at once when the log has grown. A page of each list is compared every round, and
 * views the exchange withholds are asked for again the next round, not an hour later.
 */
describe('the whole-replay views are compared again only when the log grew or the recheck period passed', () => {
  const recheck = 3600;

  function checker(serving: () => boolean, state: State = genesis()) {
    let clock = 1_800_000_000;
    const mirror = { size: 5, state };
    const asked: string[] = [];
    const exchange = {
      view: async (path: string) => {
        asked.push(path.split('?')[0]!);
        return serving() ? { served: true as const, body: { size: mirror.size, at: clock, pairs: [], items: [], next: null } } : { served: false as const, why: 'answered 503' };
      },
    };
    const views = new ViewChecker(exchange as unknown as ExchangeClient, mirror as unknown as LogMirror, new Alarms(() => clock), () => clock);
    return { views, mirror, asked, advance: (seconds: number) => (clock += seconds) };
  }

  it('is due at first, not after a comparison at the same size, again after growth and after the period', async () => {
    const { views, mirror, asked, advance } = checker(() => true);
    assert.equal(views.due(recheck), true, 'never compared');
    await views.check(views.due(recheck));
    assert.ok(asked.includes('/v1/statistics') && asked.includes('/v1/deadlines'));
    advance(600);
    assert.equal(views.due(recheck), false, 'the same size, within the period');
    asked.length = 0;
    await views.check(views.due(recheck));
    assert.deepEqual(asked.filter((path) => path === '/v1/statistics' || path === '/v1/deadlines'), [], 'an idle round recomputes neither');
    assert.ok(asked.includes('/v1/requests'), 'but compares a page of the requests');
    mirror.size = 6;
    assert.equal(views.due(recheck), true, 'the log grew');
    await views.check(true);
    advance(recheck - 1);
    assert.equal(views.due(recheck), false);
    advance(1);
    assert.equal(views.due(recheck), true, 'the period passed: deadlines may have fallen due');
  });

  it('waits while a restart still counts the figure index of its restored state, then is due', async () => {
    // A restarted gateway's first round came tens of milliseconds after it listened, and made the count it runs in slices finish at once.
    const filed = apply(adopted(walkTreaty(2)), filing('R1', 'US', 'RU', 'UA', 1_700_000_000, 'computer-fraud'));
    assert.ok(filed.ok);
    const restored = decodeState(JSON.parse(JSON.stringify(encodeState(filed.value))));
    assert.ok(restored.ok);
    const count = restored.value.figures.driveCount();
    assert.ok(count);
    const { views } = checker(() => true, restored.value);
    assert.equal(views.due(recheck), false, 'never compared, but the count goes on');
    while (!count.step());
    assert.equal(views.due(recheck), true);
  });

  it('asks again the next round for views the exchange withheld', async () => {
    let serving = false;
    const { views, advance } = checker(() => serving);
    await views.check(true);
    advance(30);
    assert.equal(views.due(recheck), true, 'withheld: still due');
    serving = true;
    await views.check(true);
    advance(30);
    assert.equal(views.due(recheck), false, 'served and compared: not due until the log grows');
  });
});
