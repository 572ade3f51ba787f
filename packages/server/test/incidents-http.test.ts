import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 17, "Incidents, public", over real HTTP on loopback: a clerk registers incidents through
 * the gateway, requests filed through it name them and each other, the console's API lists and
 * filters by them, and the exchange serves the ledger publicly at /v1/incidents, one incident
 * at /v1/incidents/:id and the groups at /v1/groups, paged and at a stated size.
 */
describe('incidents through the gateways and at /v1/incidents', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  let exchange: string;
  let beforeFilings = 0;
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const colonial = { incident: 'colonial-pipeline-2021', name: 'Colonial Pipeline', date: '2021-05-07', sector: 'energy', description: 'Ransomware shut the pipeline down for several days.', group: 'DarkSide' };
  const jbs = { incident: 'jbs-2021', name: 'JBS', date: '2021-05-30', sector: 'food', description: "Ransomware stopped the company's beef plants.", group: 'REvil' };
  const filing = (id: string, at: number, links: Record<string, unknown>) => ({
    request: id, requested: 'RU', kind: 'extradition', purpose: 'prosecution',
    subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: '2025-01-10', at, ...links,
  });
  const get = async (path: string) => {
    const response = await fetch(`${exchange}${path}`);
    return { status: response.status, cors: response.headers.get('access-control-allow-origin'), body: (await response.json()) as any };
  };

  before(async () => {
    stack = await startGatewayStack();
    exchange = stack.exchange.url;
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
  });
  after(async () => stack?.close());

  it('a clerk of either state registers an incident; other roles, reused ids and bad fields are refused by name', async () => {
    const registered = await us.clerk!.call('POST', '/api/incidents', { ...colonial, at: day(1) });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body.incident, 'colonial-pipeline-2021');
    assert.equal((await ru.clerk!.call('POST', '/api/incidents', { ...jbs, at: day(1) })).status, 201);
    const reviewer = await us.reviewer!.call('POST', '/api/incidents', { ...colonial, incident: 'other', at: day(1) });
    assert.equal(reviewer.status, 403);
    await stack.syncAll();
    const reused = await ru.clerk!.call('POST', '/api/incidents', { ...colonial, at: day(2) });
    assert.deepEqual([reused.status, reused.body.code, reused.body.field], [409, 'INCIDENT_EXISTS', 'body.incident']);
    const sector = await us.clerk!.call('POST', '/api/incidents', { ...colonial, incident: 'other', sector: 'pipelines', at: day(2) });
    assert.deepEqual([sector.status, sector.body.code, sector.body.field], [400, 'BODY_INVALID', 'body.sector']);
    beforeFilings = stack.exchange.sequencer.size;
  });

  it('files requests naming incidents and each other; an unknown incident is refused, naming the field', async () => {
    const first = await us.clerk!.call('POST', '/api/requests', filing('US-INC-1', day(2), { incidents: ['colonial-pipeline-2021'] }));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await us.clerk!.call('POST', '/api/requests', filing('US-INC-2', day(3), { incidents: ['jbs-2021'], related: [{ request: 'US-INC-1', relation: 'co-accused' }] }));
    assert.equal(second.status, 201, JSON.stringify(second.body));
    await stack.syncAll();
    const unknown = await us.clerk!.call('POST', '/api/requests', filing('US-INC-3', day(3), { incidents: ['kaseya-2021'] }));
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.field], [404, 'INCIDENT_UNKNOWN', 'body.incidents[0]']);
    assert.match(unknown.body.message, /no incident kaseya-2021 is registered/);
  });

  it("lists incidents for the console, filters the requests by one, and shows a request's incidents and related requests", async () => {
    const listed = await ru.observer!.call('GET', '/api/incidents');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.map((item: { id: string; registeredBy: string; requestCount: number }) => [item.id, item.registeredBy, item.requestCount]), [['colonial-pipeline-2021', 'US', 1], ['jbs-2021', 'RU', 1]]);
    const filtered = await us.observer!.call('GET', '/api/requests?incident=colonial-pipeline-2021');
    assert.deepEqual([filtered.body.next, filtered.body.items.map((row: { id: string; incidents: string[] }) => [row.id, row.incidents])], [null, [['US-INC-1', ['colonial-pipeline-2021']]]]);
    assert.deepEqual((await us.observer!.call('GET', '/api/requests?incident=nothing')).body.items, []);
    const detail = await ru.reviewer!.call('GET', '/api/requests/US-INC-1');
    assert.deepEqual(detail.body.links, { incidents: [{ id: 'colonial-pipeline-2021', name: 'Colonial Pipeline', date: '2021-05-07', group: 'DarkSide' }], related: [], relatedBy: [{ request: 'US-INC-2', relation: 'co-accused' }] });
  });

  it('serves the ledger publicly: incidents with figures and each request with its status, a page at a time, at a stated size', async () => {
    const page = await get(`/v1/incidents?at=${day(20)}`);
    assert.equal(page.status, 200);
    assert.equal(page.cors, '*', 'the public API may be read from any page');
    assert.deepEqual([page.body.size, page.body.at, page.body.next], [stack.exchange.sequencer.size, day(20), null]);
    assert.deepEqual(page.body.items.map((item: { id: string; group: string; sector: string }) => [item.id, item.group, item.sector]), [['colonial-pipeline-2021', 'DarkSide', 'energy'], ['jbs-2021', 'REvil', 'food']]);
    const [colonialItem, jbsItem] = page.body.items;
    assert.deepEqual(colonialItem.requests.map((row: { id: string; status: string }) => [row.id, row.status]), [['US-INC-1', 'filed']]);
    assert.deepEqual(colonialItem.requests[0].overdue.map((item: { party: string; kind: string }) => [item.party, item.kind]), [['RU', 'acknowledge']], 'silence past the 10 days shows, with who owes it');
    assert.deepEqual([colonialItem.statistics.figures.filed, colonialItem.statistics.figures.unacknowledgedPastDeadline, colonialItem.statistics.pairs.map((pair: { requesting: string; requested: string }) => `${pair.requesting}>${pair.requested}`)], [1, 1, ['US>RU']]);
    assert.deepEqual(jbsItem.requests[0].related, [{ request: 'US-INC-1', relation: 'co-accused' }]);
    assert.doesNotMatch(JSON.stringify(page.body), /sealed|identity|statement|p-US-INC/, 'public fields only, not even pseudonyms');

    const first = await get('/v1/incidents?limit=1');
    assert.deepEqual([first.body.items.map((item: { id: string }) => item.id), first.body.next], [['colonial-pipeline-2021'], '1']);
    assert.deepEqual((await get('/v1/incidents?limit=1&after=1')).body.items.map((item: { id: string }) => item.id), ['jbs-2021']);
    assert.equal((await get('/v1/incidents?limit=201')).status, 400, 'a page is at most 200 incidents');
    assert.deepEqual([(await get('/v1/incidents?after=x')).status, (await get('/v1/incidents?after=x')).body.field], [400, 'query.after']);
    // At a size before the filings, the same incidents have no request yet.
    const earlier = await get(`/v1/incidents?size=${beforeFilings}`);
    assert.deepEqual(earlier.body.items.map((item: { requestCount: number }) => item.requestCount), [0, 0]);
  });

  it('serves one incident with a page of its requests, and the groups with their figures', async () => {
    const one = await get('/v1/incidents/jbs-2021');
    assert.equal(one.status, 200);
    assert.deepEqual([one.body.name, one.body.registeredBy, one.body.requests.map((row: { id: string }) => row.id), one.body.next], ['JBS', 'RU', ['US-INC-2'], null]);
    const unknown = await get('/v1/incidents/kaseya-2021');
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'INCIDENT_UNKNOWN']);
    // Each gateway recomputes the ledger from its own replay and compares (issue 12): no mismatch.
    for (const official of [us.observer!, ru.observer!]) {
      const health = await official.call('GET', '/api/log-health');
      assert.deepEqual(health.body.alarms.filter((alarm: { code: string }) => alarm.code === 'VIEW_MISMATCH'), []);
    }
    const groups = await get('/v1/groups');
    assert.deepEqual(groups.body.items.map((group: { group: string; incidents: { id: string }[]; statistics: { figures: { filed: number } } }) => [group.group, group.incidents.map((incident) => incident.id), group.statistics.figures.filed]), [['DarkSide', ['colonial-pipeline-2021'], 1], ['REvil', ['jbs-2021'], 1]]);
  });
});
