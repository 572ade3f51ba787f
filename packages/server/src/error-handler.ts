import { maxHeaderSize, STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchemaValidationError, type FastifyServerOptions } from 'fastify';
import { formatPath, SnapshotValueRefused } from '@evenhand/core';
import { HTTP_STATUS, ServiceError, type ErrorBody, type FieldPath, type RequestPart } from './errors.ts';
import { inputProblem } from './input-check.ts';
import { loggerOptions, type LogLevel } from './transport/logging.ts';
import { httpsOptions, type TlsFiles } from './transport/tls.ts';
import { fromPointer } from './contract/json-pointer.ts';

/** Fastify's default longest path parameter; every id is at most 64 characters. */
const MAX_PARAM_LENGTH = 100;

/** How a service listens and logs: what its config file says (issue 16), nothing by default. */
export interface ServiceTransport {
  /** Its log's level; no log at all when absent (apps built in a test). */
  readonly logLevel?: LogLevel | undefined;
  /** Serve HTTPS from these files rather than plain HTTP. */
  readonly tls?: TlsFiles | undefined;
  /**
   * Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed: only from
   * these is the client's address taken from the header (for login limits and logs).
   */
  readonly trustedProxies?: readonly string[] | undefined;
  /** How long a client may take to send a whole request, headers and body (REQUEST_TIMEOUT_MS by default). */
  readonly requestTimeoutMs?: number | undefined;
}

/**
 * How long a client may take to send a whole request. Fastify sets no limit by default, and a
 * client that sent a Content-Length and then less than it held the connection for good (three
 * services, every route). Two minutes carries the largest body a service takes (a 16 MB
 * evidence file) at about 1 Mbit/s; an answer may take longer (a long poll, an event stream):
 * only the request is timed.
 */
export const REQUEST_TIMEOUT_MS = 120_000;

/** The Fastify server options that carry a service's transport: its logger, HTTPS, the proxies it trusts, and the time a request may take to arrive. */
export function transportOptions(transport: ServiceTransport): Pick<FastifyServerOptions, 'logger' | 'trustProxy' | 'requestTimeout'> & { http: ServerOptions; https?: { cert: Buffer; key: Buffer; connectionsCheckingInterval: number; headersTimeout: number } } {
  const requestTimeout = transport.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node checks the requests' time every so often (30 s by default), so a request is cut between
  // the timeout and the timeout plus this: a quarter of it, at most the default. The headers'
  // own limit (60 s by default) must not be longer, or Node cuts no request at all (measured
  // on Node 20: a body that stopped short was held for good with headers 60 s, request 0.3 s).
  const checking = { connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeout / 4))), headersTimeout: Math.min(60_000, requestTimeout) };
  const https = httpsOptions(transport.tls);
  return {
    logger: loggerOptions(transport.logLevel),
    requestTimeout,
    http: checking,
    ...(https ? { https: { ...https, ...checking } } : {}),
    ...(transport.trustedProxies?.length ? { trustProxy: [...transport.trustedProxies] } : {}),
  };
}

const PART_OF_CONTEXT: Readonly<Record<string, RequestPart>> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/**
 * Where a route's schema refused the input, in the one form of every field (errors.ts
 * FieldPath): the part, then the member, with array positions in brackets (`body.entries[3]`).
 * Read from the zod issue's path (contract/docs.ts `validationErrorOf`), which tells a position
 * from a record's key `"0"` and keeps a `/` inside a name; an error without it (none of our
 * routes) is read from its JSON pointer (RFC 6901), whose digits are taken as positions.
 */
export function validationField(context: string | undefined, error: Pick<FastifySchemaValidationError, 'instancePath' | 'params'> | undefined): FieldPath {
  const part = PART_OF_CONTEXT[context ?? 'body'] ?? 'body';
  const path = error?.params?.path;
  if (Array.isArray(path) && path.every((segment) => typeof segment === 'string' || typeof segment === 'number')) return formatPath([part, ...path]) as FieldPath;
  return formatPath([part, ...fromPointer(error?.instancePath ?? '').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))]) as FieldPath;
}

/** A Fastify instance that answers every failure, its router's included, as `{code, message, field?}`. */
export function createServiceApp(bodyLimit: number, transport: ServiceTransport = {}): FastifyInstance {
  const app = Fastify({
    ...transportOptions(transport),
    bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerRouterError,
    clientErrorHandler: clientErrorAnswerer(transport, (body) => ({ contentType: 'application/json', text: JSON.stringify(body) })),
    ...PROTOTYPE_NAMES_LEFT_TO_INPUT_CHECK,
  }) as unknown as FastifyInstance;
  installErrorHandler(app);
  installInputCheck(app);
  return app;
}

/**
 * Fastify refuses a JSON body with a member `__proto__` (or `constructor.prototype`) while it
 * parses, as "Body is not valid JSON", which is false and names no member. JSON.parse makes
 * such a member an own property, not the prototype; `inputProblem` then refuses it by name,
 * before any route reads the body (`installInputCheck`).
 */
export const PROTOTYPE_NAMES_LEFT_TO_INPUT_CHECK = { onProtoPoisoning: 'ignore', onConstructorPoisoning: 'ignore' } as const;

/**
 * Every request's body, query and path parameters, before any route reads them (input-check.ts):
 * nothing is stored, signed or looked up that nests too deep, that names a prototype, or whose
 * text is not text. The refusal names the member and the rule (a ServiceError, which each
 * service's error handler answers in its own form).
 */
export function installInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // A wildcard's rest of the path (`/tile/*`) is the route's to read: what is no tile is a 404 there, as C2SP tlog-tiles has it.
    const { '*': _rest, ...params } = (request.params ?? {}) as Record<string, unknown>;
    const problem = inputProblem(params, 'path') ?? inputProblem(request.query, 'query') ?? inputProblem(request.body, 'body');
    if (problem) throw new ServiceError(problem.code, problem.message, problem.field);
  });
}

/**
 * The router's own refusals reach no error handler, only this (Fastify's `frameworkErrors`):
 * a path parameter over MAX_PARAM_LENGTH, and a path whose percent-encoding is broken.
 */
function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.length > 80 ? `${request.url.slice(0, 77)}...` : request.url;
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const message = `path: a part of ${request.method} ${path} is longer than the ${MAX_PARAM_LENGTH} characters a path parameter may have (ids are at most 64)`;
    void reply.status(HTTP_STATUS.PATH_TOO_LONG).send({ code: 'PATH_TOO_LONG', message, field: 'path' } satisfies ErrorBody);
    return;
  }
  void reply.status(HTTP_STATUS.BAD_REQUEST).send({ code: 'BAD_REQUEST', message: `path: ${request.method} ${path} is not a valid URL path (${error.code}: broken percent-encoding?)`, field: 'path' } satisfies ErrorBody);
}

/**
 * What a request that never reached the router answers (Fastify's `clientErrorHandler`): Node's
 * HTTP parser refused its headers, or it did not arrive within the request time. Fastify's own
 * answer is `{error, message, statusCode}`, in no service's form and naming no limit; `render`
 * gives the service's form (JSON `{code, message, field?}`, or a witness's text). Nothing was
 * routed, so the answer is written on the socket, which is then closed.
 */
export function clientErrorAnswerer(transport: ServiceTransport, render: (body: ErrorBody) => { readonly contentType: string; readonly text: string }): (error: Error & { code?: string }, socket: Socket) => void {
  const seconds = (transport.requestTimeoutMs ?? REQUEST_TIMEOUT_MS) / 1000;
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // An answer already under way on this connection (a long poll, an event stream) is not cut into, as Node's own handler does.
    const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    const body = clientErrorBody(error, seconds);
    const status = HTTP_STATUS[body.code];
    const { contentType, text } = render(body);
    if (socket.writable && !answering) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${contentType}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    socket.destroy();
  };
}

/** The answer to a client error of Node's HTTP server (`clientErrorAnswerer`), `seconds` being the request time allowed. */
function clientErrorBody(error: Error & { code?: string }, seconds: number): ErrorBody & { readonly code: keyof typeof HTTP_STATUS } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', message: `headers: the request's headers are larger than the ${maxHeaderSize} bytes allowed`, field: 'headers' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'REQUEST_TIMEOUT', message: `the request, headers and body, did not arrive whole within the ${seconds} s allowed` };
  return { code: 'BAD_REQUEST', message: `the request is not valid HTTP/1.1 (${error.code ?? error.message})` };
}

/**
 * What a failure answers, whatever form a service gives it (JSON here, text for the witness):
 * its status and `{code, message, field?}`. Fastify's own errors (bad JSON, oversized body,
 * schema validation) are translated to our codes; anything else is a 500 whose details stay
 * in the log.
 */
export function failureAnswer(error: FastifyError | ServiceError, request: FastifyRequest, app: FastifyInstance): { status: number; body: ErrorBody } {
  if (error instanceof ServiceError) {
    return { status: error.status, body: error.field === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, field: error.field } };
  }
  // A view that reads a record of the restored state that does not read (core unread-value.ts): the service's fault, and it stops (SnapshotKeeper `recordRefused`).
  if ((error as unknown) instanceof SnapshotValueRefused) {
    request.log.error({ err: error }, 'a record of the restored state does not read');
    return { status: HTTP_STATUS.SNAPSHOT_VALUE_REFUSED, body: { code: 'SNAPSHOT_VALUE_REFUSED', message: 'this service\'s state, restored from a snapshot, holds a record that does not read; the service stops, and replays its log at its next start' } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { code: 'BODY_TOO_LARGE', message: `the body is larger than the ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes allowed` } };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const given = request.headers['content-type'] ?? '(none)';
    return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `headers.content-type: ${request.method} ${request.routeOptions.url ?? request.url} does not take a body of type ${given}; send JSON as application/json`, field: 'headers.content-type' } };
  }
  if (error.statusCode === 429) return { status: 429, body: { code: 'RATE_LIMITED', message: error.message } };
  if (error.validation) {
    const first = error.validation[0];
    // Named where the input was: the body, the query (`?unanswered=` of a proof), the path or the headers.
    const field = validationField(error.validationContext, first);
    return { status: 400, body: { code: 'BAD_REQUEST', message: `${field}: ${first?.message ?? 'is invalid'}`, field } };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return { status: error.statusCode, body: { code: 'BAD_REQUEST', message: error.message } };
  request.log.error({ err: error }, 'unhandled error');
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error; the server keeps running and the details are in its log' } };
}

/** Every failure answers `{code, message, field?}` as JSON (`failureAnswer`), and the server keeps serving. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => {
    const { status, body } = failureAnswer(error, request, app);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` }));
}
