import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { registerApiContract } from '../src/contract/docs.ts';
import { createServiceApp, validationField } from '../src/error-handler.ts';

/**
 * A route's schema names the member it refused exactly (error-handler.ts `validationField`):
 * a record's key `"0"` is not the position `[0]`, and a key holding `/` is one member, not two.
 */
describe('the field a route schema refuses', () => {
  let app: FastifyInstance;
  let url = '';

  before(async () => {
    app = createServiceApp(64 * 1024);
    await registerApiContract(app, { title: 'field test', description: 'a route with a record and a list' });
    const body = z.strictObject({ counts: z.record(z.string(), z.number()), list: z.array(z.number()) });
    app.post('/t', { schema: { body, querystring: z.strictObject({ size: z.coerce.number().int().optional() }) } }, async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  async function refusal(body: unknown, query = ''): Promise<{ status: number; field: string; message: string }> {
    const answer = await fetch(`${url}/t${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const parsed = (await answer.json()) as { field: string; message: string };
    return { status: answer.status, field: parsed.field, message: parsed.message };
  }

  it('quotes a record key made of digits, and writes a position in brackets', async () => {
    assert.equal((await refusal({ counts: { '0': 'x' }, list: [] })).field, 'body.counts["0"]');
    assert.equal((await refusal({ counts: {}, list: [1, 'x'] })).field, 'body.list[1]');
  });

  it('keeps a key holding "/" or "~" as one member', async () => {
    const slash = await refusal({ counts: { 'a/b': 'x' }, list: [] });
    assert.deepEqual([slash.status, slash.field], [400, 'body.counts["a/b"]']);
    assert.ok(slash.message.startsWith('body.counts["a/b"]: '), slash.message);
    assert.equal((await refusal({ counts: { '~1': 'x' }, list: [] })).field, 'body.counts["~1"]');
  });

  it('names the query member, and the whole body when it is not an object', async () => {
    assert.equal((await refusal({ counts: {}, list: [] }, '?size=half')).field, 'query.size');
    assert.equal((await refusal([1])).field, 'body');
  });

  it('reads an error without the path from its JSON pointer, unescaping it (RFC 6901)', () => {
    assert.equal(validationField('body', { instancePath: '/counts/a~1b/3', params: {} }), 'body.counts["a/b"][3]');
    assert.equal(validationField('querystring', { instancePath: '/x~0y', params: {} }), 'query["x~y"]');
    assert.equal(validationField(undefined, undefined), 'body');
  });
});
