import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAFT_LIMITS } from '../src/gateway/routes-drafts.ts';
import { MAX_JSON_DEPTH } from '../src/json-depth.ts';
import { loginEveryone, startGatewayStack, type GatewayStack, type Official } from './gateway-stack.ts';

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
  before(async () => {
    stack = await startGatewayStack();
    ({ us } = await loginEveryone(stack));
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
