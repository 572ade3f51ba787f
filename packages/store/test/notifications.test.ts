import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, createQueryId, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { enqueueNotification, markNotificationDelivered, markNotificationFailed, notificationStatus, openStore } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

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
    // As the store was before migration 0019: delivered rows, no counter.
    await db.deleteFrom('gateway_state').where('key', '=', 'notifications.delivered').execute();
    await db.deleteFrom('kysely_migration' as never).where('name' as never, '=', '0019-notifications-delivered-counter' as never).execute();
    assert.equal((await notificationStatus(db)).delivered, 0);
    await context.store.close();
    context.store = await openStore(context.engine.lastConfig());
    assert.equal((await notificationStatus(context.store.db)).delivered, before);
  });

  // SQLite's query plan is read here (as in submissions.test.ts); on PostgreSQL the test is not registered.
  if (context.engine.name === 'sqlite') it('reads only the undelivered rows, through the index, never every notification (SQLite query plan)', async () => {
    const nodes: RootOperationNode[] = [];
    const recorder: KyselyPlugin = {
      transformQuery: ({ node }) => (nodes.push(node), node),
      transformResult: async ({ result }) => result,
    };
    const db = context.store.db;
    await notificationStatus(db.withPlugin(recorder));
    assert.equal(nodes.length, 3, 'the owed counts, the latest failure, the delivered counter');
    for (const node of nodes) {
      const query = db.getExecutor().compileQuery(node, createQueryId());
      const plan = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]))).rows.map((row) => row.detail).join('; ');
      assert.doesNotMatch(plan, /\bSCAN\b/, `${query.sql}: ${plan}`);
      assert.match(plan, /SEARCH (gateway_notifications USING INDEX gateway_notifications_due \(delivered_at=\?|gateway_state USING INDEX)/, `${query.sql}: ${plan}`);
    }
  });
});
