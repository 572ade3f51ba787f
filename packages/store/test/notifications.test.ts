import { it } from 'node:test';
import assert from 'node:assert/strict';
import { enqueueNotification, markNotificationDelivered, markNotificationFailed, notificationStatus } from '../src/index.ts';
import { migrations } from '../src/migrations.ts';
import { describeOnEachEngine } from './dialects.ts';
import { sqlitePlansOf } from './query-plans.ts';

const owe = (db: Parameters<typeof enqueueNotification>[0], id: string) => enqueueNotification(db, { id, url: 'http://127.0.0.1:9/hook', event: 'deadline-soon', body: '{}', createdAt: 1_000 });

describeOnEachEngine('the log-health screen’s count of webhook notifications (issue 14)', (context) => {
  it('counts what is owed, what failed and what was delivered, each delivery once', async () => {
    const db = context.store.db;
    for (const id of ['a', 'b', 'c', 'd']) await owe(db, id);
    assert.deepEqual(await notificationStatus(db), { pending: 4, failing: 0, delivered: 0, lastError: null });
    await markNotificationDelivered(db, 'a', 2_000, 1);
    // Delivered again (two rounds raced, say): still one delivery.
    await markNotificationDelivered(db, 'a', 2_001, 2);
    await markNotificationFailed(db, 'b', 1, 3_000, 'hook: refused');
    await markNotificationFailed(db, 'c', 1, 4_000, 'hook: timed out');
    assert.deepEqual(await notificationStatus(db), { pending: 3, failing: 2, delivered: 1, lastError: 'hook: timed out' });
    // A failure later delivered no longer counts as failing, and its error is no longer the latest.
    await markNotificationDelivered(db, 'c', 5_000, 2);
    assert.deepEqual(await notificationStatus(db), { pending: 2, failing: 1, delivered: 2, lastError: 'hook: refused' });
  });

  it('seeds the counter from the rows already delivered when the migration runs on an existing store', async () => {
    const db = context.store.db;
    const before = (await notificationStatus(db)).delivered;
    assert.ok(before > 0, 'the test above delivered some');
    // As the store was before migration 0019: delivered rows, no counter. Then the migration's own step.
    await db.deleteFrom('gateway_state').where('key', '=', 'notifications.delivered').execute();
    assert.equal((await notificationStatus(db)).delivered, 0);
    await migrations(context.engine.name)['0019-notifications-delivered-counter']!.up(db);
    assert.equal((await notificationStatus(db)).delivered, before);
  });

  // SQLite's query plan is read here (as in submissions.test.ts); on PostgreSQL the test is not registered.
  if (context.engine.name === 'sqlite') it('reads only the undelivered rows, through the index, never every notification (SQLite query plan)', async () => {
    const plans = await sqlitePlansOf(context.store.db, (db) => notificationStatus(db));
    assert.equal(plans.length, 3, 'the owed counts, the latest failure, the delivered counter');
    for (const { sql, plan } of plans) {
      assert.doesNotMatch(plan, /\bSCAN\b/, `${sql}: ${plan}`);
      assert.match(plan, /SEARCH (gateway_notifications USING INDEX gateway_notifications_due \(delivered_at=\?|gateway_state USING INDEX)/, `${sql}: ${plan}`);
    }
  });
});
