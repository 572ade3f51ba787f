import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAFT_LIMITS } from '../src/gateway/routes-drafts.ts';
import { MAX_JSON_DEPTH } from '../src/input-check.ts';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar, type GatewayStack, type Official } from './gateway-stack.ts';

/** A value nested `levels` deep: {"a":{"a":…}}. */
function nested(levels: number): unknown {
  let value: unknown = 'x';
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

/** The JSON text of a body nested `levels` deep, written out (JSON.stringify itself overflows the stack there). */
const deepText = (levels: number) => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;

/**
 * Issue 14, "errors and limits found by fuzzing", over real HTTP: a body nested 4,500 levels
 * deep got a 500 when a draft stored it. Every JSON body now has a depth limit, and drafts a
 * size and a count per official; each refusal names the field and the rule, and the gateway
 * keeps serving.
 */
describe('limits on what a gateway takes (issue 14)', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
  });
  after(async () => stack?.close());

  it('refuses a body nested deeper than the limit, on any route, and keeps serving', async () => {
    const url = stack.gateways.get('US')!.url;
    for (const [path, levels] of [['/api/drafts', 4_500], ['/api/login', MAX_JSON_DEPTH + 1]] as const) {
      const answer = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deepText(levels) });
      const body = (await answer.json()) as { code: string; field: string; message: string };
      assert.deepEqual([answer.status, body.code, body.field], [400, 'BODY_TOO_DEEP', 'body'], `${path}: ${JSON.stringify(body)}`);
      assert.match(body.message, new RegExp(`more than ${MAX_JSON_DEPTH} levels`));
    }
    const fine = await us.clerk!.call('POST', '/api/drafts', { request: 'US-FINE', extra: nested(MAX_JSON_DEPTH - 2) });
    assert.equal(fine.status, 201, 'a body within the limit is taken');
    assert.equal((await us.clerk!.call('GET', '/api/drafts')).status, 200);
  });

  it('refuses a draft over the size limit, naming it', async () => {
    const big = await us.clerk!.call('POST', '/api/drafts', { request: 'US-BIG', notes: 'x'.repeat(DRAFT_LIMITS.bytes) });
    assert.deepEqual([big.status, big.body.code], [413, 'BODY_TOO_LARGE']);
    assert.match(big.body.message, new RegExp(`at most ${DRAFT_LIMITS.bytes} bytes`));
  });

  it('refuses text that is not text and members that name a prototype, in a body, a query or a path, naming the member', async () => {
    // JSON.stringify writes a lone surrogate and U+0000 as escapes, which the gateway's JSON.parse reads back as they were.
    const cases: [string, string, unknown, string, RegExp][] = [
      // A lone surrogate: an entry holding one failed while the gateway signed it (a 500).
      ['POST', '/api/incidents', { incident: 'INC-1', name: 'x\ud800y', date: '2024-01-01', sector: 'energy', description: 'd' }, 'body.name', /lone surrogate \(U\+D800\)/],
      // U+0000, which PostgreSQL's text refuses (a 500 there).
      ['POST', '/api/drafts', { request: 'US-NUL', notes: ['fine', 'a\u0000b'] }, 'body.notes[1]', /U\+0000/],
      // A member whose name holds a space is quoted, as every refusal spells it (core formatPath).
      ['POST', '/api/drafts', { request: 'US-NUL', extra: { 'case no': 'a\u0000b' } }, 'body.extra["case no"]', /U\+0000/],
      ['GET', '/api/drafts/a%00b', undefined, 'path.id', /U\+0000/],
      ['GET', '/api/proposals?target=a%00b', undefined, 'query.target', /U\+0000/],
      // Refused by Fastify as "Body is not valid JSON", which it is; JSON.parse makes the member an own one.
      ['POST', '/api/drafts', JSON.parse('{"request":"US-P","__proto__":{"admin":true}}'), 'body.__proto__', /prototype/],
      ['POST', '/api/drafts', { request: 'US-P', constructor: { prototype: {} } }, 'body.constructor.prototype', /prototype/],
    ];
    for (const [method, path, body, field, rule] of cases) {
      const answer = await us.clerk!.call(method, path, body);
      assert.deepEqual([answer.status, answer.body.code, answer.body.field], [400, 'BAD_REQUEST', field], `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.message, rule);
      assert.ok((answer.body.message as string).startsWith(`${field}: `), answer.body.message);
    }
    // Anonymous too, before any session is looked up.
    const login = await fetch(`${stack.gateways.get('US')!.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"a\\u0000b","password":"x"}' });
    assert.deepEqual([login.status, ((await login.json()) as { field: string }).field], [400, 'body.username']);
    // Text in any script, and a surrogate pair (an emoji), is text.
    assert.equal((await us.clerk!.call('POST', '/api/drafts', { request: 'US-TEXT', notes: 'Дело \u{1F4C1} № 7' })).status, 201);
  });

  it('reads a number in a query only from decimal digits, and a witness refuses text that is not text in its own words', async () => {
    const views = stack.exchange.url;
    // Read with Number(), `?size=` was 0 (a view of the empty log) and `?at=` the statistics of 1970.
    for (const [path, field] of [['/v1/statistics?at=', 'query.at'], ['/v1/requests?size=', 'query.size'], ['/v1/requests?size=0x3', 'query.size'], ['/v1/checkpoint?covering=%201', 'query.covering'], ['/v1/requests?limit=+5', 'query.limit']] as const) {
      const answer = await fetch(`${views}${path}`);
      const body = (await answer.json()) as { field: string; message: string };
      assert.deepEqual([answer.status, body.field], [400, field], `${path}: ${JSON.stringify(body)}`);
      assert.match(body.message, /a whole number in decimal digits/);
    }
    assert.equal((await fetch(`${views}/v1/requests?limit=5`)).status, 200);
    // The neutral witness answers in text (C2SP tlog-witness); a NUL in a query was a store error there, and its words.
    const witness = await fetch(`${stack.witnessUrls.get('CH')!}/checkpoint/cosigned?origin=a%00b`);
    assert.equal(witness.status, 400);
    assert.match(await witness.text(), /^query\.origin: holds U\+0000/);
  });

  it('never deletes a draft while it is being filed: once filed, it stays as the record of what was filed', async () => {
    const { day, filing } = testCalendar();
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    for (let n = 0; n < 3; n++) {
      const { at: _at, ...body } = filing(`US-RACE-${n}`, day(1));
      const draft = (await us.clerk!.call('POST', '/api/drafts', body)).body as { id: string };
      const [filed, deleted] = await Promise.all([us.clerk!.call('POST', `/api/drafts/${draft.id}/file?wait=false`), us.clerk!.call('DELETE', `/api/drafts/${draft.id}`)]);
      const kept = await us.clerk!.call('GET', `/api/drafts/${draft.id}`);
      if (filed.status === 201) {
        assert.equal(deleted.status, 409, `filed as entry ${filed.body.index}, and the delete answered ${deleted.status}`);
        assert.deepEqual([kept.status, kept.body.filedIndex], [200, filed.body.index]);
      } else {
        // Deleted first: nothing was filed, and the draft is gone.
        assert.deepEqual([filed.status, deleted.status, kept.status], [404, 204, 404], JSON.stringify(filed.body));
      }
    }
  });

  it('refuses an act too long for one log entry once sealed, naming the body, and files the next one on the same chain', async () => {
    const { day, filing } = testCalendar();
    // Adopted by the test before when the file runs whole.
    if (!(await us.clerk!.call('GET', '/api/treaty')).body.treaty) await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    // Two texts of 18,000 characters each are within the schema's 20,000; in Cyrillic (2 bytes each in UTF-8), sealed, they make an entry of more than 64 KiB.
    const long = 'я'.repeat(18_000);
    const refused = await us.clerk!.call('POST', '/api/requests', filing('US-LONG', day(1), { sealed: { identity: long, statement: long } }));
    assert.deepEqual([refused.status, refused.body.code, refused.body.field], [413, 'ENTRY_TOO_LARGE', 'body'], JSON.stringify(refused.body));
    assert.match(refused.body.message as string, /a log entry holds at most 65535/);
    const filed = await us.clerk!.call('POST', '/api/requests', filing('US-SHORT', day(1), { sealed: { identity: 'short', statement: 'short' } }));
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
  });

  it('refuses one draft more than an official may keep open, until one is deleted', async () => {
    const open = ((await us.clerk!.call('GET', '/api/drafts?filed=false&limit=200')).body.items as unknown[]).length;
    for (let n = open; n < DRAFT_LIMITS.openPerOfficial; n++) assert.equal((await us.clerk!.call('POST', '/api/drafts', { request: `US-D${n}` })).status, 201);
    const over = await us.clerk!.call('POST', '/api/drafts', { request: 'US-OVER' });
    assert.deepEqual([over.status, over.body.code], [409, 'DRAFT_LIMIT']);
    const first = ((await us.clerk!.call('GET', '/api/drafts?filed=false&limit=1')).body.items as { id: string }[])[0]!;
    assert.equal((await us.clerk!.call('DELETE', `/api/drafts/${first.id}`)).status, 204);
    assert.equal((await us.clerk!.call('POST', '/api/drafts', { request: 'US-AGAIN' })).status, 201);
  });
});
