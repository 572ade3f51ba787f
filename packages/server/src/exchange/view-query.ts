import type { FastifyRequest } from 'fastify';
import { parseCursor, PAGE_LIMIT, type State } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';

/**
 * The query every public view reads (issue 12, "public views checked at the size they state"):
 * the log size to compute it at (the latest witnessed checkpoint by default, never unwitnessed
 * entries), the instant deadlines and figures are judged at, and a page's cursor and length.
 */
export const VIEW_QUERY = {
  size: { type: 'integer', minimum: 0, description: 'the log size to compute the view at (default: the latest witnessed checkpoint)' },
  at: { type: 'integer', minimum: 0, maximum: 253_402_300_799, description: 'the instant (Unix seconds) deadlines and figures are judged at (default: now)' },
  after: { type: 'string', maxLength: 16, description: 'the cursor of the page (the `next` of the previous one)' },
  limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT, description: `at most ${PAGE_LIMIT} items` },
} as const;

export interface ViewQuery {
  readonly size?: number;
  readonly at?: number;
  readonly after?: string;
  readonly limit?: number;
}

export function viewReader(options: { sequencer: Sequencer; publisher: CheckpointPublisher; now: () => number }) {
  const { sequencer, publisher } = options;
  return {
    async state(request: FastifyRequest): Promise<State> {
      const size = (request.query as ViewQuery).size ?? publisher.latest?.size ?? 0;
      if (size > sequencer.size) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `size: the log has ${sequencer.size} entries, found ${size}`, 'size');
      const state = await sequencer.stateAt(size);
      if (!state) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `size: expected 0 to ${sequencer.size}, found ${size}`, 'size');
      return state;
    },
    at: (request: FastifyRequest): number => (request.query as ViewQuery).at ?? options.now(),
    from(request: FastifyRequest): number {
      const from = parseCursor((request.query as ViewQuery).after);
      if (from === undefined) throw new ServiceError('BAD_REQUEST', 'after: expected the `next` cursor of a previous page', 'after');
      return from;
    },
    limit: (request: FastifyRequest): number | undefined => (request.query as ViewQuery).limit,
  };
}
