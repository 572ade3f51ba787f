import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { signBlob } from '../src/signing/blob-signature.ts';
import { startGatewayStack, type GatewayStack } from './gateway-stack.ts';

/** A session for raw-body calls (the stack's helper speaks JSON only). */
async function session(url: string, username: string) {
  const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-pw` }) });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.ok(cookie.startsWith(`${SESSION_COOKIE}=`));
  return { cookie, csrfToken };
}

describe('evidence files: sealed, stored by hash at the exchange, opened only by recipients', () => {
  let stack: GatewayStack;
  before(async () => {
    stack = await startGatewayStack();
  });
  after(async () => stack?.close());

  it('a US clerk uploads a file for RU; RU and US open it, the exchange holds only ciphertext', async () => {
    const us = stack.gateways.get('US')!.url;
    const ru = stack.gateways.get('RU')!.url;
    const file = Buffer.concat([Buffer.from('chat logs of the affiliate; wallet 1A1zP1eP'), randomBytes(4096)]);
    const clerk = await session(us, 'us-clerk');
    const uploaded = await fetch(`${us}/api/evidence?for=RU`, { method: 'POST', body: file, headers: { cookie: clerk.cookie, [CSRF_HEADER]: clerk.csrfToken, 'content-type': 'application/octet-stream', 'x-filename': 'chat-logs.bin' } });
    assert.equal(uploaded.status, 201, await uploaded.clone().text());
    const { ref } = (await uploaded.json()) as { ref: string };
    assert.match(ref, /^sha256:[0-9a-f]{64}$/);

    const stored = Buffer.from(await (await fetch(`${stack.exchange.url}/v1/blobs/${ref.slice(7)}`)).arrayBuffer());
    assert.equal(stored.includes(Buffer.from('chat logs')), false, 'the exchange holds no plaintext');

    for (const [url, user] of [[ru, 'ru-reviewer'], [us, 'us-observer']] as const) {
      const reader = await session(url, user);
      const opened = await fetch(`${url}/api/evidence/${ref}`, { headers: { cookie: reader.cookie } });
      assert.equal(opened.status, 200, user);
      assert.deepEqual(Buffer.from(await opened.arrayBuffer()), file, `${user} reads the same bytes`);
      assert.match(opened.headers.get('content-disposition') ?? '', /chat-logs\.bin/);
    }
  });

  it('takes a file of any type as bytes: text and JSON files too', async () => {
    const us = stack.gateways.get('US')!.url;
    const clerk = await session(us, 'us-clerk');
    for (const [type, text] of [['text/plain', 'subscriber of 203.0.113.7'], ['application/json', '{"account":"ex-4411"}']] as const) {
      const uploaded = await fetch(`${us}/api/evidence?for=RU`, { method: 'POST', body: text, headers: { cookie: clerk.cookie, [CSRF_HEADER]: clerk.csrfToken, 'content-type': type, 'x-filename': 'data' } });
      assert.equal(uploaded.status, 201, `${type}: ${await uploaded.clone().text()}`);
      const opened = await fetch(`${us}/api/evidence/${((await uploaded.json()) as { ref: string }).ref}`, { headers: { cookie: clerk.cookie } });
      assert.equal(await opened.text(), text, type);
      assert.equal(opened.headers.get('content-type')?.split(';')[0], type);
    }
  });

  it('refuses an upload without a session or CSRF token, from an observer, or for no counterpart', async () => {
    const us = stack.gateways.get('US')!.url;
    const body = Buffer.from('x');
    assert.equal((await fetch(`${us}/api/evidence?for=RU`, { method: 'POST', body })).status, 401);
    const clerk = await session(us, 'us-clerk');
    assert.equal((await fetch(`${us}/api/evidence?for=RU`, { method: 'POST', body, headers: { cookie: clerk.cookie, 'content-type': 'application/octet-stream' } })).status, 403);
    const observer = await session(us, 'us-observer');
    assert.equal((await fetch(`${us}/api/evidence?for=RU`, { method: 'POST', body, headers: { cookie: observer.cookie, [CSRF_HEADER]: observer.csrfToken, 'content-type': 'application/octet-stream' } })).status, 403);
    const self = await fetch(`${us}/api/evidence?for=US`, { method: 'POST', body, headers: { cookie: clerk.cookie, [CSRF_HEADER]: clerk.csrfToken, 'content-type': 'application/octet-stream' } });
    assert.deepEqual([self.status, ((await self.json()) as { field?: string }).field], [400, 'query.for'], 'the query member is named with its part');
  });

  it('the exchange stores blobs only with a party’s signature over their hash', async () => {
    const bytes = Buffer.from('sealed bytes');
    const hash = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const put = (headers: Record<string, string>, body: Buffer = bytes) => fetch(`${stack.exchange.url}/v1/blobs/${hash}`, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...headers } });
    const unsigned = await put({});
    assert.deepEqual([unsigned.status, ((await unsigned.json()) as { field?: string }).field], [400, 'headers.x-evenhand-author']);
    const stranger = signBlob(new Uint8Array(32).fill(9), hash);
    assert.equal((await put({ 'x-evenhand-author': 'US', 'x-evenhand-signature': stranger })).status, 403);
    const usSeed = stack.keys.authors.get('US')!.seed;
    const otherBytes = await put({ 'x-evenhand-author': 'US', 'x-evenhand-signature': signBlob(usSeed, hash) }, Buffer.from('other bytes'));
    assert.deepEqual([otherBytes.status, ((await otherBytes.json()) as { field?: string }).field], [400, 'path.hash'], 'bytes must hash to the name');
    assert.equal((await put({ 'x-evenhand-author': 'US', 'x-evenhand-signature': signBlob(usSeed, hash) })).status, 201);
  });
});
