import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { genesis } from '@evenhand/core';
import { Alarms } from '../src/gateway/alarms.ts';
import type { ExchangeClient } from '../src/gateway/exchange-client.ts';
import type { LogMirror } from '../src/gateway/mirror.ts';
import { ViewChecker } from '../src/gateway/monitor.ts';

/**
 * Issue 14: each comparison of the public views recomputes the statistics and the deadlines
 * over the whole replay, so a gateway whose log does not grow compares again only after the
 * recheck period, and at once when the log has grown.
 */
describe('the public views are compared again only when the log grew or the recheck period passed', () => {
  it('is due at first, not after a comparison at the same size, again after growth and after the period', async () => {
    let clock = 1_800_000_000;
    const mirror = { size: 5, state: genesis() };
    const asked: string[] = [];
    const exchange = { view: async (path: string) => (asked.push(path), { served: false as const, why: 'answered 503' }) };
    const views = new ViewChecker(exchange as unknown as ExchangeClient, mirror as unknown as LogMirror, new Alarms(() => clock), () => clock);
    const recheck = 3600;

    assert.equal(views.due(recheck), true, 'never compared');
    await views.check();
    const perRound = asked.length;
    assert.ok(perRound > 0, 'a comparison asks the exchange for its views');
    clock += 600;
    assert.equal(views.due(recheck), false, 'the same size, within the period');
    mirror.size = 6;
    assert.equal(views.due(recheck), true, 'the log grew');
    await views.check();
    clock += recheck - 1;
    assert.equal(views.due(recheck), false);
    clock += 1;
    assert.equal(views.due(recheck), true, 'the period passed: deadlines may have fallen due');
    assert.equal(asked.length, 2 * perRound);
  });
});
