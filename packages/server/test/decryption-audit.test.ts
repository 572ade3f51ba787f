import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/** Issue 17: every decryption shown to an official is recorded in the gateway's own audit table. */
describe('the decryption audit of a gateway, over loopback', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const audit = async (official: Official, query = '') => (await official.call('GET', `/api/audit/decryptions${query}`)).body as { items: { official: string; subjectType: string; subjectId: string; entries: number[]; at: number }[]; next: string | null };

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    const offenceDate = new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    const filed = await us.clerk!.call('POST', '/api/requests', { request: 'US-D1', requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-d1', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, identity: 'Ivan Example, born 1990', at: day(1) });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await waitFor('US-D1 in the RU mirror', async () => (await ru.reviewer!.call('GET', '/api/requests/US-D1')).status === 200);
  });
  after(async () => stack?.close());

  it('records the RU reviewer who opened the sealed identity, in RU’s table only', async () => {
    const opened = await ru.reviewer!.call('GET', '/api/requests/US-D1');
    assert.ok(JSON.stringify(opened.body.sealed).includes('Ivan Example'), 'the reviewer read the plaintext');
    const rows = (await audit(ru.observer!)).items.filter((row) => row.subjectId === 'US-D1');
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((row) => row.official === 'ru-reviewer' && row.subjectType === 'request' && row.entries.length > 0));
    assert.equal((await audit(us.observer!, '?case=US-D1&official=ru-reviewer')).items.length, 0, 'the other state keeps no record of RU’s officials');
  });

  it('filters by official and by case, pages with a cursor, and is closed to clerks and reviewers', async () => {
    await us.clerk!.call('GET', '/api/requests/US-D1');
    await us.reviewer!.call('GET', '/api/requests/US-D1');
    const byClerk = await audit(us['approver-1']!, '?official=us-clerk');
    assert.ok(byClerk.items.length >= 1 && byClerk.items.every((row) => row.official === 'us-clerk'));
    const first = await audit(us.observer!, '?case=US-D1&limit=1');
    assert.equal(first.items.length, 1);
    assert.ok(first.next);
    const second = await audit(us.observer!, `?case=US-D1&limit=1&before=${first.next}`);
    assert.equal(second.items.length, 1);
    assert.notDeepEqual(second.items[0], first.items[0]);
    assert.equal((await us.clerk!.call('GET', '/api/audit/decryptions')).status, 403);
    const bad = await us.observer!.call('GET', '/api/audit/decryptions?limit=1000');
    assert.deepEqual([bad.status, bad.body.field], [400, 'query.limit']);
  });

  it('finds a request by words in its sealed members, and records the search that opened them (issue 14)', async () => {
    const search = async (official: Official, q: string) => {
      const answer = await official.call('GET', `/api/requests?q=${encodeURIComponent(q)}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return (answer.body as { items: { id: string }[] }).items.map((row) => row.id);
    };
    const rows = async () => (await audit(ru.observer!, '?case=US-D1&official=ru-clerk')).items;
    const before = (await rows()).length;
    // "Ivan Example" is sealed: no public field of the request holds it.
    assert.deepEqual(await search(ru.clerk!, 'example ivan'), ['US-D1']);
    assert.equal((await rows()).length, before + 1, 'a search that found it in the sealed members is audited');
    assert.ok((await rows()).every((row) => row.subjectType === 'request' && row.entries.length > 0));
    assert.deepEqual(await search(ru.clerk!, 'example p-d1'), ['US-D1'], 'one word in the public fields, one in the sealed ones');
    assert.deepEqual(await search(ru.clerk!, 'example nobody'), [], 'every word must be found');
    // A public match opens nothing.
    assert.deepEqual(await search(ru.clerk!, 'p-d1'), ['US-D1']);
    assert.equal((await rows()).length, before + 1, 'the same finding again within ten minutes (a console reloading its list) is not recorded again');
    stack.clock.advanceTo(stack.clock.now() + 601);
    assert.deepEqual(await search(ru.clerk!, 'example ivan'), ['US-D1']);
    assert.equal((await rows()).length, before + 2, 'after ten minutes it is');
  });
});
