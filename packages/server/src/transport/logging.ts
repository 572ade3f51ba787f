import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * How much a service writes to its log (pino's levels; "silent" writes nothing). Not
 * "trace": at that level Fastify logs a malformed request's raw bytes, cookies included.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fastify's logger for a service: JSON lines on standard output, two per request (received,
 * answered with its status and time) and one per failure with its cause (issue 16: "a 500's
 * cause is logged nowhere"). A request is logged by method, path and peer, never by its query
 * string, headers or body: a gateway's search text and its session cookies are sealed-case
 * material and credentials. Undefined gives no logger, as tests that build apps in-process want.
 */
export function loggerOptions(level: LogLevel | undefined): FastifyServerOptions['logger'] {
  if (level === undefined) return false;
  return {
    level,
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: request.url.split('?')[0], peer: request.ip }),
    },
  };
}
