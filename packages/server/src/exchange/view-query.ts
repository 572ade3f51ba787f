import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { parseCursor, type State } from '@evenhand/core';
import { countQuery, pageQueryShape, wholeQuery } from '../contract/common.ts';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';

/**
 * The query every public view reads (issue 12, "public views checked at the size they state"):
 * the log size to compute it at (the latest witnessed checkpoint by default, never unwitnessed
 * entries), the instant deadlines and figures are judged at, and a page's cursor and length.
 */
export const VIEW_QUERY = {
  size: countQuery.optional().describe('the log size to compute the view at (default: the latest witnessed checkpoint)'),
  at: wholeQuery(0, 253_402_300_799).optional().describe('the instant (Unix seconds) deadlines and figures are judged at (default: now)'),
  ...pageQueryShape,
};

export type ViewQuery = z.output<z.ZodObject<typeof VIEW_QUERY>>;

export function viewReader(options: { sequencer: Sequencer; publisher: CheckpointPublisher; now: () => number }) {
  const { sequencer, publisher } = options;
  return {
    async state(request: FastifyRequest): Promise<State> {
      const size = (request.query as ViewQuery).size ?? publisher.latest?.size ?? 0;
      if (size > sequencer.size) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `query.size: the log has ${sequencer.size} entries, found ${size}`, 'query.size');
      const state = await sequencer.stateAt(size);
      if (!state) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `query.size: expected 0 to ${sequencer.size}, found ${size}`, 'query.size');
      return state;
    },
    at: (request: FastifyRequest): number => (request.query as ViewQuery).at ?? options.now(),
    from(request: FastifyRequest): number {
      const from = parseCursor((request.query as ViewQuery).after);
      if (from === undefined) throw new ServiceError('BAD_REQUEST', 'query.after: expected the `next` cursor of a previous page', 'query.after');
      return from;
    },
    limit: (request: FastifyRequest): number | undefined => (request.query as ViewQuery).limit,
  };
}
