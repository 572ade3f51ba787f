import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServiceApp } from '../src/error-handler.ts';
import { answerOf, exchangeRaw } from './raw-http.ts';

/**
 * A client that announces a body and sends less of it is cut once the service's request time
 * is over (error-handler.ts REQUEST_TIMEOUT_MS): before, it held its connection for good, on
 * every route of the three services (Fastify sets no limit by default).
 */
describe('the time a request may take to arrive', () => {
  const app = createServiceApp(64 * 1024, { requestTimeoutMs: 300 });
  app.post('/echo', async (request) => request.body);
  after(async () => app.close());

  it('answers 408 and closes the connection of a body that stops short of its Content-Length', async () => {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    // Bounded at 10 s, and asserted closed, by exchangeRaw.
    const answer = answerOf(await exchangeRaw(url, 'POST /echo HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":'));
    assert.equal(answer.status, 408);
    // In the service's form (client-errors.test.ts), not Fastify's `{error, message, statusCode}`.
    assert.deepEqual(JSON.parse(answer.body), { code: 'REQUEST_TIMEOUT', message: 'the request, headers and body, did not arrive whole within the 0.3 s allowed' });
  });

  it('still takes a whole request', async () => {
    const answer = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    assert.deepEqual([answer.statusCode, answer.json()], [200, { a: 1 }]);
  });
});
