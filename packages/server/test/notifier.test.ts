import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { freePort, treatyWithKeys } from '@evenhand/testing';
import { retryDelaySeconds } from '../src/gateway/notifier.ts';
import { loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 15's notifications by webhook: the RU operator's webhook is told of a new incoming
 * request and of the acknowledgement falling due, at least once, retried with backoff while it
 * fails, each notification once however many rounds run; the log-health screen says how many
 * are owed and the latest failure.
 */
describe('webhook notifications from a gateway', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  let hook: Server;
  const received: { id: string; body: Record<string, unknown> }[] = [];
  let failuresLeft = 2;
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;

  before(async () => {
    // The operator's webhook fails twice, then takes every notification.
    hook = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          response.writeHead(503).end('busy');
          return;
        }
        received.push({ id: String(request.headers['x-evenhand-notification']), body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(204).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => hook.listen(port, '127.0.0.1', resolve));
    stack = await startGatewayStack({ start: t0, webhooks: new Map([['RU', [{ url: `http://127.0.0.1:${port}/evenhand`, events: ['new-incoming', 'deadline-soon'], withinDays: 30 }]]]) });
    ({ us, ru } = await loginEveryone(stack));
    const treaty = treatyWithKeys(stack.keys);
    assert.equal((await us['approver-1']!.call('POST', '/api/treaty/propose', { treaty, at: t0 + 60 })).status, 201);
    for (const official of [us['approver-1']!, ru['approver-1']!]) assert.equal((await official.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version, at: t0 + 60 })).status, 201);
    await stack.syncAll();
  });
  after(async () => {
    await stack?.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('backs off 10 s, doubling, at most an hour', () => {
    assert.deepEqual([1, 2, 3, 4, 12, 30].map(retryDelaySeconds), [10, 20, 40, 80, 3600, 3600]);
  });

  it('tells the webhook of a new incoming request and of its acknowledgement falling due, once each, through failures', async () => {
    const filed = await us.clerk!.call('POST', '/api/requests', {
      request: 'US-HOOK-1', requested: 'RU', kind: 'extradition', purpose: 'prosecution',
      subject: { pseudonym: 'hook-subject', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['laundering'], offenceDate: '2025-01-10', at: t0 + 3600,
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await stack.syncAll();
    const gateway = stack.gateways.get('RU')!.gateway;
    // Rounds on the shared clock: each moves it past the longest backoff so far.
    await waitFor('both notifications delivered', async () => {
      stack.clock.advanceBy(60);
      await gateway.tick();
      return received.length >= 2 || undefined;
    }, 30_000);
    for (let round = 0; round < 3; round++) {
      stack.clock.advanceBy(60);
      await gateway.tick();
    }
    assert.deepEqual(received.map((item) => item.body.event).sort(), ['deadline-soon', 'new-incoming'], 'each once, however many rounds ran');
    const incoming = received.find((item) => item.body.event === 'new-incoming')!;
    assert.deepEqual([incoming.body.request, incoming.body.requesting, incoming.body.party], ['US-HOOK-1', 'US', 'RU']);
    const soon = received.find((item) => item.body.event === 'deadline-soon')!;
    assert.deepEqual([soon.body.target, soon.body.kind], ['US-HOOK-1', 'acknowledge']);
    const health = (await ru.observer!.call('GET', '/api/log-health')).body as { notifications: { pending: number; failing: number; delivered: number } };
    assert.deepEqual(health.notifications, { pending: 0, failing: 0, delivered: 2, lastError: null });
  });

  // The decision is due months after the filing: it is told when it comes within the 30 days,
  // from the horizon the notifier keeps, not by reading every open obligation each round.
  it('tells of an obligation once it comes within the notice period, once', async () => {
    const gateway = stack.gateways.get('RU')!.gateway;
    const decisions = () => received.filter((item) => item.body.event === 'deadline-soon' && item.body.kind === 'decide');
    assert.equal(decisions().length, 0, 'not yet within 30 days');
    stack.clock.advanceBy(45 * 86_400);
    await waitFor('the decision falling due within 30 days', async () => {
      stack.clock.advanceBy(60);
      await gateway.tick();
      return decisions().length > 0 || undefined;
    }, 30_000);
    for (let round = 0; round < 3; round++) {
      stack.clock.advanceBy(60);
      await gateway.tick();
    }
    assert.deepEqual(decisions().map((item) => item.body.target), ['US-HOOK-1'], 'once');
  });
});
