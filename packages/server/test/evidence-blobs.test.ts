import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLocalServer, testSeed } from '@evenhand/testing';
import { ServiceError } from '../src/errors.ts';
import { ALTERED, putSealedBlob, sealedBlob } from '../src/gateway/evidence-blobs.ts';
import { ExchangeClient } from '../src/gateway/exchange-client.ts';

/**
 * The gateway's transfers of sealed evidence files to and from the exchange (issue 14's timed
 * calls, transport/timed-fetch.ts): a whole answer in time or EXCHANGE_UNREACHABLE, never an
 * internal error, and the bytes it serves checked against the name. Each case is an exchange
 * at its own path prefix of one local server.
 */
describe('evidence files at the exchange: stored and fetched with a deadline, checked by hash', () => {
  const file = Buffer.from('{"protected":"sealed evidence"}');
  const hash = createHash('sha256').update(file).digest('hex');
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let base: string;
  const stored: { author: string | undefined; signature: string | undefined; bytes: number }[] = [];

  function answer(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    const exchange = request.url!.split('/')[1];
    if (exchange === 'stall') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write('{');
    } else if (exchange === 'error') response.writeHead(500).end('<html>an error page</html>');
    else if (exchange === 'none') response.writeHead(404).end('{"code":"NOT_FOUND"}');
    else if (request.method === 'PUT') {
      stored.push({ author: request.headers['x-evenhand-author'] as string | undefined, signature: request.headers['x-evenhand-signature'] as string | undefined, bytes: body.length });
      response.writeHead(201).end('{}');
    } else response.writeHead(200).end(exchange === 'other' ? Buffer.from('other bytes') : file);
  }

  before(async () => {
    server = await startLocalServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => answer(request, response, Buffer.concat(chunks)));
    });
    base = server.url;
  });
  after(() => server.close());
  /** The gateway's client of an exchange that behaves as `kind` says. */
  const at = (kind: string) => new ExchangeClient(`${base}/${kind}`);

  const unreachable = (pattern: RegExp) => (error: unknown) => error instanceof ServiceError && error.code === 'EXCHANGE_UNREACHABLE' && pattern.test(error.message);

  it('fetches a file whose bytes hash to its name, and tells a missing and an altered one apart', async () => {
    assert.equal(await sealedBlob(at('ok'), `sha256:${hash}`, hash), file.toString('utf8'));
    assert.equal(await sealedBlob(at('none'), `sha256:${hash}`, hash), undefined);
    assert.equal(await sealedBlob(at('other'), `sha256:${hash}`, hash), ALTERED);
  });

  it('takes an error page for what it is, not for an altered file', async () => {
    await assert.rejects(sealedBlob(at('error'), `sha256:${hash}`, hash), unreachable(/answered 500 for the evidence file sha256:/));
  });

  it('gives up on a file whose bytes stall, as the exchange out of reach', async () => {
    await assert.rejects(sealedBlob(at('stall'), `sha256:${hash}`, hash, 300), unreachable(/did not answer for the evidence file .*no whole answer within 300 ms/));
  });

  it('stores a file under its hash, signed by the state, and reports a refusal or a stall as the exchange out of reach', async () => {
    assert.equal(await putSealedBlob(at('ok'), 'US', testSeed('us-entry'), file), hash);
    assert.deepEqual(stored.map(({ author, bytes }) => ({ author, bytes })), [{ author: 'US', bytes: file.length }]);
    assert.ok(stored[0]!.signature, 'signed');
    await assert.rejects(putSealedBlob(at('error'), 'US', testSeed('us-entry'), file), unreachable(/refused the evidence: 500 <html>/));
    await assert.rejects(putSealedBlob(at('stall'), 'US', testSeed('us-entry'), file, 300), unreachable(/did not take the evidence: no whole answer within 300 ms/));
  });
});
