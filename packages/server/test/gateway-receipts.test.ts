import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { bytesEqual, openReceipt, verifierOf } from '@evenhand/log';
import { lastSubmissionOf } from '@evenhand/store';
import { adoptTreaty, loginEveryone, startGatewayStack, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * An exchange in front of the real one that forwards everything but strips the signed receipt
 * from its acknowledgements: what an operator would do to leave a state nothing to show.
 */
async function receiptStripper(): Promise<{ server: Server; urlFor: (target: string) => string }> {
  let target = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      void fetch(`${target}${request.url}`, { method: request.method, headers: { 'content-type': request.headers['content-type'] ?? 'application/octet-stream' }, ...(body ? { body } : {}) }).then(async (answer) => {
        let bytes = Buffer.from(await answer.arrayBuffer());
        if (request.method === 'POST' && request.url?.startsWith('/v1/entries') && answer.status === 201) {
          const { receipt: _dropped, ...rest } = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
          bytes = Buffer.from(JSON.stringify(rest));
        }
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' }).end(bytes);
      }, () => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, urlFor: (real) => ((target = real), `http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

/**
 * Issue 12, "signed receipts", between real services: the exchange answers each accepted entry
 * with a receipt signed by the log key, naming the index, the entry's leaf hash and an
 * include-by time; the gateway keeps it with the submission; and an acknowledgement without
 * one raises RECEIPT_INVALID, since it would prove nothing to anyone else.
 */
describe('signed receipts from the exchange, kept by the gateways (issue 12)', () => {
  let stack: GatewayStack;
  let stripper: Awaited<ReturnType<typeof receiptStripper>>;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;

  before(async () => {
    stripper = await receiptStripper();
    stack = await startGatewayStack({ exchangeUrlFor: (party, url) => (party === 'RU' ? stripper.urlFor(url) : url) });
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], t0);
  });
  after(async () => {
    await stack?.close();
    stripper?.server.close();
  });

  it('the US gateway keeps the log-signed receipt of its entry: its index, its leaf hash, an include-by time after it was sent', async () => {
    const submission = await lastSubmissionOf(stack.gateways.get('US')!.store.db, 'US');
    assert.ok(submission?.receipt, 'a receipt is kept with the submission');
    const receipt = openReceipt(submission.receipt, verifierOf(stack.keys.log));
    assert.ok(receipt.ok, receipt.ok ? '' : receipt.error.message);
    assert.equal(receipt.value.index, submission.index);
    assert.ok(bytesEqual(receipt.value.leafHash, submission.leafHash), 'for this very entry');
    assert.ok(receipt.value.includeBy >= submission.submittedAt, 'a promise about the future');
    assert.ok(!stack.gateways.get('US')!.gateway.alarms.list().some((alarm) => alarm.code === 'RECEIPT_INVALID'));
  });

  it('the RU gateway, acknowledged without a receipt, raises RECEIPT_INVALID and keeps the submission', async () => {
    const submission = await lastSubmissionOf(stack.gateways.get('RU')!.store.db, 'RU');
    assert.ok(submission, 'the submission is recorded all the same');
    assert.equal(submission.receipt, null);
    const alarm = stack.gateways.get('RU')!.gateway.alarms.list().find((each) => each.code === 'RECEIPT_INVALID');
    assert.ok(alarm, 'RECEIPT_INVALID raised');
    assert.match(alarm.message, new RegExp(`accepted entry ${submission.index} without a valid signed receipt \\(it gave none\\)`));
  });
});
