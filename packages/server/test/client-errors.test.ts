import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { maxHeaderSize } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { verifierOf } from '@evenhand/log';
import { openStore, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys } from '@evenhand/testing';
import { createServiceApp } from '../src/error-handler.ts';
import { buildWitnessApp } from '../src/witness/witness-app.ts';
import { answerOf, exchangeRaw } from './raw-http.ts';

/**
 * Requests that reach no route, and bodies of a type a route does not take, answer in the
 * service's own form, naming the limit or the header (a request cut by its time: request-timeout.test.ts) (found by fuzzing the services, issue 14):
 * before, Fastify answered `{error, message, statusCode}` ("Client Error"), and a 415 had the
 * code BAD_REQUEST.
 */

const bigHeader = `X-Padding: ${'a'.repeat(maxHeaderSize + 10)}\r\n`;

describe('answers to requests that reach no route', () => {
  const app = createServiceApp(64 * 1024);
  app.post('/echo', async (request) => request.body);
  let url = '';
  let dir = '';
  let store: Store | undefined;
  let witness: FastifyInstance | undefined;
  before(async () => {
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'evenhand-client-errors-'));
  });
  after(async () => {
    await app.close();
    await witness?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers headers over the limit with 431 HEADERS_TOO_LARGE naming the limit', async () => {
    const answer = answerOf(await exchangeRaw(url, `GET /echo HTTP/1.1\r\nHost: service\r\n${bigHeader}\r\n`));
    assert.equal(answer.status, 431);
    assert.match(answer.contentType, /^application\/json/);
    assert.deepEqual(JSON.parse(answer.body), { code: 'HEADERS_TOO_LARGE', message: `headers: the request's headers are larger than the ${maxHeaderSize} bytes allowed`, field: 'headers' });
  });

  it('answers what is not HTTP with 400 BAD_REQUEST in the same form', async () => {
    const answer = answerOf(await exchangeRaw(url, 'NOT HTTP AT ALL\r\n\r\n'));
    assert.equal(answer.status, 400);
    const body = JSON.parse(answer.body) as { code: string; message: string };
    assert.equal(body.code, 'BAD_REQUEST');
    assert.match(body.message, /not valid HTTP\/1\.1 \(HPE_/);
  });

  it('answers a body of a type the route does not take with 415 UNSUPPORTED_MEDIA_TYPE naming the header', async () => {
    const answer = await app.inject({ method: 'POST', url: '/echo', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(answer.statusCode, 415);
    assert.deepEqual(answer.json(), {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'headers.content-type: POST /echo does not take a body of type application/x-www-form-urlencoded; send JSON as application/json',
      field: 'headers.content-type',
    });
  });

  it('answers a witness in text, as tlog-witness does', async () => {
    const keys = scenarioKeys();
    store = await openStore({ engine: 'sqlite', file: join(dir, 'witness.db') });
    witness = buildWitnessApp({ store, cosigner: keys.witnesses.get('CH')!, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), now: () => 1_700_000_000 });
    const witnessUrl = await witness.listen({ host: '127.0.0.1', port: 0 });
    const answer = answerOf(await exchangeRaw(witnessUrl, `POST /add-checkpoint HTTP/1.1\r\nHost: witness\r\n${bigHeader}\r\n`));
    assert.equal(answer.status, 431);
    assert.match(answer.contentType, /^text\/plain/);
    assert.equal(answer.body, `headers: the request's headers are larger than the ${maxHeaderSize} bytes allowed\n`);
  });
});
