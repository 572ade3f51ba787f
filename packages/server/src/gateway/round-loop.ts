import { setTimeout as delay } from 'node:timers/promises';

/**
 * When a running gateway takes its rounds (sync, inclusion, case keys, notifications, views).
 *
 * Rounds on a fixed timer cost the same whether the log moves or not: each fetches the
 * checkpoint and queries the store, and at one a second that was most of an idle gateway's CPU
 * (issue 14: "idle CPU ≤ 2% of a core at every size"; 2–3% on a slow day at 10^6). So once a
 * round leaves the mirror's verified checkpoint where the round before left it (the log
 * idle), the loop asks the exchange to hold its answer until it publishes past that size (the
 * long poll `GET /v1/checkpoint?covering=`, which filings already use): an idle log gets a
 * round per long poll (`MAX_CHECKPOINT_WAIT_MS`), and the time-driven checks (a late
 * inclusion, a deadline's notice, a key's rotation) still run at that pace; the first entry
 * after a quiet spell gets its round at once.
 *
 * While the log moves, the rounds keep the timer's pace, one per `intervalMs`, without a long
 * poll: woken by each publication, the rounds fell in step with the filings' own syncs and
 * the gateway's cosigning, and the sustained benchmark lost about 10% of its filings (236
 * against 260 a second, same hour). Rounds never start closer than `intervalMs`, so an
 * exchange that answers the long poll at once (an older one, an unreachable one, or one that
 * will not wait) gets the rounds of the timer, and nothing more.
 */
export interface RoundLoopOptions {
  /** One round; its failure is reported and the loop goes on. */
  readonly round: () => Promise<void>;
  /** Resolves once the exchange has published past `size`, or its wait is over; may reject (the next round's sync reports why). */
  readonly waitForGrowth: (size: number, signal: AbortSignal) => Promise<void>;
  /**
   * The size of the mirror's latest verified checkpoint: before the first round, and after
   * each. Not the tree's size: the gateway's own witness grows the tree to a size before the
   * exchange publishes it (it cosigns first), and a long poll past that size slept through
   * the publication it was waiting for, up to the poll's 5 s.
   */
  readonly size: () => number;
  /** The least time between the starts of two rounds. */
  readonly intervalMs: number;
  readonly onError: (error: unknown) => void;
  /** Milliseconds on a monotonic clock, for pacing only (tests inject it). */
  readonly clock?: () => number;
  /** Waits `ms` unless `signal` aborts first (tests inject it). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RoundLoop {
  /** Ends the loop: a long poll or a pause in progress is abandoned, a round in progress finishes first. */
  stop(): Promise<void>;
}

export function startRoundLoop(options: RoundLoopOptions): RoundLoop {
  // Monotonic: with the wall clock, a step back (an NTP correction) of an hour left the loop
  // asleep for the hour, where the timer it replaced kept its pace.
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const stopping = new AbortController();
  const { signal } = stopping;
  const running = (async () => {
    let sizeBefore = options.size();
    while (!signal.aborted) {
      const started = clock();
      await options.round().catch(options.onError);
      if (signal.aborted) break;
      const size = options.size();
      if (size === sizeBefore) await options.waitForGrowth(size, signal).catch(() => undefined);
      sizeBefore = size;
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
