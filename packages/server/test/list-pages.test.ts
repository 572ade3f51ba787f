import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createOfficialAccount } from '../src/auth/accounts.ts';
import { adoptTreaty, login, loginEveryone, startGatewayStack, testCalendar, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/** Every page of `path` (which takes `after=`), each checked to hold at most `limit` items. */
const walk = async <T>(read: (path: string) => Promise<{ status: number; body: any }>, path: string, limit: number): Promise<{ items: T[]; pages: number }> => {
  const items: T[] = [];
  let after = '';
  for (let pages = 1; pages <= 50; pages++) {
    const answer = await read(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}&after=${encodeURIComponent(after)}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(answer.body.items.length <= limit, `a page of ${answer.body.items.length} asked for ${limit}`);
    items.push(...answer.body.items);
    if (answer.body.next === null) return { items, pages };
    after = answer.body.next;
  }
  throw new Error(`${path}: more than 50 pages`);
};
const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);
const exactlyOnce = (seen: readonly string[], expected: readonly string[]) => {
  assert.equal(new Set(seen).size, seen.length, `each once: ${seen.join(' ')}`);
  assert.deepEqual([...seen].sort(), [...expected].sort());
};
const refusal = (answer: { status: number; body: any }, field: string) => {
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  assert.equal(answer.body.field, field, JSON.stringify(answer.body));
};

/**
 * Issue 14, "every list is paginated with a cursor, with a bounded page size, filters applied
 * server-side": the requests, the obligations (the gateway's and the exchange's, JSON and CSV),
 * each read page by page over real HTTP. Every walk must meet every item exactly once, each
 * filter must keep exactly the items it names, and a bad cursor or length is a 400 naming it.
 */
describe('lists a page at a time: requests and obligations, gateway and exchange', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  const { day, filing } = testCalendar(30);
  // Seven US requests to RU, then two RU requests to the US.
  const outgoing = ['US-PG-1', 'US-PG-2', 'US-PG-3', 'US-PG-4', 'US-PG-5', 'US-PG-6', 'US-PG-7'];
  const incoming = ['RU-PG-1', 'RU-PG-2'];

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    for (const [index, id] of outgoing.entries()) assert.equal((await us.clerk!.call('POST', '/api/requests', filing(id, day(1) + index * 60))).status, 201);
    for (const [index, id] of incoming.entries()) assert.equal((await ru.clerk!.call('POST', '/api/requests', filing(id, day(2) + index * 60, { requested: 'US' }))).status, 201);
    // RU acknowledges one request: its next obligation is then RU's decision, not the acknowledgement.
    assert.equal((await ru.reviewer!.call('POST', '/api/requests/US-PG-3/actions/acknowledge', { at: day(3) })).status, 201);
    await stack.syncAll();
  });
  after(async () => stack?.close());

  it('pages the requests in filing order, backward, and by the soonest open obligation, each request once', async () => {
    const call = (path: string) => us.observer!.call('GET', path);
    const filed = await walk<{ id: string }>(call, '/api/requests?sort=filed', 2);
    assert.deepEqual(ids(filed.items), [...outgoing, ...incoming], 'filing order');
    assert.equal(filed.pages, 5);
    const backward = await walk<{ id: string }>(call, '/api/requests?sort=filed-desc', 4);
    assert.deepEqual(ids(backward.items), [...outgoing, ...incoming].reverse());
    const due = await walk<{ id: string; nextDeadline: { due: number } | null }>(call, '/api/requests?sort=due', 2);
    exactlyOnce(ids(due.items), [...outgoing, ...incoming]);
    const dues = due.items.map((row) => row.nextDeadline?.due ?? Infinity);
    assert.deepEqual(dues, [...dues].sort((a, b) => a - b), 'soonest first');
    // Filters on the server: direction, status, whose act is awaited.
    assert.deepEqual(ids((await walk<{ id: string }>(call, '/api/requests?direction=incoming', 1)).items), incoming);
    assert.deepEqual(ids((await walk<{ id: string }>(call, '/api/requests?status=acknowledged', 3)).items), ['US-PG-3']);
    assert.deepEqual(ids((await walk<{ id: string }>(call, '/api/requests?owed=us', 3)).items), incoming, 'the US owes the acknowledgements of the incoming ones');
    assert.deepEqual(ids((await walk<{ id: string }>(call, '/api/requests?q=p-US-PG-5', 3)).items), ['US-PG-5'], 'free text over the pseudonym');
  });

  it('refuses a bad cursor, order or length of the requests with a 400 naming the field', async () => {
    const call = (path: string) => us.observer!.call('GET', path);
    refusal(await call('/api/requests?after=x1'), 'query.after');
    refusal(await call('/api/requests?after=99'), 'query.after');
    refusal(await call('/api/requests?sort=filed&after=d2'), 'query.after');
    refusal(await call('/api/requests?sort=id'), 'query.sort');
    refusal(await call('/api/requests?limit=201'), 'query.limit');
    refusal(await call('/api/requests?limit=0'), 'query.limit');
  });

  it("pages this state's obligations, soonest first, with each filter kept on the server", async () => {
    const call = (path: string) => us.observer!.call('GET', path);
    type Obligation = { request?: string; trade?: string; party: string; kind: string; due: number; overdue: boolean; requesting?: string; requested?: string };
    const key = (item: Obligation) => `${item.request ?? item.trade} ${item.kind}`;
    const whole = (await call('/api/deadlines?limit=200')).body as { size: number; at: number; items: Obligation[]; next: null };
    assert.equal(whole.next, null);
    // Nine requests, each to decide, and eight of them still to acknowledge (RU acknowledged US-PG-3).
    assert.deepEqual([whole.items.filter((item) => item.kind === 'decide').length, whole.items.filter((item) => item.kind === 'acknowledge').length], [9, 8]);
    const paged = await walk<Obligation>(call, '/api/deadlines', 2);
    assert.deepEqual(paged.items.map(key), whole.items.map(key), 'the pages, end to end, are the list');
    assert.equal(paged.pages, 9);
    assert.equal((await call('/api/deadlines')).body.items.length, 17, '50 by default');
    const filtered = async (query: string, expected: (item: Obligation) => boolean) => {
      const got = (await walk<Obligation>(call, `/api/deadlines?${query}`, 2)).items.map(key);
      const want = whole.items.filter(expected).map(key);
      assert.ok(want.length > 0 && want.length < whole.items.length, `${query} keeps some and drops some`);
      assert.deepEqual(got, want, query);
    };
    await filtered('owedBy=US', (item) => item.party === 'US');
    await filtered('owedBy=RU', (item) => item.party === 'RU');
    await filtered('kind=decide', (item) => item.kind === 'decide');
    await filtered('request=US-PG-6', (item) => item.request === 'US-PG-6');
    await filtered('owedBy=RU&kind=acknowledge', (item) => item.party === 'RU' && item.kind === 'acknowledge');
    // Every obligation of the US is one of both parties: `party` tells them from a party in none.
    assert.equal((await walk<Obligation>(call, '/api/deadlines?party=RU', 3)).items.length, 17);
    assert.equal((await walk<Obligation>(call, '/api/deadlines?party=CH', 3)).items.length, 0);
    assert.deepEqual((await walk<Obligation>(call, '/api/deadlines?trade=T-NONE', 3)).items, []);
    // Time passes the acknowledgement deadlines: only then is anything overdue.
    assert.equal((await walk<Obligation>(call, '/api/deadlines?overdue=true', 3)).items.length, 0);
    stack.clock.advanceTo(day(15));
    const late = (await call('/api/deadlines?limit=200')).body as { items: Obligation[] };
    const overdue = await walk<Obligation>(call, '/api/deadlines?overdue=true', 2);
    assert.ok(overdue.items.length > 0 && overdue.items.length < late.items.length, "the acknowledgements are overdue, the decision is not");
    assert.deepEqual(overdue.items.map(key), late.items.filter((item) => item.overdue).map(key));
    refusal(await call('/api/deadlines?after=abc'), 'query.after');
    refusal(await call('/api/deadlines?limit=201'), 'query.limit');
    refusal(await call('/api/deadlines?kind=tea'), 'query.kind');
    refusal(await call('/api/deadlines?owedBy=usa'), 'query.owedBy');
  });

  it('pages the public obligations at a pinned size and instant, JSON and CSV, with the filters', async () => {
    const exchange = stack.exchange.url;
    const get = async (path: string) => {
      const response = await fetch(`${exchange}${path}`);
      return { status: response.status, body: (await response.json()) as any };
    };
    const first = (await get('/v1/deadlines?limit=2')).body as { size: number; at: number; items: { request: string; kind: string; party: string }[]; next: string };
    assert.equal(first.items.length, 2);
    const pinned = `/v1/deadlines?size=${first.size}&at=${first.at}`;
    const whole = (await get(`${pinned}&limit=200`)).body as { items: { request: string; kind: string; party: string }[]; next: null };
    assert.equal(whole.next, null);
    const paged = await walk<{ request: string; kind: string }>(get, pinned, 4);
    assert.deepEqual(paged.items, whole.items);
    const ru = await walk<{ party: string }>(get, `${pinned}&owedBy=RU`, 3);
    assert.deepEqual(ru.items, whole.items.filter((item) => item.party === 'RU'));
    assert.ok(ru.items.length > 0 && ru.items.length < whole.items.length);
    // The CSV is the same page, its next page named in a Link header with the size and instant pinned.
    const csv = await fetch(`${exchange}${pinned}&limit=3&format=csv`);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const rows = (await csv.text()).trimEnd().split('\r\n');
    assert.equal(rows.length, 1 + 3);
    const link = csv.headers.get('link') ?? '';
    assert.match(link, /^<\/v1\/deadlines\?.*>; rel="next"$/);
    const nextUrl = new URL(link.slice(1, link.indexOf('>')), exchange);
    assert.deepEqual([nextUrl.searchParams.get('size'), nextUrl.searchParams.get('at'), nextUrl.searchParams.get('after'), nextUrl.searchParams.get('limit')], [String(first.size), String(first.at), '3', '3']);
    const last = await fetch(`${exchange}${pinned}&limit=200&format=csv`);
    assert.equal(last.headers.get('link'), null, 'no next page, no Link');
    const badCursor = await get('/v1/deadlines?after=-1');
    assert.deepEqual([badCursor.status, badCursor.body.field], [400, 'query.after']);
    const badLimit = await get('/v1/deadlines?limit=500');
    assert.deepEqual([badLimit.status, badLimit.body.field], [400, 'query.limit']);
    const beyond = await get('/v1/deadlines?size=999999999');
    assert.deepEqual([beyond.status, beyond.body.field], [400, 'query.size'], 'a size the log has not reached names the query member');
  });
});

/**
 * The same for the lists of a gateway's own working data: open proposals and drafts (rows of
 * its store, read with a keyset) and the registered officials (from its replay). Each walk
 * meets every item once, each filter keeps exactly what it names, and a bad cursor, length or
 * filter is a 400 naming the field.
 */
describe('lists a page at a time: proposals, officials, drafts', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  let third: Official;
  let treatyId = '';
  const { day, filing } = testCalendar(30);
  const cases = ['US-PR-1', 'US-PR-2', 'US-PR-3', 'US-PR-4', 'US-PR-5'];
  /** The open proposals RU made, by what they are on, in the order they were made. */
  const made: { id: string; target: string; proposer: string }[] = [];

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    treatyId = (await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0))).id;
    for (const [index, id] of cases.entries()) assert.equal((await us.clerk!.call('POST', '/api/requests', filing(id, day(1) + index * 60))).status, 201);
    await stack.syncAll();
    for (const [index, id] of cases.entries()) assert.equal((await ru.reviewer!.call('POST', `/api/requests/${id}/actions/acknowledge`, { at: day(2) + index * 60 })).status, 201);
    // Officials: both founding sets, then a third RU approver registered and the second revoked.
    // The US gateway lists them between the steps, so its order grows as the log does.
    assert.equal((await ru['approver-1']!.call('POST', '/api/officials/founding', { at: day(3) })).status, 201);
    assert.equal((await us['approver-1']!.call('POST', '/api/officials/founding', { at: day(3) + 60 })).status, 201);
    await waitFor('four officials in the US mirror', async () => (await us.observer!.call('GET', '/api/officials')).body.items.length === 4);
    await waitFor('RU registered in its own mirror', async () => (await ru.observer!.call('GET', '/api/officials')).body.approvalsRequired);
    await createOfficialAccount(stack.gateways.get('RU')!.store.db, { username: 'ru-approver-3', party: 'RU', role: 'approver', password: 'ru-approver-3-pw', createdAt: 0 });
    third = await login(stack.gateways.get('RU')!.url, 'ru-approver-3', undefined, stack.clock);
    const register = await ru['approver-1']!.call('POST', '/api/officials/register', { at: day(4) });
    assert.equal((await ru['approver-2']!.call('POST', `/api/proposals/${register.body.proposal.id}/confirm`)).status, 201);
    await waitFor('ru-approver-3 in the RU mirror', async () => (await ru.observer!.call('GET', '/api/officials?party=RU')).body.items.length === 3);
    const revoke = await third.call('POST', '/api/officials/ru-approver-2/revoke', { reason: 'left the office', at: day(5) });
    assert.equal((await ru['approver-1']!.call('POST', `/api/proposals/${revoke.body.proposal.id}/confirm`)).status, 201);
    await waitFor('the revocation in the US mirror', async () => (await us.observer!.call('GET', '/api/officials?revoked=true')).body.items.length === 1);
    // Open proposals: four decisions and a denunciation; the last decision is then overtaken,
    // its request withdrawn. The registration and revocation above are confirmed: history.
    for (const [index, id] of cases.entries()) {
      const by = index < 3 ? ru['approver-1']! : third;
      const proposed = await by.call('POST', `/api/requests/${id}/decision-proposals`, { decision: 'grant', at: day(6) + index * 60 });
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      made.push({ id: proposed.body.proposal.id, target: id, proposer: by.username });
    }
    const denounce = await ru['approver-1']!.call('POST', '/api/treaty/denounce', { treaty: treatyId, at: day(6) + 600 });
    assert.equal(denounce.status, 201, JSON.stringify(denounce.body));
    made.push({ id: denounce.body.proposal.id, target: treatyId, proposer: 'ru-approver-1' });
    assert.equal((await us['approver-1']!.call('POST', '/api/requests/US-PR-5/actions/withdraw', { reasons: 'The person was located elsewhere.', at: day(6) + 900 })).status, 201);
    await stack.syncAll();
  });
  after(async () => stack?.close());

  it('pages the open proposals oldest first, each once, with every filter on the server', async () => {
    const call = (path: string) => ru['approver-1']!.call('GET', path);
    const all = await walk<{ id: string; overtaken: unknown }>(call, '/api/proposals', 2);
    assert.deepEqual(ids(all.items), made.map((proposal) => proposal.id), 'oldest first; confirmed ones are not listed');
    assert.equal(all.pages, 3);
    const first = (await call('/api/proposals?limit=2')).body;
    assert.equal(typeof first.size, 'number', 'judged at a log size');
    const only = async (query: string, expected: (proposal: (typeof made)[number]) => boolean, as = call) => {
      exactlyOnce(ids((await walk<{ id: string }>(as, `/api/proposals?${query}`, 2)).items), made.filter(expected).map((proposal) => proposal.id));
    };
    await only('kind=request.decide', (proposal) => proposal.target !== treatyId);
    await only('scope=case', (proposal) => proposal.target !== treatyId);
    await only('scope=state', (proposal) => proposal.target === treatyId);
    await only('scope=case&kind=treaty.denounce', () => false);
    await only('target=US-PR-2', (proposal) => proposal.target === 'US-PR-2');
    await only('mine=true', (proposal) => proposal.proposer === 'ru-approver-1');
    await only('mine=false', (proposal) => proposal.proposer !== 'ru-approver-1');
    await only('mine=false', (proposal) => proposal.proposer !== 'ru-approver-3', (path) => third.call('GET', path));
    await only('overtaken=true', (proposal) => proposal.target === 'US-PR-5');
    await only('overtaken=false&scope=case', (proposal) => proposal.target !== 'US-PR-5' && proposal.target !== treatyId);
    assert.deepEqual((await walk((path) => us['approver-1']!.call('GET', path), '/api/proposals', 2)).items, [], "RU's proposals are not the US's");
  });

  it('refuses a bad cursor, length or filter of the proposals with a 400 naming the field', async () => {
    const call = (path: string) => ru['approver-1']!.call('GET', path);
    refusal(await call('/api/proposals?after=abc'), 'query.after');
    refusal(await call('/api/proposals?after=12.'), 'query.after');
    refusal(await call(`/api/proposals?after=${'9'.repeat(121)}`), 'query.after');
    refusal(await call('/api/proposals?limit=201'), 'query.limit');
    refusal(await call('/api/proposals?limit=0'), 'query.limit');
    refusal(await call('/api/proposals?kind=tea'), 'query.kind');
    refusal(await call('/api/proposals?scope=all'), 'query.scope');
    refusal(await call('/api/proposals?mine=maybe'), 'query.mine');
    refusal(await call('/api/proposals?overtaken=1'), 'query.overtaken');
  });

  it("pages every party's officials in order of registration, filtered by party and revocation", async () => {
    const call = (path: string) => us.observer!.call('GET', path);
    type Registered = { party: string; id: string; registeredAt: { index: number }; revokedAt: { index: number } | null };
    const key = (official: Registered) => `${official.party}/${official.id}`;
    const all = await walk<Registered>(call, '/api/officials', 2);
    exactlyOnce(all.items.map(key), ['RU/ru-approver-1', 'RU/ru-approver-2', 'US/us-approver-1', 'US/us-approver-2', 'RU/ru-approver-3']);
    const order = all.items.map((official) => official.registeredAt.index);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'in order of registration');
    assert.equal(all.pages, 3);
    const only = async (query: string, expected: (official: Registered) => boolean) => {
      const want = all.items.filter(expected).map(key);
      assert.ok(want.length > 0 && want.length < all.items.length, `${query} keeps some and drops some`);
      assert.deepEqual((await walk<Registered>(call, `/api/officials?${query}`, 1)).items.map(key), want, query);
    };
    await only('party=RU', (official) => official.party === 'RU');
    await only('party=US', (official) => official.party === 'US');
    await only('revoked=true', (official) => official.revokedAt !== null);
    await only('revoked=false', (official) => official.revokedAt === null);
    await only('party=RU&revoked=false', (official) => official.party === 'RU' && official.revokedAt === null);
    const page = (await call('/api/officials?limit=1&after=1')).body;
    assert.deepEqual([page.party, page.approvalsRequired, page.unregistered], ['US', true, []], 'every page says what the console needs beside the list');
    refusal(await call('/api/officials?after=x'), 'query.after');
    refusal(await call('/api/officials?after=99'), 'query.after');
    refusal(await call('/api/officials?limit=201'), 'query.limit');
    refusal(await call('/api/officials?party=usa'), 'query.party');
    refusal(await call('/api/officials?revoked=yes'), 'query.revoked');
  });

  it("pages this state's drafts oldest first, filed or not, going on after a draft deleted between pages", async () => {
    const clerk = us.clerk!;
    const call = (path: string) => clerk.call('GET', path);
    // Three drafts at one instant (their ids order them), two later; one is filed.
    const saved: string[] = [];
    for (const [index, at] of [day(7), day(7), day(7), day(7) + 60, day(7) + 120].entries()) {
      const draft = await clerk.call('POST', '/api/drafts', { ...filing(`US-DR-${index}`, at) });
      assert.equal(draft.status, 201, JSON.stringify(draft.body));
      saved.push(draft.body.id);
    }
    assert.equal((await ru.clerk!.call('POST', '/api/drafts', { request: 'RU-DR-1' })).status, 201);
    assert.equal((await clerk.call('POST', `/api/drafts/${saved[3]}/file`, {})).status, 201);
    const all = await walk<{ id: string; createdAt: number; filedIndex: number | null }>(call, '/api/drafts', 2);
    exactlyOnce(ids(all.items), saved);
    const keys = all.items.map((draft) => [draft.createdAt, draft.id] as const);
    assert.deepEqual(keys, [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)), 'oldest first, then by id');
    assert.equal('size' in (await call('/api/drafts')).body, false, 'drafts are not in the log: no size');
    assert.deepEqual(ids((await walk<{ id: string }>(call, '/api/drafts?filed=true', 2)).items), [saved[3]]);
    exactlyOnce(ids((await walk<{ id: string }>(call, '/api/drafts?filed=false', 1)).items), saved.filter((_, index) => index !== 3));
    // The draft a page ended with is deleted: the next page starts after it all the same.
    const first = (await call('/api/drafts?limit=2')).body as { items: { id: string }[]; next: string };
    assert.equal((await clerk.call('DELETE', `/api/drafts/${first.items[1]!.id}`)).status, 204);
    const second = (await call(`/api/drafts?limit=10&after=${encodeURIComponent(first.next)}`)).body as { items: { id: string }[]; next: string | null };
    assert.deepEqual([ids(second.items), second.next], [ids(all.items).slice(2), null]);
    refusal(await call('/api/drafts?after=abc'), 'query.after');
    refusal(await call('/api/drafts?after=-1.draft-x'), 'query.after');
    refusal(await call('/api/drafts?limit=201'), 'query.limit');
    refusal(await call('/api/drafts?filed=maybe'), 'query.filed');
  });
});
