import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deadlinesView, getRequest, PAGE_LIMIT, parseCursor, publicRequest, requestsPage, statisticsView, summarizeRequest, tradesPage, type State } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';

/**
 * The public views (DESIGN.md "derived public views"), each stating the log size it was
 * computed at (issue 12): `?size=N` serves it at any size up to the head, so that a gateway
 * or `verify` recomputes it from its own replay at exactly that size and compares, and the
 * time-bound ones state their instant (`?at=T`, the exchange's clock by default). Without
 * `size`, a view is computed at the latest witnessed checkpoint, never at unwitnessed entries.
 */
export function registerViewRoutes(app: FastifyInstance, options: { sequencer: Sequencer; publisher: CheckpointPublisher; now: () => number }): void {
  const { sequencer, publisher } = options;
  const sizeQuery = {
    size: { type: 'integer', minimum: 0, description: 'the log size to compute the view at (default: the latest witnessed checkpoint)' },
  } as const;
  const atQuery = { at: { type: 'integer', minimum: 0, maximum: 253_402_300_799, description: 'the instant (Unix seconds) deadlines and figures are judged at (default: now)' } } as const;
  const pageQuery = {
    after: { type: 'string', maxLength: 16, description: 'the cursor of the page (the `next` of the previous one)' },
    limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT, description: `at most ${PAGE_LIMIT} items` },
  } as const;

  async function stateOf(request: FastifyRequest): Promise<State> {
    const query = request.query as { size?: number };
    const size = query.size ?? publisher.latest?.size ?? 0;
    if (size > sequencer.size) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `size: the log has ${sequencer.size} entries, found ${size}`, 'size');
    const state = await sequencer.stateAt(size);
    if (!state) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `size: expected 0 to ${sequencer.size}, found ${size}`, 'size');
    return state;
  }
  const atOf = (request: FastifyRequest) => (request.query as { at?: number }).at ?? options.now();
  const fromOf = (request: FastifyRequest) => {
    const from = parseCursor((request.query as { after?: string }).after);
    if (from === undefined) throw new ServiceError('BAD_REQUEST', 'after: expected the `next` cursor of a previous page', 'after');
    return from;
  };

  app.get('/v1/requests', { schema: { tags: ['public'], summary: 'Requests, public fields only, a page at a time in filing order, at a stated log size', querystring: { type: 'object', properties: { ...sizeQuery, ...pageQuery } } } }, async (request) =>
    requestsPage(await stateOf(request), fromOf(request), (request.query as { limit?: number }).limit),
  );
  app.get('/v1/requests/:id', { schema: { tags: ['public'], summary: 'One request, public fields only', querystring: { type: 'object', properties: sizeQuery } } }, async (request) => {
    const { id } = request.params as { id: string };
    const state = await stateOf(request);
    const record = getRequest(state, id);
    if (!record) throw new ServiceError('REQUEST_UNKNOWN', `no request ${id}`);
    return { size: state.size, ...publicRequest(summarizeRequest(state, record)) };
  });
  app.get('/v1/trades', { schema: { tags: ['public'], summary: 'Trades, public fields only, a page at a time in order of proposal, at a stated log size', querystring: { type: 'object', properties: { ...sizeQuery, ...pageQuery } } } }, async (request) =>
    tradesPage(await stateOf(request), fromOf(request), (request.query as { limit?: number }).limit),
  );
  app.get('/v1/statistics', { schema: { tags: ['public'], summary: 'Statistics per pair of parties, recomputed from the log at a stated size and instant', querystring: { type: 'object', properties: { ...sizeQuery, ...atQuery } } } }, async (request) =>
    statisticsView(await stateOf(request), atOf(request)),
  );
  app.get('/v1/deadlines', { schema: { tags: ['public'], summary: 'Open obligations of requests and trades with their due dates, soonest first, at a stated size and instant', querystring: { type: 'object', properties: { ...sizeQuery, ...atQuery } } } }, async (request) =>
    deadlinesView(await stateOf(request), atOf(request)),
  );
}
