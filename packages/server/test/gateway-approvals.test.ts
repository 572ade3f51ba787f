import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY, type AnyDomainEntry } from '@evenhand/core';
import { createAccount, readEntries } from '@evenhand/store';
import { approvedEntry, foundingRegistration, testOfficial, treatyWithKeys, TREATY_ID } from '@evenhand/testing';
import { hashPassword } from '../src/auth/password.ts';
import { createOfficialAccount } from '../src/auth/accounts.ts';
import { latestSeen, postEntry, startStack, submitEntries, type Stack } from './exchange-stack.ts';
import { adoptTreaty, login, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/** Issue 13, "two approvals anyone can check": officials' keys in the log, and acts signed by two of them. */
describe('approvals through the gateways: registered keys, signed decisions', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const officials = async (official: Official) => (await official.call('GET', '/api/officials?limit=200')).body as { approvalsRequired: boolean; items: { party: string; id: string; key: string; revokedAt: { index: number } | null }[]; next: string | null; unregistered: { id: string }[] };

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
  });
  after(async () => stack?.close());

  it('registers RU founding approvers once, with the keys their accounts were created with', async () => {
    const before = await officials(ru.observer!);
    assert.equal(before.approvalsRequired, false);
    assert.deepEqual(before.unregistered.map((official) => official.id).sort(), ['ru-approver-1', 'ru-approver-2']);
    assert.equal((await ru.reviewer!.call('POST', '/api/officials/founding')).status, 403, 'a reviewer registers no one');
    const founded = await ru['approver-1']!.call('POST', '/api/officials/founding', { at: day(1) });
    assert.equal(founded.status, 201, JSON.stringify(founded.body));
    await waitFor('the registration in the US mirror', async () => (await officials(us.observer!)).items.length === 2);
    const seenByUs = await officials(us.observer!);
    assert.deepEqual(seenByUs.items.map((official) => `${official.party}/${official.id}`).sort(), ['RU/ru-approver-1', 'RU/ru-approver-2']);
    await waitFor('the registration in the RU mirror', async () => (await officials(ru.observer!)).approvalsRequired);
    const again = await ru['approver-2']!.call('POST', '/api/officials/founding', { at: day(1) });
    assert.deepEqual([again.status, again.body.code], [409, 'OFFICIAL_EXISTS']);
  });

  it('a decision of RU now carries both approvers’ signatures, which the US gateway checks on replay', async () => {
    const offenceDate = new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    const filed = await us.clerk!.call('POST', '/api/requests', { request: 'US-A1', requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-a1', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, at: day(2) });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await waitFor('US-A1 in the RU mirror', async () => (await ru.reviewer!.call('GET', '/api/requests/US-A1')).status === 200);
    assert.equal((await ru.reviewer!.call('POST', '/api/requests/US-A1/actions/acknowledge', { at: day(3) })).status, 201);
    await waitFor('the acknowledgement in the RU mirror', async () => (await ru['approver-1']!.call('GET', '/api/requests/US-A1')).body.status === 'acknowledged');
    const proposal = await ru['approver-1']!.call('POST', '/api/requests/US-A1/decision-proposals', { decision: 'grant', at: day(4) });
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
    const confirmed = await ru['approver-2']!.call('POST', `/api/proposals/${proposal.body.proposal.id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    await waitFor('the decision in the US mirror', async () => (await us.observer!.call('GET', '/api/requests/US-A1')).body.status === 'granted');
    // The entry in the exchange's log names both approvers and carries two signatures.
    const [row] = await readEntries(stack.exchange.store.db, confirmed.body.index, confirmed.body.index + 1);
    const entry = JSON.parse(Buffer.from(row!.bytes).toString('utf8')) as { type: string; body: { approvers: string[]; approvals: string[] } };
    assert.equal(entry.type, 'request.decide');
    assert.deepEqual(entry.body.approvers, ['ru-approver-1', 'ru-approver-2']);
    assert.equal(entry.body.approvals.length, 2);
  });

  it('an approver account without a signing key cannot approve once keys are registered', async () => {
    await createAccount(stack.gateways.get('RU')!.store.db, { username: 'ru-keyless', party: 'RU', role: 'approver', passwordHash: await hashPassword('keyless-pw'), createdAt: 0 });
    const keyless = await login(stack.gateways.get('RU')!.url, 'ru-keyless', 'keyless-pw', stack.clock);
    const filed = await us.clerk!.call('POST', '/api/requests', { request: 'US-A2', requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-a2', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10), at: day(5) });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await waitFor('US-A2 in the RU mirror', async () => (await keyless.call('GET', '/api/requests/US-A2')).status === 200);
    assert.equal((await ru.reviewer!.call('POST', '/api/requests/US-A2/actions/acknowledge', { at: day(5) })).status, 201);
    await waitFor('the acknowledgement in the RU mirror', async () => (await keyless.call('GET', '/api/requests/US-A2')).body.status === 'acknowledged');
    const refused = await keyless.call('POST', '/api/requests/US-A2/decision-proposals', { decision: 'grant', at: day(6) });
    assert.deepEqual([refused.status, refused.body.code], [403, 'SIGNING_KEY_MISSING'], JSON.stringify(refused.body));
  });

  it('a third approver is registered by two registered ones, and a revoked one approves nothing more', async () => {
    await createOfficialAccount(stack.gateways.get('RU')!.store.db, { username: 'ru-approver-3', party: 'RU', role: 'approver', password: 'ru-approver-3-pw', createdAt: 0 });
    const third = await login(stack.gateways.get('RU')!.url, 'ru-approver-3', undefined, stack.clock);
    const notYet = await third.call('POST', '/api/requests/US-A2/decision-proposals', { decision: 'grant', at: day(7) });
    assert.deepEqual([notYet.status, notYet.body.code], [404, 'OFFICIAL_UNKNOWN'], JSON.stringify(notYet.body));
    const proposal = await ru['approver-1']!.call('POST', '/api/officials/register', { at: day(7) });
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
    assert.deepEqual(proposal.body.proposal.officials.map((official: { id: string }) => official.id), ['ru-approver-3']);
    assert.equal((await ru['approver-2']!.call('POST', `/api/proposals/${proposal.body.proposal.id}/confirm`)).status, 201);
    await waitFor('ru-approver-3 registered in the US mirror', async () => (await officials(us.observer!)).items.some((official) => official.id === 'ru-approver-3'));

    const revoke = await third.call('POST', '/api/officials/ru-approver-2/revoke', { reason: 'left the office', at: day(8) });
    assert.equal(revoke.status, 201, JSON.stringify(revoke.body));
    assert.equal((await ru['approver-1']!.call('POST', `/api/proposals/${revoke.body.proposal.id}/confirm`)).status, 201);
    await waitFor('the revocation in the RU mirror', async () => (await officials(ru.observer!)).items.find((official) => official.id === 'ru-approver-2')?.revokedAt !== null);
    const revoked = await ru['approver-2']!.call('POST', '/api/requests/US-A2/decision-proposals', { decision: 'grant', at: day(9) });
    assert.deepEqual([revoked.status, revoked.body.code], [403, 'OFFICIAL_REVOKED'], JSON.stringify(revoked.body));
    // Two approvers remain, so the case still has a way forward.
    const decided = await third.call('POST', '/api/requests/US-A2/decision-proposals', { decision: 'grant', at: day(9) });
    assert.equal(decided.status, 201, JSON.stringify(decided.body));
    assert.equal((await ru['approver-1']!.call('POST', `/api/proposals/${decided.body.proposal.id}/confirm`)).status, 201);
    const tooFew = await third.call('POST', '/api/officials/ru-approver-1/revoke', { at: day(10) });
    assert.deepEqual([tooFew.status, tooFew.body.code], [422, 'OFFICIALS_TOO_FEW'], JSON.stringify(tooFew.body));
  });

  it('a treaty act of a state with registered officials goes through two approvers', async () => {
    const treaty = treatyWithKeys(stack.keys);
    const amended = { ...treaty, version: treaty.version + 1 };
    const proposed = await ru['approver-1']!.call('POST', '/api/treaty/propose', { treaty: amended, at: day(11) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    assert.equal(proposed.body.proposal.kind, 'treaty.propose');
    const third = await login(stack.gateways.get('RU')!.url, 'ru-approver-3', undefined, stack.clock);
    const confirmed = await third.call('POST', `/api/proposals/${proposed.body.proposal.id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    await waitFor('version 2 proposed, in the US mirror', async () => ((await us.observer!.call('GET', '/api/treaty')).body.proposals as { version: number }[]).some((proposal) => proposal.version === amended.version));
    // The US has registered no officials: its ratification is still signed by its key alone.
    const ratified = await us['approver-1']!.call('POST', '/api/treaty/ratify', { treaty: amended.id, version: amended.version, at: day(11) });
    assert.deepEqual([ratified.status, typeof ratified.body.index], [201, 'number'], JSON.stringify(ratified.body));
  });
});

describe('the exchange refuses forged approvals', () => {
  let stack: Stack;
  const ru1 = testOfficial('ru-approver-1');
  const ru2 = testOfficial('ru-approver-2');
  const now = () => Math.floor(Date.now() / 1000);
  let base: number;

  before(async () => {
    stack = await startStack();
    base = now() - 10 * SECONDS_PER_DAY;
    const treaty = treatyWithKeys(stack.keys);
    const entries = [
      { author: 'US', time: base, type: 'treaty.propose', body: { treaty } },
      { author: 'US', time: base, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      { author: 'RU', time: base, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      foundingRegistration('RU', base + 60, [ru1, ru2]),
      { author: 'US', time: base + 120, type: 'request.file', body: { request: 'US-F1', requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-f1', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: new Date((base - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10) } },
      { author: 'RU', time: base + 180, type: 'request.acknowledge', body: { request: 'US-F1' } },
    ] as AnyDomainEntry[];
    await submitEntries(stack, entries, { waitForLast: true });
  });
  after(async () => stack?.close());

  async function submitAsRu(entry: AnyDomainEntry) {
    const signed = stack.writers.get('RU')!.sign(entry, await latestSeen(stack.exchange.url));
    return postEntry(stack.exchange.url, signed.bytes);
  }

  it('a second approval forged with an unregistered key, a wrong key, or the same official twice', async () => {
    const grant = { request: 'US-F1', decision: 'grant' };
    const sizeBefore = stack.exchange.sequencer.size;
    const unregistered = await submitAsRu(approvedEntry(TREATY_ID, 'RU', base + 240, 'request.decide', grant, [ru1, testOfficial('ru-forged')]));
    assert.deepEqual([unregistered.status, unregistered.body.code], [404, 'OFFICIAL_UNKNOWN'], JSON.stringify(unregistered.body));
    const wrongKey = await submitAsRu(approvedEntry(TREATY_ID, 'RU', base + 240, 'request.decide', grant, [ru1, { id: ru2.id, seed: testOfficial('ru-forged').seed }]));
    assert.deepEqual([wrongKey.status, wrongKey.body.code], [403, 'APPROVAL_INVALID'], JSON.stringify(wrongKey.body));
    const twice = await submitAsRu(approvedEntry(TREATY_ID, 'RU', base + 240, 'request.decide', grant, [ru1, ru1]));
    assert.deepEqual([twice.status, twice.body.code], [400, 'APPROVERS_NOT_DISTINCT'], JSON.stringify(twice.body));
    const unsigned = await submitAsRu({ author: 'RU', time: base + 240, type: 'request.decide', body: { ...grant, approvers: [ru1.id, ru2.id] } } as AnyDomainEntry);
    assert.deepEqual([unsigned.status, unsigned.body.code], [422, 'APPROVALS_REQUIRED'], JSON.stringify(unsigned.body));
    assert.equal(stack.exchange.sequencer.size, sizeBefore, 'nothing forged entered the log');
    const honest = await submitAsRu(approvedEntry(TREATY_ID, 'RU', base + 240, 'request.decide', grant, [ru1, ru2]));
    assert.equal(honest.status, 201, JSON.stringify(honest.body));
  });
});
