import { setTimeout as delay } from 'node:timers/promises';

/**
 * When a running gateway takes its rounds (sync, inclusion, case keys, notifications, views).
 *
 * Rounds on a fixed timer cost the same whether the log moves or not: each fetches the
 * checkpoint and queries the store, and at one a second that alone was 2–3% of a core of an
 * idle gateway (issue 14: "idle CPU ≤ 2% of a core at every size"). Between rounds the loop
 * asks the exchange to hold its answer until it publishes past the mirror's size (the long
 * poll `GET /v1/checkpoint?covering=`, which filings already use): a moving log gets a round
 * as soon as it moves, an idle one a round per long poll (`MAX_CHECKPOINT_WAIT_MS`), and the
 * time-driven checks (a late inclusion, a deadline's notice, a key's rotation) still run at
 * that pace. Rounds never start closer than `intervalMs`, so an exchange that answers the
 * long poll at once (an older one, an unreachable one, or one that will not wait) gets the
 * rounds of the timer this replaces, and nothing more.
 */
export interface RoundLoopOptions {
  /** One round; its failure is reported and the loop goes on. */
  readonly round: () => Promise<void>;
  /** Resolves once the exchange has published past `size`, or its wait is over; may reject (the next round's sync reports why). */
  readonly waitForGrowth: (size: number, signal: AbortSignal) => Promise<void>;
  /** The mirror's size after a round. */
  readonly size: () => number;
  /** The least time between the starts of two rounds. */
  readonly intervalMs: number;
  readonly onError: (error: unknown) => void;
  /** Milliseconds, for pacing only (tests inject it). */
  readonly clock?: () => number;
  /** Waits `ms` unless `signal` aborts first (tests inject it). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RoundLoop {
  /** Ends the loop: a long poll or a pause in progress is abandoned, a round in progress finishes first. */
  stop(): Promise<void>;
}

export function startRoundLoop(options: RoundLoopOptions): RoundLoop {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const stopping = new AbortController();
  const { signal } = stopping;
  const running = (async () => {
    while (!signal.aborted) {
      const started = clock();
      await options.round().catch(options.onError);
      if (signal.aborted) break;
      await options.waitForGrowth(options.size(), signal).catch(() => undefined);
      const rest = started + options.intervalMs - clock();
      if (rest > 0 && !signal.aborted) await sleep(rest, signal).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
