import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyDomainEntry } from '@evenhand/core';
import { treatyWithKeys } from '@evenhand/testing';
import { conditionalGrant as grant, startStack, submitEntries, type Stack } from './exchange-stack.ts';

const OPERATOR_TOKEN = 'operator-token-for-the-clearing-tests';
/** POSTs /v1/clearing/run with the operator's token, another Authorization header, or (null) none. */
const runRound = (stack: Stack, authorization: string | null = `Bearer ${OPERATOR_TOKEN}`) =>
  stack.exchange.app.inject({ method: 'POST', url: '/v1/clearing/run', headers: authorization === null ? {} : { authorization } });

describe('exchange clearing: POST /v1/clearing/run and GET /v1/trades', () => {
  let stack: Stack;
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    // The exchange signs its proposals with the log key, registered as author "exchange" (cli serve.ts).
    const scenarioLog = (await import('@evenhand/testing')).scenarioKeys().log;
    stack = await startStack({ extraAuthors: new Map([['exchange', scenarioLog]]), operatorToken: OPERATOR_TOKEN });
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

  it('starts a round only for the operator: no token, a wrong token and another scheme are refused', async () => {
    const sizeBefore = stack.exchange.sequencer.size;
    for (const authorization of [null, 'Bearer not-the-operator-token', `Basic ${OPERATOR_TOKEN}`, `Bearer ${OPERATOR_TOKEN} extra`, `Bearer ${OPERATOR_TOKEN.slice(0, -1)}`]) {
      const response = await runRound(stack, authorization);
      assert.equal(response.statusCode, 401, `${authorization}: ${response.body}`);
      const body = response.json() as { code: string; message: string; field?: string };
      assert.deepEqual([body.code, body.field], ['UNAUTHENTICATED', 'headers.authorization']);
      assert.match(body.message, /^headers\.authorization: expected "Bearer <operator token>"/);
      assert.ok(!body.message.includes(OPERATOR_TOKEN), 'the message never shows the token');
    }
    assert.equal(stack.exchange.sequencer.size, sizeBefore, 'no refused call wrote to the log');
  });

  it('solves the pool in a worker and proposes the trade as an entry signed by the exchange', async () => {
    const response = await runRound(stack);
    assert.equal(response.statusCode, 200, response.body);
    const round = response.json() as { pool: number; objective: number; gap: number; trades: { trade: string; index?: number; code?: string }[] };
    assert.equal(round.pool, 3);
    assert.equal(round.objective, 2);
    assert.equal(round.gap, 0);
    assert.equal(round.trades.length, 1);
    assert.equal(round.trades[0]!.code, undefined, JSON.stringify(round));
    // The record names the pool it solved (issue 13): the log size it was built at, and its digest.
    const certificate = round as unknown as { poolAt: number; poolDigest: string; recorded: number };
    assert.ok(certificate.poolAt <= certificate.recorded, JSON.stringify(round));
    assert.match(certificate.poolDigest, /^[0-9a-f]{64}$/);
    // The round's fairness credits are recorded in the log for the next round.
    const recorded = (round as unknown as { recorded: number; credits: Record<string, number> });
    assert.equal(typeof recorded.recorded, 'number', JSON.stringify(round));
    assert.ok(Math.abs(Object.values(recorded.credits).reduce((a, b) => a + b, 0)) < 1e-6);
    assert.deepEqual(Object.keys(stack.exchange.sequencer.domainState.clearingCredits ?? {}).sort(), Object.keys(recorded.credits).sort());
    const trades = ((await stack.exchange.app.inject({ method: 'GET', url: `/v1/trades?size=${stack.exchange.sequencer.size}` })).json() as { items: { id: string; proposedBy: string; status: string; parties: string[]; legs: { request: string; from: string; to: string }[] }[] }).items;
    assert.equal(trades.length, 1);
    assert.deepEqual([trades[0]!.proposedBy, trades[0]!.status, trades[0]!.parties], ['exchange', 'proposed', ['RU', 'US']]);
    assert.equal(trades[0]!.legs.length, 2);
    assert.ok(trades[0]!.legs.some((leg) => leg.request === 'US-1' && leg.from === 'RU' && leg.to === 'US'));
  });

  it('a second round does not offer the same people again', async () => {
    const response = await runRound(stack);
    assert.equal(response.statusCode, 200, response.body);
    const round = response.json() as { pool: number; trades: unknown[] };
    assert.equal(round.pool, 1);
    assert.deepEqual(round.trades, []);
  });

  it('the exchange stays responsive while a round runs', async () => {
    const running = runRound(stack);
    const health = await stack.exchange.app.inject({ method: 'GET', url: '/v1/health' });
    assert.equal(health.statusCode, 200);
    assert.equal((await running).statusCode, 200);
  });

  it('a burst of calls runs at most one round beyond the one under way: later calls join the waiting round', async () => {
    const before = stack.exchange.sequencer.size;
    const answers = await Promise.all(Array.from({ length: 6 }, () => runRound(stack)));
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    const ids = new Set(answers.map((answer) => (answer.json() as { round: string }).round));
    assert.ok(ids.size <= 2, `six calls ran ${ids.size} rounds: ${[...ids].join(', ')}`);
    // Each round records one clearing.round entry (the pool offers no new trade).
    assert.equal(stack.exchange.sequencer.size, before + ids.size);
  });
});

describe('exchange clearing without an operator token', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ extraAuthors: new Map([['exchange', (await import('@evenhand/testing')).scenarioKeys().log]]) });
  });
  after(async () => stack?.close());

  it('keeps on-demand rounds off and says how to turn them on', async () => {
    for (const authorization of [null, 'Bearer anything-at-all-of-any-length']) {
      const response = await runRound(stack, authorization);
      assert.equal(response.statusCode, 404, response.body);
      assert.match((response.json() as { message: string }).message, /on-demand clearing is off: the exchange config names no operatorTokenFile/);
    }
  });
});
