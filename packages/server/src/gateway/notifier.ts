import { obligationsChangedSince, obligationsComingDue, requestAt, type AnyDeadline, type State } from '@evenhand/core';
import { dueNotifications, enqueueNotification, markNotificationDelivered, markNotificationFailed, readGatewayState, writeGatewayState, type Store } from '@evenhand/store';

/** What an operator's webhook is told about (issue 15). */
export type WebhookEvent = 'new-incoming' | 'deadline-soon';

export interface Webhook {
  /** Where to POST the notification (JSON), e.g. the state's own mail or ticket gateway. */
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  /** "deadline-soon": an obligation this state owes that falls due within this many days (7 by default). */
  readonly withinDays?: number;
}

/** Deliveries attempted per round at most; the rest wait for the next round. */
const PER_ROUND = 20;

/** Retry after 10 s, doubling, at most an hour apart. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

const CURSOR = 'notifier.requests';
/** Seconds a "deadline-soon" horizon may move before it is stored again. */
const HORIZON_STORED_EVERY = 60;

/**
 * Notifications for the operator's webhooks (issue 15): a new incoming request, and an
 * obligation this state owes falling due within N days. Each is recorded in the store under a
 * key that makes it once, then POSTed until the webhook answers 2xx, retried with backoff; a
 * crash between the two only repeats a delivery (at least once). New requests are found from
 * a cursor over the log's request order, so a round costs the requests filed since the last.
 */
export class Notifier {
  /** The state the last round read: what changed since is where new obligations are. */
  private previous: State | undefined;
  /** Per "deadline-soon" webhook: the due instant up to which it was told, and the last one stored. */
  private readonly horizons = new Map<string, { at: number; stored: number }>();

  constructor(
    private readonly options: { store: Store; party: string; webhooks: readonly Webhook[]; now: () => number; timeoutMs?: number },
  ) {}

  /** Records what `state` owes the webhooks now. */
  async collect(state: State): Promise<void> {
    const { store, party, webhooks } = this.options;
    if (webhooks.length === 0) return;
    const now = this.options.now();
    const start = Number((await readGatewayState(store.db, CURSOR)) ?? '-1');
    // On a first run, requests already in the log are not news.
    let position = start < 0 ? state.requestIds.size : start;
    for (; position < state.requestIds.size; position++) {
      const record = requestAt(state, position);
      if (!record || record.view.requested !== party) continue;
      const body = { event: 'new-incoming', party, request: record.id, requesting: record.view.requesting, kind: record.view.kind, offences: record.view.offences, filedAt: record.view.filedAt };
      for (const hook of webhooks) if (hook.events.includes('new-incoming')) await enqueueNotification(store.db, { id: `${hook.url}|new-incoming|${record.id}`, url: hook.url, event: 'new-incoming', body: JSON.stringify(body), createdAt: now });
    }
    if (position !== start) await writeGatewayState(store.db, CURSOR, String(position));
    const soon = webhooks.filter((hook) => hook.events.includes('deadline-soon'));
    // A restart still counting its figure index between rounds is not made to count the rest at once: the next rounds tell what comes due meanwhile.
    if (soon.length === 0 || state.figures.waitsForCount) return;
    const previous = this.previous;
    this.previous = state;
    // What the records changed since the last round owe: read once for every webhook.
    const changed = previous ? obligationsChangedSince(previous, state, now) : [];
    for (const hook of soon) await this.dueSoon(hook, state, changed, now);
  }

  /**
   * "deadline-soon" for one webhook (issue 14: no periodic task reads the open obligations whole;
   * this ran every second over all of them): the obligations whose due instant came within its
   * notice period since the last round (a horizon kept in the store), and those of the requests
   * and trades that changed since the last round's state, which may have been created inside
   * the period already. A webhook's first round tells everything already within the period.
   */
  private async dueSoon(hook: Webhook, state: State, changedSince: readonly AnyDeadline[], now: number): Promise<void> {
    const { store, party } = this.options;
    const key = `notifier.deadline-soon.${hook.url}.${hook.withinDays ?? 7}`;
    const upTo = now + (hook.withinDays ?? 7) * 86_400;
    if (!this.horizons.has(key)) {
      const stored = await readGatewayState(store.db, key);
      // A webhook new to this gateway is told, once, of everything already within its period.
      const at = stored === undefined ? -Infinity : Number(stored);
      this.horizons.set(key, { at, stored: at });
    }
    const horizon = this.horizons.get(key)!;
    for (const item of [...obligationsComingDue(state, now, horizon.at, upTo), ...changedSince.filter((item) => item.due <= upTo)]) {
      if (item.party !== party) continue;
      const target = 'request' in item ? item.request : item.trade;
      const body = { event: 'deadline-soon', party, target, kind: item.kind, due: item.due, overdue: item.overdue, article: item.article };
      await enqueueNotification(store.db, { id: `${hook.url}|deadline-soon|${target}|${item.kind}|${'leg' in item ? item.leg ?? '' : ''}|${item.due}`, url: hook.url, event: 'deadline-soon', body: JSON.stringify(body), createdAt: now });
    }
    horizon.at = Math.max(horizon.at, upTo);
    // Stored once a minute, not every round: after a crash the rounds since are walked again,
    // and the notifications' keys make each one once.
    if (horizon.at - horizon.stored >= HORIZON_STORED_EVERY) {
      await writeGatewayState(store.db, key, String(horizon.at));
      horizon.stored = horizon.at;
    }
  }

  /** POSTs the notifications due now; a failure is retried later with backoff. */
  async deliver(): Promise<void> {
    const { store } = this.options;
    const now = this.options.now();
    for (const notification of await dueNotifications(store.db, now, PER_ROUND)) {
      const attempts = notification.attempts + 1;
      try {
        const response = await fetch(notification.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-evenhand-notification': notification.id }, body: notification.body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
        if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered ${response.status}`);
        await markNotificationDelivered(store.db, notification.id, now, attempts);
      } catch (error) {
        const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        await markNotificationFailed(store.db, notification.id, attempts, now + retryDelaySeconds(attempts), `${notification.url}: ${reason}`);
      }
    }
  }
}
