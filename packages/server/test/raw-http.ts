import assert from 'node:assert/strict';
import { connect } from 'node:net';

/** Raw HTTP/1.1 on a socket, for what no HTTP client sends: headers past the limit, broken requests, a body that stops short. */

/** Sends `raw` on a new connection and resolves with all the service wrote before it closed (bounded by 10 s). */
export async function exchangeRaw(url: string, raw: string): Promise<string> {
  const address = new URL(url);
  const socket = connect(Number(address.port), address.hostname);
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(raw);
  const outcome = await Promise.race([closed.then(() => 'closed'), new Promise<string>((resolve) => setTimeout(() => resolve('open'), 10_000).unref())]);
  socket.destroy();
  assert.equal(outcome, 'closed', 'the service closes the connection');
  return received;
}

/** The status, content type and body of a raw answer. */
export function answerOf(raw: string): { status: number; contentType: string; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]);
  const contentType = /\r\ncontent-type: ([^\r]*)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body };
}
