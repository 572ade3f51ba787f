import type { FastifyInstance } from 'fastify';
import { expiredTrades } from '@evenhand/core';
import type { ExchangeAuthor } from './exchange-author.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';

export interface TradeExpiryOptions {
  readonly sequencer: Sequencer;
  readonly publisher: CheckpointPublisher;
  readonly author: ExchangeAuthor;
  readonly now: () => number;
  /** How often to look for trades past their deadline (tests shorten it). */
  readonly tickMs?: number;
}

/**
 * The exchange calls off every trade whose deadline has passed (DESIGN.md "Trades" 5; issue
 * 11: "the exchange does so on its own schedule, so a silent party cannot keep legs
 * locked"). Any party may do it first; the core refuses a second call-off, which is then
 * skipped. Each tick reads only the open trades past their deadline (the trade book's open bag,
 * soonest deadline first), never the whole log.
 */
export function scheduleTradeExpiry(app: FastifyInstance, options: TradeExpiryOptions): { run(): Promise<string[]> } {
  const run = () =>
    options.author.exclusive(async () => {
      const now = options.now();
      const calledOff: string[] = [];
      for (const trade of expiredTrades(options.sequencer.domainState, now)) {
        // No sealed reasons: the exchange holds no party's seal key, and the deadline is the reason.
        const result = await options.author.submitNow('trade.abort', { trade }, now);
        if (result.ok) calledOff.push(trade);
      }
      if (calledOff.length > 0) options.publisher.nudge();
      return calledOff;
    });
  const tick = setInterval(() => {
    run().catch((error: unknown) => app.log.error({ err: error }, 'calling off expired trades failed'));
  }, options.tickMs ?? 60_000);
  tick.unref();
  app.addHook('onClose', async () => {
    clearInterval(tick);
    await options.author.exclusive(async () => undefined);
  });
  return { run };
}
