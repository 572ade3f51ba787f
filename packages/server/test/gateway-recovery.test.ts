import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupSqlite, restoreSqlite } from '@evenhand/store';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 16, "backup and recovery", on a running stack: a consistent backup of the US
 * gateway's store taken while it serves; that backup restored after more was filed, from
 * which the gateway catches up with the log and files again; and the store lost altogether,
 * from which the gateway rebuilds itself from the log and its own key files, sealed members
 * included. (A log that the state's key history contradicts is refused by a gateway on an
 * empty database: the hostile-operator suite's "a gateway on an empty database" cells.)
 */
describe('a gateway restored from a backup, and one that lost its store (issue 16)', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const { day, filing } = testCalendar();
  const file = (id: string, at: number) => filing(id, at, { sealed: { identity: `Identity of ${id}` } });
  let backup = '';
  const relogin = async () => ({ us, ru } = await loginEveryone(stack));
  const ids = async () => ((await us.observer!.call('GET', '/api/requests?direction=outgoing')).body.items as { id: string }[]).map((row) => row.id).sort();

  before(async () => {
    stack = await startGatewayStack();
    await relogin();
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    assert.equal((await us.clerk!.call('POST', '/api/requests', file('US-B1', day(1)))).status, 201);
    await stack.syncAll();
    backup = join(stack.dir, 'gateway-US.backup.db');
  });
  after(async () => stack?.close());

  it('takes a consistent copy of the running gateway’s store, and never over an existing file', async () => {
    const { bytes } = backupSqlite(join(stack.dir, 'gateway-US.db'), backup);
    assert.ok(bytes > 0);
    assert.throws(() => backupSqlite(join(stack.dir, 'gateway-US.db'), backup), /already exists/);
  });

  it('restored from that backup after more was filed, catches up with the log and files again', async () => {
    assert.equal((await us.clerk!.call('POST', '/api/requests', file('US-B2', day(2)))).status, 201);
    await stack.syncAll();
    await stack.restart('US', (store) => {
      assert.equal(restoreSqlite(backup, store).keptAs, `${store}.before-restore`);
    });
    await stack.syncAll();
    await relogin();
    assert.deepEqual(await ids(), ['US-B1', 'US-B2'], 'US-B2, filed after the backup, comes back from the log');
    // The next entry continues the state's author sequence from the log, not from the backup.
    const next = await us.clerk!.call('POST', '/api/requests', file('US-B3', day(3)));
    assert.equal(next.status, 201, JSON.stringify(next.body));
  });

  it('with its store lost, rebuilds itself from the log and its key files, and opens its sealed members', async () => {
    await stack.syncAll();
    await stack.restart('US', (store) => {
      for (const suffix of ['', '-wal', '-shm', '.before-restore']) rmSync(`${store}${suffix}`, { force: true });
    });
    await stack.syncAll();
    await relogin();
    assert.deepEqual(await ids(), ['US-B1', 'US-B2', 'US-B3']);
    const detail = (await us.observer!.call('GET', '/api/requests/US-B2')).body;
    assert.match(JSON.stringify(detail.sealed), /Identity of US-B2/, 'the case key is opened with the state’s own key files');
    assert.equal(stack.gateways.get('US')!.gateway.alarms.list().length, 0, JSON.stringify(stack.gateways.get('US')!.gateway.alarms.list()));
    const next = await us.clerk!.call('POST', '/api/requests', file('US-B4', day(4)));
    assert.equal(next.status, 201, JSON.stringify(next.body));
  });
});
