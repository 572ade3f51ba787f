import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply, decodeState, encodeState } from '@evenhand/core';
import { dueNotifications, openStore, type Store } from '@evenhand/store';
import { adopted, filing, walkTreaty } from '../../core/test/legal-acts-support.ts';
import { Notifier } from '../src/gateway/notifier.ts';

/**
 * Issue 14: a restarted gateway counts the figure index of its restored state in slices while
 * it serves. The "deadline-soon" notifications read that index; a round during the count
 * waits for it instead of making it finish at once, and the round after it tells what came due.
 */
describe('deadline-soon notifications after a restart from a snapshot', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-notifier-restart-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway-RU.db') });
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the count of the restored index, then tells what comes due', async () => {
    const filedAt = 1_700_000_000;
    const filed = apply(adopted(walkTreaty(2)), filing('R1', 'US', 'RU', 'UA', filedAt, 'computer-fraud'));
    assert.ok(filed.ok);
    const restored = decodeState(JSON.parse(JSON.stringify(encodeState(filed.value))));
    assert.ok(restored.ok);
    const count = restored.value.figures.driveCount()!;
    // RU owes an acknowledgement within days of the filing: within the webhook's period from the start.
    const now = filedAt + 3600;
    const notifier = new Notifier({ store, party: 'RU', webhooks: [{ url: 'http://127.0.0.1:9/hook', events: ['deadline-soon'], withinDays: 60 }], now: () => now });
    await notifier.collect(restored.value);
    assert.deepEqual(await dueNotifications(store.db, now + 86_400, 50), [], 'nothing told, and the count not finished at once');
    assert.equal(count.done, false);
    while (!count.step());
    await notifier.collect(restored.value);
    const told = await dueNotifications(store.db, now + 86_400, 50);
    assert.ok(told.length > 0 && told.every((item) => item.event === 'deadline-soon'), `told ${told.length} obligations coming due`);
  });
});
