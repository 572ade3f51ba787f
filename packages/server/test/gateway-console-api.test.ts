import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * The gateway API behind issue 15's console: requests searched, filtered and paged on the
 * server; the task inbox; live updates by server-sent events; drafts edited and deleted; the
 * login page's "whose gateway"; and the exchange's public treaty, CSV downloads and CORS.
 */
describe('the console API: search and pages, tasks, live events, drafts, public downloads', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const filing = (id: string, pseudonym: string, offence: string, at: number) => ({
    request: id, requested: 'RU', kind: 'extradition', purpose: 'prosecution',
    subject: { pseudonym, nationalities: ['UA'], ageAtOffence: 30 }, offences: [offence], offenceDate: '2025-01-10', at,
  });

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    for (const [id, pseudonym, offence, at] of [['US-API-1', 'wallet-alpha', 'ransomware-extortion', day(1)], ['US-API-2', 'wallet-beta', 'illegal-access', day(2)], ['US-API-3', 'forum-gamma', 'laundering', day(3)]] as const) {
      const filed = await us.clerk!.call('POST', '/api/requests', filing(id, pseudonym, offence, at));
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
    }
    await stack.syncAll();
  });
  after(async () => stack?.close());

  const list = async (official: Official, query: string) => {
    const answer = await official.call('GET', `/api/requests?${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as { size: number; items: { id: string }[]; next: string | null };
  };

  it('searches, filters and pages on the server', async () => {
    const all = await list(ru.observer!, 'sort=filed&limit=2');
    assert.deepEqual([all.items.map((row) => row.id), all.next], [['US-API-1', 'US-API-2'], '2']);
    const rest = await list(ru.observer!, 'sort=filed&limit=2&after=2');
    assert.deepEqual([rest.items.map((row) => row.id), rest.next], [['US-API-3'], null]);
    // Free text over the id, the pseudonym and the offences, in either language of the treaty.
    assert.deepEqual((await list(ru.observer!, 'q=wallet')).items.map((row) => row.id).sort(), ['US-API-1', 'US-API-2']);
    assert.deepEqual((await list(ru.observer!, `q=${encodeURIComponent('Противозаконный доступ')}`)).items.map((row) => row.id), ['US-API-2']);
    assert.deepEqual((await list(ru.observer!, 'q=gamma laundering')).items.map((row) => row.id), ['US-API-3']);
    // Whose act the next deadline awaits: RU owes the acknowledgements.
    assert.equal((await list(ru.observer!, 'owed=us')).items.length, 3);
    assert.equal((await list(us.observer!, 'owed=them')).items.length, 3);
    assert.equal((await list(us.observer!, 'owed=us')).items.length, 0);
    assert.equal((await list(us.observer!, 'overdue=true')).items.length, 0, 'nothing overdue yet');
    const refused = await us.observer!.call('GET', '/api/requests?limit=201');
    assert.equal(refused.status, 400, 'a page is at most 200 rows');
  });

  it('lists each official’s tasks, owed by this state apart from owed to it, with the act and whether the role takes it', async () => {
    const tasks = async (official: Official, since?: number) => (await official.call('GET', `/api/tasks${since === undefined ? '' : `?since=${since}`}`)).body as {
      owedByUs: { id: string; kind: string; act: string | null; mine: boolean; party: string }[];
      owedToUs: { id: string; kind: string; party: string }[];
      owedByUsTotal: number;
      owedToUsTotal: number;
      newIncoming: { count: number; ids: string[] };
    };
    const reviewer = await tasks(ru.reviewer!, day(1) + 60);
    // Soonest first: the three acknowledgements (the reviewer's), then the three decisions (an approver's).
    assert.deepEqual(reviewer.owedByUs.map((task) => [task.id, task.kind, task.act, task.mine]), [
      ['US-API-1', 'acknowledge', 'request.acknowledge', true], ['US-API-2', 'acknowledge', 'request.acknowledge', true], ['US-API-3', 'acknowledge', 'request.acknowledge', true],
      ['US-API-1', 'decide', 'request.decide', false], ['US-API-2', 'decide', 'request.decide', false], ['US-API-3', 'decide', 'request.decide', false],
    ]);
    assert.deepEqual((await tasks(ru['approver-1']!)).owedByUs.filter((task) => task.mine).map((task) => task.kind), ['decide', 'decide', 'decide']);
    assert.deepEqual(reviewer.newIncoming, { count: 2, ids: ['US-API-3', 'US-API-2'] }, 'filed after the last visit, newest first');
    assert.ok((await tasks(ru.clerk!)).owedByUs.every((task) => !task.mine), 'a clerk does not acknowledge');
    const usSide = await tasks(us.clerk!);
    assert.deepEqual([usSide.owedByUs.length, usSide.owedToUs.length, usSide.owedByUsTotal, usSide.owedToUsTotal, new Set(usSide.owedToUs.map((task) => task.party))], [0, 6, 0, 6, new Set(['RU'])]);
  });

  it('pushes a `log` event with the verified size when the log grows (server-sent events)', async () => {
    const gateway = stack.gateways.get('US')!.url;
    const login = await fetch(`${gateway}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-observer', password: 'us-observer-pw' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const controller = new AbortController();
    const stream = await fetch(`${gateway}/api/events`, { headers: { cookie }, signal: controller.signal });
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    let buffered = '';
    const nextSize = async () => {
      for (let reads = 0; reads < 50; reads++) {
        const match = /event: log\ndata: (\{[^\n]*\})\n\n/.exec(buffered);
        if (match) {
          buffered = buffered.slice(match.index + match[0].length);
          const data = JSON.parse(match[1]!) as { size: number; now: number };
          assert.equal(data.now, stack.clock.now(), 'each event carries the gateway\'s clock, which the console counts "new" from');
          return data.size;
        }
        const { value, done } = await reader.read();
        if (done) break;
        buffered += new TextDecoder().decode(value);
      }
      throw new Error(`no log event in: ${buffered}`);
    };
    const first = await nextSize();
    assert.equal(first, stack.gateways.get('US')!.gateway.mirror.verified?.checkpoint.size);
    assert.equal((await us.clerk!.call('POST', '/api/requests', filing('US-API-4', 'wallet-delta', 'laundering', day(4)))).status, 201);
    await stack.syncAll();
    const grown = await waitFor('a larger size pushed', async () => {
      const size = await nextSize();
      return size > first ? size : undefined;
    }, 20_000);
    assert.ok(grown > first);
    controller.abort();
  });

  it('edits and deletes a draft not yet filed, and keeps a filed one as the record', async () => {
    const draft = await us.clerk!.call('POST', '/api/drafts', filing('US-API-9', 'draft-subject', 'laundering', day(5)));
    assert.equal(draft.status, 201);
    const edited = await us.clerk!.call('PUT', `/api/drafts/${draft.body.id}`, { ...filing('US-API-9', 'draft-subject-2', 'laundering', day(5)), at: undefined });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.body.subject.pseudonym, 'draft-subject-2');
    assert.equal((await ru.clerk!.call('DELETE', `/api/drafts/${draft.body.id}`)).status, 404, 'another state’s draft is not found');
    assert.equal((await us.clerk!.call('DELETE', `/api/drafts/${draft.body.id}`)).status, 204);
    assert.equal((await us.clerk!.call('GET', `/api/drafts/${draft.body.id}`)).status, 404);
    const kept = await us.clerk!.call('POST', '/api/drafts', filing('US-API-10', 'kept-subject', 'laundering', day(5)));
    const filed = await us.clerk!.call('POST', `/api/drafts/${kept.body.id}/file`, {});
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const refused = await us.clerk!.call('DELETE', `/api/drafts/${kept.body.id}`);
    assert.deepEqual([refused.status, refused.body.code], [409, 'DRAFT_FILED']);
  });

  it('tells the login page whose gateway it is, before any login', async () => {
    const answer = await fetch(`${stack.gateways.get('RU')!.url}/api/gateway`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { party: 'RU', name: 'Russian Federation', centralAuthority: "Prosecutor General's Office of the Russian Federation" });
  });

  it('serves the treaty in force with its Russian titles, the figures as CSV, and CORS on the public API', async () => {
    const exchange = stack.exchange.url;
    const treaty = (await (await fetch(`${exchange}/v1/treaty`)).json()) as { treaty: { offences: { id: string; titleRu?: string }[] } };
    assert.equal(treaty.treaty.offences.find((offence) => offence.id === 'illegal-access')?.titleRu, 'Противозаконный доступ');
    const csv = await fetch(`${exchange}/v1/statistics?format=csv`);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="evenhand-statistics-\d+\.csv"$/);
    const [header, ...rows] = (await csv.text()).trimEnd().split('\r\n');
    assert.match(header!, /^size,at,requesting,requested,filed,/);
    assert.ok(rows.some((row) => row.includes(',US,RU,')), rows.join('\n'));
    const deadlines = await (await fetch(`${exchange}/v1/deadlines?format=csv`)).text();
    assert.match(deadlines, /^target,party,kind,leg,due,overdue,daysOverdue/);
    assert.match(deadlines, /US-API-1,RU,acknowledge,/);
    assert.equal((await fetch(`${exchange}/v1/statistics`)).headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${exchange}/checkpoint`)).headers.get('access-control-allow-origin'), '*');
    const post = await fetch(`${exchange}/v1/entries`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(post.headers.get('access-control-allow-origin'), null, 'writes are not opened to other sites');
  });
});
