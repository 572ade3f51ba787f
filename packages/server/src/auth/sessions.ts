import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type {} from '@fastify/swagger';
import { z } from 'zod';
import { okAnswer, route } from '../contract/common.ts';
import { sessionAnswer } from '../contract/console.ts';
import { createSession, deleteExpiredSessions, deleteSession, findAccount, findSession, type Database } from '@evenhand/store';
import type { Kysely } from 'kysely';
import { ServiceError } from '../errors.ts';
import { hashPassword, verifyPasswordWithKey } from './password.ts';
import { openForSession, openSigningKey, sealForSession } from './official-keys.ts';
import { isRole, type Official, type Role } from './roles.ts';

export const SESSION_COOKIE = 'evenhand_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthOptions {
  readonly db: Kysely<Database>;
  /** The party this gateway serves: only its officials may log in. */
  readonly party: string;
  /** The clock, in Unix seconds (injected so tests can move time). */
  readonly now: () => number;
  readonly sessionSeconds?: number;
  /** Login attempts allowed per client address and username per minute. */
  readonly loginsPerMinute?: number;
  /** Set the Secure flag on the cookie (behind TLS in production; off on loopback). */
  readonly secureCookie?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    official?: Official;
  }
}

function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let decoy: Promise<string> | undefined;
/** A real scrypt hash of a random password, computed once, to check unknown usernames against. */
function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('base64url'));
  return decoy;
}

/**
 * Officials' sessions: an httpOnly, SameSite=Strict cookie carries a random session id (only
 * its SHA-256 is stored), and every state-changing request must echo the session's CSRF
 * token in a header (the synchronizer-token pattern of the OWASP CSRF cheat sheet). Logins
 * are rate-limited per address and username.
 */
export async function registerSessions(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const sessionSeconds = options.sessionSeconds ?? 8 * 3600;
  await app.register(cookie);
  // preHandler, not onRequest: the key includes the username, which is in the parsed body.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const id = request.cookies[SESSION_COOKIE];
    if (!id) throw new ServiceError('UNAUTHENTICATED', 'log in first: no session cookie');
    const session = await findSession(options.db, hashSessionId(id), options.now());
    if (!session) throw new ServiceError('UNAUTHENTICATED', 'the session has expired or was ended; log in again');
    const account = await findAccount(options.db, session.username);
    if (!account || !isRole(account.role) || account.party !== options.party) throw new ServiceError('UNAUTHENTICATED', 'the account behind this session no longer exists');
    if (STATE_CHANGING.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) throw new ServiceError('CSRF_MISMATCH', `headers.${CSRF_HEADER}: missing, or not the token of this session (given at login; the console sends it with every change)`, `headers.${CSRF_HEADER}`);
    }
    const signingSeed = session.signingSeal ? openForSession(session.signingSeal, id, account.username) : undefined;
    request.official = { username: account.username, party: account.party, role: account.role, csrfToken: session.csrfToken, ...(signingSeed ? { signingSeed, signingKey: account.signingKey ?? undefined } : {}) };
  });

  app.post(
    '/api/login',
    {
      config: { rateLimit: { max: options.loginsPerMinute ?? 10, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '')}` } },
      schema: route({
        tags: ['session'],
        summary: 'Log in an official of this state',
        body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: sessionAnswer },
      }),
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      const account = await findAccount(options.db, username);
      // The same answer, and the same work, for an unknown user and a wrong password, so that
      // neither the reply nor its timing reveals which accounts exist.
      const passwordKey = await verifyPasswordWithKey(password, account?.passwordHash ?? (await decoyHash()));
      const valid = account !== undefined && account.party === options.party && isRole(account.role) && passwordKey !== undefined;
      if (!valid || !account || !passwordKey) throw new ServiceError('LOGIN_FAILED', 'wrong username or password');
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = options.now() + sessionSeconds;
      // The password opens the approver's signing key for this session only (official-keys.ts).
      const seed = account.signingKeySealed ? openSigningKey(account.signingKeySealed, passwordKey, account.username) : undefined;
      const signingSeal = seed ? sealForSession(seed, id, account.username) : null;
      await createSession(options.db, { idHash: hashSessionId(id), username: account.username, csrfToken, expiresAt, signingSeal });
      // Expired sessions go as new ones come (issue 14): kept, every login ever made would stay in
      // the table, sealed signing keys and all. Through the index on expires_at, this deletes
      // only what expired since the last login. The login stands if it fails: the next one tries again.
      await deleteExpiredSessions(options.db, options.now()).catch((error: unknown) => request.log.warn({ err: error }, 'deleting expired sessions failed; the next login tries again'));
      reply.setCookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', secure: options.secureCookie ?? false, maxAge: sessionSeconds });
      return { username: account.username, party: account.party, role: account.role, csrfToken };
    },
  );

  app.post('/api/logout', { preHandler: app.authenticate, schema: route({ tags: ['session'], summary: 'End the session', response: { 200: okAnswer } }) }, async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) await deleteSession(options.db, hashSessionId(id));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', { preHandler: app.authenticate, schema: route({ tags: ['session'], summary: 'The logged-in official, with the CSRF token to send on writes', response: { 200: sessionAnswer } }) }, async (request) => {
    const official = request.official!;
    return { username: official.username, party: official.party, role: official.role, csrfToken: official.csrfToken };
  });
}

/** A preHandler that admits only the given roles (after `authenticate`). */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const official = request.official;
    if (!official) throw new ServiceError('UNAUTHENTICATED', 'log in first');
    if (!roles.includes(official.role)) throw new ServiceError('ROLE_FORBIDDEN', `this action needs the role ${roles.join(' or ')}; you are ${official.role}`);
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}
