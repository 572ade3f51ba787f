import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from './context.ts';
import { route, textAnswer } from '../contract/common.ts';

/** Open event streams at most: each holds a connection; past the cap a console falls back to its Refresh button. */
const MAX_STREAMS = 256;

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/**
 * Live updates for the console (issue 15), by server-sent events (WHATWG HTML §9.2): an
 * event `log` with the size of the log this gateway has verified, sent when the stream opens
 * and each time the mirror verifies a larger checkpoint. The console refetches what it shows
 * then; no screen polls. `retry` tells the browser to reconnect after 3 s if the stream drops.
 */
export function registerEventRoutes(app: FastifyInstance, context: GatewayContext): void {
  let open = 0;
  app.get('/api/events', { preHandler: app.authenticate, schema: route({
    tags: ['log'],
    summary: 'Server-sent events: `log` with the verified log size and the gateway\'s clock, at once and whenever the log grows',
    description: 'Each event is `event: log` with data `{"size": <verified log size>, "now": <Unix seconds>}`; a comment line keeps the stream alive every 25 s.',
    response: { 200: textAnswer('an endless stream of server-sent events', 'text/event-stream; charset=utf-8') },
  }) }, async (request, reply) => {
    if (open >= MAX_STREAMS) return reply.status(503).header('retry-after', '30').send({ code: 'RATE_LIMITED', message: `this gateway already serves ${MAX_STREAMS} live streams; the console still works with its Refresh button` });
    open += 1;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // The gateway's clock with each size: the console's notifications count "new" from it.
    const send = (size: number) => raw.write(`event: log\ndata: ${JSON.stringify({ size, now: context.now() })}\n\n`);
    raw.write('retry: 3000\n\n');
    send(context.mirror.verified?.checkpoint.size ?? 0);
    const stop = context.mirror.onVerified(send);
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    const close = () => {
      clearInterval(keepalive);
      stop();
      open -= 1;
    };
    request.raw.once('close', close);
  });
}
