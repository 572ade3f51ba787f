import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyDomainEntry } from '@evenhand/core';
import { treatyWithKeys } from '@evenhand/testing';
import { conditionalGrant as grant, startStack, submitEntries, type Stack } from './exchange-stack.ts';

describe('exchange clearing: POST /v1/clearing/run and GET /v1/trades', () => {
  let stack: Stack;
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    // The exchange signs its proposals with the log key, registered as author "exchange" (cli serve.ts).
    const scenarioLog = (await import('@evenhand/testing')).scenarioKeys().log;
    stack = await startStack({ extraAuthors: new Map([['exchange', scenarioLog]]) });
    const treaty = treatyWithKeys(stack.keys);
    const entries = [
      { author: 'US', time: now - 3600, type: 'treaty.propose', body: { treaty } },
      { author: 'US', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      { author: 'RU', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      ...grant('US-1', 'US', 'RU', now - 3000),
      ...grant('RU-1', 'RU', 'US', now - 3000),
      ...grant('RU-2', 'RU', 'US', now - 3000),
    ] as unknown as AnyDomainEntry[];
    await submitEntries(stack, entries);
  });
  after(async () => stack?.close());

  it('solves the pool in a worker and proposes the trade as an entry signed by the exchange', async () => {
    const response = await stack.exchange.app.inject({ method: 'POST', url: '/v1/clearing/run' });
    assert.equal(response.statusCode, 200, response.body);
    const round = response.json() as { pool: number; objective: number; gap: number; trades: { trade: string; index?: number; code?: string }[] };
    assert.equal(round.pool, 3);
    assert.equal(round.objective, 2);
    assert.equal(round.gap, 0);
    assert.equal(round.trades.length, 1);
    assert.equal(round.trades[0]!.code, undefined, JSON.stringify(round));
    // The round's fairness credits are recorded in the log for the next round.
    const recorded = (round as unknown as { recorded: number; credits: Record<string, number> });
    assert.equal(typeof recorded.recorded, 'number', JSON.stringify(round));
    assert.ok(Math.abs(Object.values(recorded.credits).reduce((a, b) => a + b, 0)) < 1e-6);
    assert.deepEqual(Object.keys(stack.exchange.sequencer.domainState.clearingCredits ?? {}).sort(), Object.keys(recorded.credits).sort());
    const trades = (await stack.exchange.app.inject({ method: 'GET', url: '/v1/trades' })).json() as { id: string; proposedBy: string; status: string; parties: string[]; legs: { request: string; from: string; to: string }[] }[];
    assert.equal(trades.length, 1);
    assert.deepEqual([trades[0]!.proposedBy, trades[0]!.status, trades[0]!.parties], ['exchange', 'proposed', ['RU', 'US']]);
    assert.equal(trades[0]!.legs.length, 2);
    assert.ok(trades[0]!.legs.some((leg) => leg.request === 'US-1' && leg.from === 'RU' && leg.to === 'US'));
  });

  it('a second round does not offer the same people again', async () => {
    const response = await stack.exchange.app.inject({ method: 'POST', url: '/v1/clearing/run' });
    assert.equal(response.statusCode, 200, response.body);
    const round = response.json() as { pool: number; trades: unknown[] };
    assert.equal(round.pool, 1);
    assert.deepEqual(round.trades, []);
  });

  it('the exchange stays responsive while a round runs', async () => {
    const running = stack.exchange.app.inject({ method: 'POST', url: '/v1/clearing/run' });
    const health = await stack.exchange.app.inject({ method: 'GET', url: '/v1/health' });
    assert.equal(health.statusCode, 200);
    assert.equal((await running).statusCode, 200);
  });
});
