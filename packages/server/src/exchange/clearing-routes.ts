import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { clearingOptionsOf, clearingPoolDigest, clearingRoundBody, clearingRoundPool, partiesLeft, proposalsOf, type ClearingProposal } from '@evenhand/core';
import { sha256 } from '@evenhand/crypto';
import type { JsonObject } from '@evenhand/log';
import type { ExchangeAuthor } from './exchange-author.ts';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';
import { clearInWorker } from './clearing-runner.ts';
import { route } from '../contract/common.ts';
import { clearingRoundAnswer } from '../contract/clearing.ts';
import type { Answer } from '../contract/documents.ts';

export interface ClearingRouteOptions {
  readonly sequencer: Sequencer;
  readonly publisher: CheckpointPublisher;
  readonly now: () => number;
  /** The exchange as an author (signed with the log key, cli serve.ts authorKeys); without one, clearing is off. */
  readonly author?: ExchangeAuthor | undefined;
  /**
   * The operator's bearer token for on-demand rounds. Without one, `POST /v1/clearing/run`
   * is off: a round costs up to twice the solver's budget of CPU and writes entries to the
   * log, so nobody may start one unasked. The treaty's schedule runs either way.
   */
  readonly operatorToken?: string | undefined;
  /** Days from the round to each proposed trade's deadline. */
  readonly tradeDays?: number;
  /** The solver's own budget (trade-matching.md §6(b)); the worker is terminated at twice this. */
  readonly timeLimitSeconds?: number;
  /** How often to check whether the treaty's clearing schedule (treaty.clearing.everyHours) is due. */
  readonly scheduleTickMs?: number;
}

/** Compares in constant time over SHA-256 digests, so neither the token nor its length leaks by timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Whether the treaty's schedule calls for a round now: never before its first, then every `everyHours`. */
export function clearingDue(everyHours: number | undefined, lastRoundAt: number | undefined, now: number): boolean {
  if (everyHours === undefined) return false;
  return lastRoundAt === undefined || now - lastRoundAt >= everyHours * 3600;
}

/**
 * Clearing on demand (issue 6): the pool of eligible legs from the exchange's own state,
 * solved in a worker thread, and each planned trade signed by the exchange and submitted as
 * a `trade.propose` entry through the sequencer, like any author's entry. Rounds run one at
 * a time, so the exchange's author chain (seq, prev) never forks.
 */
export async function registerClearingRoutes(app: FastifyInstance, options: ClearingRouteOptions): Promise<void> {
  const { sequencer, publisher } = options;
  let running: Promise<unknown> = Promise.resolve();


  let lastRoundAt: number | undefined;
  // A round asked for while another runs waits for it; callers that ask while one already
  // waits join that one instead of queueing more, so a burst of calls costs one more round.
  let waiting: Promise<Awaited<ReturnType<typeof runRound>>> | undefined;
  const startRound = (author: ExchangeAuthor) => {
    if (waiting) return waiting;
    const round = running.then(() => {
      waiting = undefined;
      lastRoundAt = options.now();
      return runRound(options, author);
    });
    waiting = round;
    running = round.catch(() => undefined);
    return round;
  };

  app.post(
    '/v1/clearing/run',
    {
      schema: route({
        tags: ['clearing'],
        summary: 'Run a clearing round and propose its trades as entries signed by the exchange',
        description: 'Operator only: send `Authorization: Bearer <token>` with the token from the file named by operatorTokenFile in the exchange config. Calls made while a round waits to start join that round.',
        response: { 200: clearingRoundAnswer },
      }),
    },
    async (request, reply) => {
      const author = options.author;
      if (!author) throw new ServiceError('NOT_FOUND', 'this exchange has no key to sign proposals with; clearing is not configured');
      if (!options.operatorToken) throw new ServiceError('NOT_FOUND', 'on-demand clearing is off: the exchange config names no operatorTokenFile (the treaty\'s schedule still runs)');
      if (!bearerMatches(request.headers.authorization, options.operatorToken)) {
        throw new ServiceError('UNAUTHENTICATED', 'headers.authorization: expected "Bearer <operator token>" with the token of the exchange\'s operatorTokenFile', 'headers.authorization');
      }
      return reply.status(200).send(await startRound(author));
    },
  );

  // The schedule the treaty sets (treaty.clearing.everyHours): checked on a tick, so that a
  // treaty adopted or amended later starts or changes the schedule without a restart.
  const author = options.author;
  if (author) {
    const tick = setInterval(() => {
      const state = sequencer.domainState;
      // The last round this process started, or the last the log records: a restart resumes
      // the schedule instead of running a round at once (issue 14: the idle exchange).
      const last = Math.max(lastRoundAt ?? -Infinity, state.lastClearingRoundAt ?? -Infinity);
      if (!clearingDue(state.treaty?.clearing?.everyHours, Number.isFinite(last) ? last : undefined, options.now())) return;
      startRound(author).catch((error: unknown) => app.log.error({ err: error }, 'scheduled clearing round failed'));
    }, options.scheduleTickMs ?? 60_000);
    tick.unref();
    app.addHook('onClose', async () => {
      clearInterval(tick);
      await running;
    });
  }

  async function runRound(options: ClearingRouteOptions, author: ExchangeAuthor): Promise<Answer<typeof clearingRoundAnswer>> {
    const state = sequencer.domainState;
    const treaty = state.treaty;
    if (!treaty) throw new ServiceError('TREATY_NOT_ADOPTED', 'no treaty is in force; there is nothing to clear');
    // The pool, its options and the fairness credits the last round left in the log, built by
    // the same core function an auditor runs on the log at `poolAt` (issue 13, clear --audit),
    // with the round's time, which says who has left the treaty (issue 17).
    const pooledAt = options.now();
    const pool = clearingRoundPool(state, treaty, pooledAt);
    const poolAt = state.size;
    const poolDigest = clearingPoolDigest(pool, sha256);
    const timeLimitSeconds = options.timeLimitSeconds ?? 10;
    const result = await clearInWorker(pool.requests, clearingOptionsOf(pool, timeLimitSeconds), timeLimitSeconds * 2000 + 5000);
    if (!result.ok) throw new ServiceError('BAD_REQUEST', `clearing refused its input (${result.error.code}): ${result.error.problems.join('; ')}`);
    const plan = result.value;
    // The proposals and the round's record go in one run of the exchange's own writes.
    return author.exclusive(async () => {
      const time = options.now();
      // The auditor rebuilds the pool with the round entry's time: a denunciation that took
      // effect while the solver ran would make that pool another one, so the round is not written.
      if (partiesLeft(state, time).join() !== partiesLeft(state, pooledAt).join()) {
        throw new ServiceError('TREATY_DENOUNCED', `a denunciation took effect between building the pool (${pooledAt}) and recording the round (${time}); run the round again`);
      }
      const round = `round-${sequencer.size}`;
      const proposals = proposalsOf(plan.trades, sequencer.size, time + (options.tradeDays ?? 30) * 86_400);
      const submitted: { trade: string; index?: number; code?: string; message?: string }[] = [];
      const proposed: ClearingProposal[] = [];
      for (const body of proposals) {
        const accepted = await author.submitNow('trade.propose', body as unknown as JsonObject, time);
        if (accepted.ok) {
          submitted.push({ trade: body.trade, index: accepted.value.index });
          proposed.push(body);
        } else {
          submitted.push({ trade: body.trade, code: accepted.error.code, message: accepted.error.message });
        }
      }
      const record = clearingRoundBody({ round, poolAt, pool, poolDigest, plan, proposed });
      const recorded = await author.submitNow('clearing.round', record as unknown as JsonObject, time);
      publisher.nudge();
      return { round, recorded: recorded.ok ? recorded.value.index : recorded.error, pool: pool.requests.length, poolAt, poolDigest, objective: plan.objective, bound: plan.bound, gap: plan.gap, optimal: plan.optimal, credits: plan.credits, trades: submitted };
    });
  }
}
