import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * How many notifications were ever delivered, kept as a counter in `gateway_state` (issue 14):
 * delivered rows are kept, so counting them at each read of the log-health screen cost more
 * with every notification the gateway had ever made. Migration 0019 seeds it from the rows.
 */
const DELIVERED_COUNTER = 'notifications.delivered';

/** A webhook notification owed (schema `gateway_notifications`). */
export interface Notification {
  readonly id: string;
  readonly url: string;
  readonly event: string;
  readonly body: string;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAt: number;
  readonly deliveredAt: number | null;
  readonly lastError: string | null;
}

function toNotification(row: Database['gateway_notifications']): Notification {
  return {
    id: row.id, url: row.url, event: row.event, body: row.body, createdAt: Number(row.created_at), attempts: Number(row.attempts), nextAt: Number(row.next_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at), lastError: row.last_error,
  };
}

/** Owes a notification once: a second with the same id is kept out (false). */
export async function enqueueNotification(db: Kysely<Database>, notification: { id: string; url: string; event: string; body: string; createdAt: number }): Promise<boolean> {
  const result = await db
    .insertInto('gateway_notifications')
    .values({ id: notification.id, url: notification.url, event: notification.event, body: notification.body, created_at: notification.createdAt, attempts: 0, next_at: notification.createdAt, delivered_at: null, last_error: null })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Notifications not yet delivered whose next attempt is due at `now`, oldest first. */
export async function dueNotifications(db: Kysely<Database>, now: number, limit: number): Promise<Notification[]> {
  const rows = await db.selectFrom('gateway_notifications').selectAll().where('delivered_at', 'is', null).where('next_at', '<=', now).orderBy('next_at').orderBy('id').limit(limit).execute();
  return rows.map(toNotification);
}

/**
 * Marks a notification delivered and counts it, in one transaction; a notification already
 * marked is not counted twice.
 */
export async function markNotificationDelivered(db: Kysely<Database>, id: string, at: number, attempts: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const marked = await trx.updateTable('gateway_notifications').set({ delivered_at: at, attempts, last_error: null }).where('id', '=', id).where('delivered_at', 'is', null).executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) return;
    await trx
      .insertInto('gateway_state')
      .values({ key: DELIVERED_COUNTER, value: '1' })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: sql<string>`cast(cast(gateway_state.value as bigint) + 1 as text)` }))
      .execute();
  });
}

export async function markNotificationFailed(db: Kysely<Database>, id: string, attempts: number, nextAt: number, error: string): Promise<void> {
  await db.updateTable('gateway_notifications').set({ attempts, next_at: nextAt, last_error: error.slice(0, 500) }).where('id', '=', id).execute();
}

/**
 * For the log-health screen: what is still owed, what has failed at least once, the latest
 * failure, and how many were delivered. Each part reads only the undelivered rows, through the
 * index on (delivered_at, next_at), or the counter: its cost follows what is owed now, not how
 * many notifications the gateway has ever made.
 */
export async function notificationStatus(db: Kysely<Database>): Promise<{ pending: number; failing: number; delivered: number; lastError: string | null }> {
  const undelivered = db.selectFrom('gateway_notifications').where('delivered_at', 'is', null);
  const owed = await undelivered.select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.sum<number>(eb.case().when('attempts', '>', 0).then(1).else(0).end()).as('failing')]).executeTakeFirst();
  const last = await undelivered.select('last_error').where('last_error', 'is not', null).orderBy('next_at', 'desc').limit(1).executeTakeFirst();
  const delivered = await readGatewayState(db, DELIVERED_COUNTER);
  return { pending: Number(owed?.pending ?? 0), failing: Number(owed?.failing ?? 0), delivered: Number(delivered ?? 0), lastError: last?.last_error ?? null };
}

export async function readGatewayState(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('gateway_state').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function writeGatewayState(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db.insertInto('gateway_state').values({ key, value }).onConflict((conflict) => conflict.column('key').doUpdateSet({ value })).execute();
}
