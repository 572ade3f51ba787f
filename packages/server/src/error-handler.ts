import type { FastifyError, FastifyInstance } from 'fastify';
import { ServiceError, type ErrorBody } from './errors.ts';

/**
 * Every failure answers `{code, message, field?}` with the status from HTTP_STATUS, and the
 * server keeps serving. Fastify's own errors (bad JSON, oversized body, schema validation)
 * are translated to our codes; anything else is a 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => {
    if (error instanceof ServiceError) {
      const body: ErrorBody = error.field === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, field: error.field };
      return reply.status(error.status).send(body);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ code: 'BODY_TOO_LARGE', message: `the body is larger than the ${app.initialConfig.bodyLimit} bytes allowed` });
    if (error.statusCode === 429) return reply.status(429).send({ code: 'RATE_LIMITED', message: error.message });
    if (error.validation) {
      const first = error.validation[0];
      const field = first?.instancePath ? `body${first.instancePath.replaceAll('/', '.')}` : 'body';
      return reply.status(400).send({ code: 'BAD_REQUEST', message: `${field}: ${first?.message ?? 'is invalid'}`, field });
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: 'internal error; the server keeps running and the details are in its log' });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` }));
}
