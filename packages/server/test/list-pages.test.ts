import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar, type GatewayStack, type Official } from './gateway-stack.ts';

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

  /** Every page of `path` (which takes `after=`), each checked to hold at most `limit` items. */
  const walk = async <T>(read: (path: string) => Promise<{ status: number; body: any }>, path: string, limit: number): Promise<{ items: T[]; pages: number }> => {
    const items: T[] = [];
    let after = '';
    for (let pages = 1; pages <= 50; pages++) {
      const answer = await read(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}&after=${after}`);
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
    assert.deepEqual([badCursor.status, badCursor.body.field], [400, 'after']);
    const badLimit = await get('/v1/deadlines?limit=500');
    assert.deepEqual([badLimit.status, badLimit.body.field], [400, 'query.limit']);
  });
});
