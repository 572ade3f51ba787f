import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { findCaseKey } from '@evenhand/store';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 14, the sustained run: a filing answered on the exchange's receipt (`?wait=false`, what
 * the console asks), with the request's page waiting for the witnessed checkpoint instead; the
 * filing state's case key at hand at once, so that page opens the sealed members without
 * waiting for the catch-up; and catch-ups asked together shared.
 */
describe('a filing answered on the exchange’s receipt (issue 14)', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const { day, filing } = testCalendar();
  const file = (id: string, at: number) => filing(id, at, { sealed: { identity: `Identity of ${id}` } });

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
  });
  after(async () => stack?.close());

  it('refuses a `wait` that is neither true nor false, naming the field', async () => {
    const refused = await us.clerk!.call('POST', '/api/requests?wait=soon', file('US-W0', day(1)));
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(JSON.stringify(refused.body), /wait/);
  });

  it('answers wait=false with the acknowledged write; the case key is kept already, and the page opens once a checkpoint covers the request', async () => {
    const filed = await us.clerk!.call('POST', '/api/requests?wait=false', file('US-W1', day(1)));
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(typeof filed.body.visible, 'boolean');
    assert.equal(filed.body.request, 'US-W1');
    // The key it made is at hand before any catch-up could have read the filing from the mirror.
    const key = await stack.gateways.get('US')!.gateway.caseKeys.keyFor('US-W1');
    assert.ok(key instanceof Uint8Array && key.length === 32, 'the filing state holds the case key as soon as the filing is answered');
    // The page waits for the witnessed checkpoint (a few seconds at most per read), then shows the sealed member.
    const detail = await waitFor('US-W1 open in the US console', async () => {
      const read = await us.clerk!.call('GET', '/api/requests/US-W1');
      if (read.status === 409) {
        assert.equal(read.body.code, 'REQUEST_PENDING');
        return undefined;
      }
      assert.equal(read.status, 200, JSON.stringify(read.body));
      return read.body as { sealed: unknown; timeline: { index: number }[] };
    });
    assert.equal(detail.timeline[0]!.index, filed.body.index);
    assert.match(JSON.stringify(detail.sealed), /Identity of US-W1/);
  });

  it('seals a file attached right after a wait=false filing under that filing’s own case key', async () => {
    const filed = await us.clerk!.call('POST', '/api/requests?wait=false', file('US-W4', day(2)));
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    // What a file attached before the mirror holds the request is sealed under (routes-evidence.ts):
    // the key the filing wrapped, not a new reservation that the catch-up would then replace.
    const reserved = await stack.gateways.get('US')!.gateway.caseKeys.reserve('US-W4');
    const uploaded = await us.clerk!.upload('/api/evidence?request=US-W4', Buffer.from('wallet trace of US-W4'), 'trace.txt');
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    await stack.syncAll();
    for (const party of ['US', 'RU']) await stack.gateways.get(party)!.gateway.caseKeys.catchUp();
    const wrappedToRu = await stack.gateways.get('RU')!.gateway.caseKeys.keyFor('US-W4');
    assert.ok(wrappedToRu instanceof Uint8Array);
    assert.deepEqual(Buffer.from(reserved), Buffer.from(wrappedToRu), 'the reserved key is the one the filing wrapped');
    // RU holds only the key the filing wrapped to it, and US the one its catch-up stored from the log.
    for (const official of [ru.reviewer!, us.clerk!]) assert.equal((await official.download(`/api/evidence/${uploaded.body.ref}`)).bytes.toString(), 'wallet trace of US-W4');
  });

  it('files a draft with wait=false too, as the console does', async () => {
    const saved = await us.clerk!.call('POST', '/api/drafts', file('US-W3', day(2)));
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    const filed = await us.clerk!.call('POST', `/api/drafts/${encodeURIComponent(saved.body.id)}/file?wait=false`);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.deepEqual([filed.body.request, typeof filed.body.visible], ['US-W3', 'boolean']);
  });

  it('still waits for the checkpoint by default, for API clients that read at once', async () => {
    const filed = await us.clerk!.call('POST', '/api/requests', file('US-W2', day(2)));
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.visible, true);
    assert.equal((await us.observer!.call('GET', '/api/requests?direction=outgoing')).body.items.some((row: { id: string }) => row.id === 'US-W2'), true);
  });

  it('shares a catch-up asked while one waits for its turn, and then holds the keys of every filing it read', async () => {
    await stack.syncAll();
    await stack.gateways.get('US')!.gateway.caseKeys.catchUp();
    const keeper = stack.gateways.get('RU')!.gateway.caseKeys;
    const first = keeper.catchUp();
    const second = keeper.catchUp();
    assert.equal(second, first, 'asked before the first started: the same catch-up');
    await first;
    const third = keeper.catchUp();
    assert.notEqual(third, first, 'asked after it started: another one, which reads what came since');
    await third;
    for (const party of ['US', 'RU']) {
      for (const id of ['US-W1', 'US-W2']) assert.ok((await findCaseKey(stack.gateways.get(party)!.store.db, id))?.sealedKey, `${party} holds the case key of ${id}, stored from the log`);
    }
    const read = await ru.reviewer!.call('GET', '/api/requests/US-W1');
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.match(JSON.stringify(read.body.sealed), /Identity of US-W1/);
  });
});
