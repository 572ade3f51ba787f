import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { signBlob } from '../src/signing/blob-signature.ts';
import { adoptTreaty, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

const HOUR = 3_600;

/**
 * Issue 17, over loopback: an emergency request for data goes to the top of the requested
 * state's inbox with its hours, is decided by two approvers, and is answered with a file of the
 * sealed evidence store that the requesting state then opens.
 */
describe('an emergency disclosure between two gateways', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const at = (hours: number) => t0 + SECONDS_PER_DAY + hours * HOUR;
  const detail = async (official: Official, id: string) => (await official.call('GET', `/api/requests/${id}`)).body;
  const actOf = async (official: Official, id: string, type: string) => (await detail(official, id)).acts.available.find((act: { type: string }) => act.type === type) as { path: string; variants: { params: Record<string, unknown>; label: string }[] } | undefined;

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], t0);
    const offenceDate = new Date((t0 - 10 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    // An extradition request filed earlier: its decision is due in days, the emergency's in hours.
    for (const [id, kind] of [['US-X1', 'extradition'], ['US-E1', 'emergency-disclosure']] as const) {
      const filed = await us.clerk!.call('POST', '/api/requests', { request: id, requested: 'RU', kind, purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, statement: 'a hospital network is being encrypted now', at: at(id === 'US-X1' ? -20 : 0) });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
    }
    await waitFor('US-E1 in the RU mirror', async () => (await ru.reviewer!.call('GET', '/api/requests/US-E1')).status === 200);
  });
  after(async () => stack?.close());

  it('lists the emergency first in RU’s inbox, due in hours, with the 24/7 contact point on the case', async () => {
    const tasks = (await ru.reviewer!.call('GET', '/api/tasks')).body as { owedByUs: { id: string; kind: string; due: number; emergency?: true }[] };
    assert.deepEqual(tasks.owedByUs.slice(0, 2).map((task) => [task.id, task.kind, task.emergency]), [['US-E1', 'acknowledge', true], ['US-E1', 'decide', true]]);
    assert.equal(tasks.owedByUs.find((task) => task.id === 'US-E1' && task.kind === 'decide')?.due, at(8), 'decide within eight hours of the filing');
    assert.equal(tasks.owedByUs.find((task) => task.id === 'US-X1')?.emergency, undefined);
    const view = await detail(ru.reviewer!, 'US-E1');
    assert.match(view.data.contactPoint.name, /Department K/);
    assert.equal(view.data.providedAt, null);
  });

  it('is acknowledged, granted by two approvers, and answered only with a file of the evidence store', async () => {
    const acknowledge = await actOf(ru.reviewer!, 'US-E1', 'request.acknowledge');
    assert.ok(acknowledge);
    assert.equal((await ru.reviewer!.call('POST', acknowledge.path, { at: at(1) })).status, 201);
    await stack.syncAll();
    const decide = await actOf(ru['approver-1']!, 'US-E1', 'request.decide');
    assert.deepEqual(decide?.variants.map((variant) => [variant.params.decision, variant.params.ground]), [['grant', undefined], ['refuse', 'essential-interests']], 'granted, or refused on RU’s own finding of its essential interests; nothing conditional');
    const proposed = await ru['approver-1']!.call('POST', decide!.path, { ...decide!.variants[0]!.params, at: at(2) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    assert.equal((await ru['approver-2']!.call('POST', `/api/proposals/${encodeURIComponent(proposed.body.proposal.id)}/confirm`, { at: at(3) })).status, 201);
    await stack.syncAll();

    const provide = await actOf(ru.reviewer!, 'US-E1', 'request.provide');
    assert.ok(provide, 'delivering the data is offered to the reviewer');
    assert.equal((await detail(ru.reviewer!, 'US-E1')).deadlines.find((deadline: { kind: string }) => deadline.kind === 'provide').due, at(3) + 8 * HOUR);
    const missing = await ru.reviewer!.call('POST', provide.path, { evidence: [`sha256:${'0'.repeat(64)}`], at: at(4) });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'body.evidence[0]');
    // A file in the store but sealed to RU alone: US could not open it, so it is no answer.
    const own = Buffer.from(JSON.stringify({ recipients: [{ header: { alg: 'ECDH-ES+A256KW', kid: 'RU' } }], ciphertext: 'x' }));
    const ownHash = createHash('sha256').update(own).digest('hex');
    const stored = await fetch(`${stack.exchange.url}/v1/blobs/${ownHash}`, { method: 'PUT', body: own, headers: { 'content-type': 'application/octet-stream', 'x-evenhand-author': 'RU', 'x-evenhand-signature': signBlob(stack.keys.authors.get('RU')!.seed, ownHash) } });
    assert.equal(stored.status, 201);
    const unreadable = await ru.reviewer!.call('POST', provide.path, { evidence: [`sha256:${ownHash}`], at: at(4) });
    assert.equal(unreadable.status, 400);
    assert.match(unreadable.body.message, /not sealed to US/);
    const file = Buffer.from('subscriber records of the C2 server, 2021-06-16');
    const uploaded = await ru.reviewer!.upload('/api/evidence?request=US-E1', file, 'subscribers.csv');
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    // Sealed under the case's own key, which erasing the case destroys (docs/erasure.md).
    const blob = await (await fetch(`${stack.exchange.url}/v1/blobs/${String(uploaded.body.ref).slice(7)}`)).text();
    assert.equal(JSON.parse(Buffer.from(blob.split('.')[0]!, 'base64url').toString('utf8')).kid, 'case:US-E1');
    assert.equal((await ru.reviewer!.upload(`/api/evidence?request=${encodeURIComponent('no such id!')}`, file, 'x')).status, 400, 'a request id as the log spells them');
    const answered = await ru.reviewer!.call('POST', provide.path, { evidence: [uploaded.body.ref], note: 'as found', at: at(5) });
    assert.equal(answered.status, 201, JSON.stringify(answered.body));
    await stack.syncAll();

    const seen = await detail(us.clerk!, 'US-E1');
    assert.equal(seen.status, 'provided');
    assert.deepEqual(seen.data.provided, [uploaded.body.ref]);
    const opened = await us.clerk!.download(`/api/evidence/${uploaded.body.ref}`);
    assert.equal(opened.status, 200);
    assert.deepEqual(opened.bytes, file, 'the requesting state opens the data it was given');

    const statistics = (await (await fetch(`${stack.exchange.url}/v1/statistics`)).json()) as { pairs: { requesting: string; requested: string; filed: number; dataRequests: { filed: number; provided: number; providedOnTime: number; byKind: Record<string, number> } }[] };
    const pair = statistics.pairs.find((item) => item.requesting === 'US' && item.requested === 'RU')!;
    assert.equal(pair.filed, 1, 'the figures for persons count the extradition request only');
    assert.deepEqual([pair.dataRequests.filed, pair.dataRequests.provided, pair.dataRequests.providedOnTime, pair.dataRequests.byKind], [1, 1, 1, { 'emergency-disclosure': 1 }]);
  });
});
