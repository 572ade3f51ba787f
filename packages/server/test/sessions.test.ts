import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAccount, findAccount, openStore, type Store } from '@evenhand/store';
import { installErrorHandler } from '../src/error-handler.ts';
import { registerApiContract } from '../src/contract/docs.ts';
import { hashPassword } from '../src/auth/password.ts';
import { CSRF_HEADER, registerSessions, requireRole, SESSION_COOKIE } from '../src/auth/sessions.ts';

describe('officials’ sessions', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let clock = 1_700_000_000;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-auth-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway.db') });
    for (const [username, party, role] of [
      ['ru-approver-1', 'RU', 'approver'],
      ['ru-approver-2', 'RU', 'approver'],
      ['ru-clerk', 'RU', 'clerk'],
      ['us-clerk', 'US', 'clerk'],
    ] as const) {
      await createAccount(store.db, { username, party, role, passwordHash: await hashPassword(`${username}-secret`), createdAt: clock });
    }
    app = Fastify({ logger: false });
    installErrorHandler(app);
    await registerApiContract(app, { title: 'sessions under test', description: 'the session routes alone' });
    await registerSessions(app, { db: store.db, party: 'RU', now: () => clock, sessionSeconds: 3600, loginsPerMinute: 5 });
    app.post('/api/decide', { preHandler: [app.authenticate, requireRole('approver')] }, async (request) => ({ decidedBy: request.official!.username }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function login(username: string, password = `${username}-secret`) {
    const response = await app.inject({ method: 'POST', url: '/api/login', payload: { username, password } });
    const cookie = response.cookies.find((entry) => entry.name === SESSION_COOKIE);
    return { response, cookie, csrf: response.statusCode === 200 ? (response.json() as { csrfToken: string }).csrfToken : '' };
  }

  it('stores passwords as scrypt hashes', async () => {
    const account = await findAccount(store.db, 'ru-clerk');
    assert.match(account!.passwordHash, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.doesNotMatch(account!.passwordHash, /secret/);
  });

  it('logs in with an httpOnly, SameSite=Strict cookie and a CSRF token', async () => {
    const { response, cookie, csrf } = await login('ru-approver-1');
    assert.equal(response.statusCode, 200);
    assert.deepEqual({ ...(response.json() as object), csrfToken: undefined }, { username: 'ru-approver-1', party: 'RU', role: 'approver', csrfToken: undefined });
    assert.ok(csrf.length >= 32);
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    const me = await app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: cookie!.value } });
    assert.equal(me.json().role, 'approver');
  });

  it('gives one answer for an unknown user, a wrong password and another state’s official', async () => {
    for (const attempt of [login('nobody', 'x'), login('ru-clerk', 'wrong'), login('us-clerk')]) {
      const { response } = await attempt;
      assert.equal(response.statusCode, 401);
      assert.deepEqual(response.json(), { code: 'LOGIN_FAILED', message: 'wrong username or password' });
    }
  });

  it('refuses a write without the CSRF header, and one from the wrong role', async () => {
    const approver = await login('ru-approver-1');
    const noCsrf = await app.inject({ method: 'POST', url: '/api/decide', cookies: { [SESSION_COOKIE]: approver.cookie!.value } });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'CSRF_MISMATCH');
    const ok = await app.inject({ method: 'POST', url: '/api/decide', cookies: { [SESSION_COOKIE]: approver.cookie!.value }, headers: { [CSRF_HEADER]: approver.csrf } });
    assert.deepEqual(ok.json(), { decidedBy: 'ru-approver-1' });
    const clerk = await login('ru-clerk');
    const wrongRole = await app.inject({ method: 'POST', url: '/api/decide', cookies: { [SESSION_COOKIE]: clerk.cookie!.value }, headers: { [CSRF_HEADER]: clerk.csrf } });
    assert.equal(wrongRole.statusCode, 403);
    assert.equal(wrongRole.json().code, 'ROLE_FORBIDDEN');
    const otherCsrf = await app.inject({ method: 'POST', url: '/api/decide', cookies: { [SESSION_COOKIE]: approver.cookie!.value }, headers: { [CSRF_HEADER]: clerk.csrf } });
    assert.equal(otherCsrf.json().code, 'CSRF_MISMATCH', 'a token from another session does not pass');
  });

  it('refuses requests without a session, after expiry and after logout', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/api/me' })).json().code, 'UNAUTHENTICATED');
    const { cookie, csrf } = await login('ru-clerk');
    clock += 3600;
    assert.equal((await app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: cookie!.value } })).statusCode, 401, 'expired');
    clock -= 3600;
    const logout = await app.inject({ method: 'POST', url: '/api/logout', cookies: { [SESSION_COOKIE]: cookie!.value }, headers: { [CSRF_HEADER]: csrf } });
    assert.equal(logout.statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: cookie!.value } })).statusCode, 401, 'logged out');
  });

  it('deletes the expired sessions at the next login, and no other (issue 14: the table does not keep every login ever made)', async () => {
    const start = clock;
    try {
      // Accounts of this test's own: the login rate limit counts each username's logins in real time.
      for (const username of ['ru-leaving', 'ru-arriving']) await createAccount(store.db, { username, party: 'RU', role: 'observer', passwordHash: await hashPassword(`${username}-secret`), createdAt: clock });
      const sessionsOf = async (username: string) => (await store.db.selectFrom('sessions').select('expires_at').where('username', '=', username).execute()).map((row) => Number(row.expires_at));
      const first = await login('ru-leaving');
      assert.equal(first.response.statusCode, 200);
      assert.ok((await sessionsOf('ru-leaving')).includes(start + 3600));
      clock = start + 3599;
      await login('ru-arriving');
      assert.ok((await sessionsOf('ru-leaving')).includes(start + 3600), 'a session one second from its end is kept');
      clock = start + 3600;
      const later = await login('ru-arriving');
      assert.equal(later.response.statusCode, 200);
      assert.deepEqual(await sessionsOf('ru-leaving'), [], 'expired at its instant, deleted at the next login');
      assert.ok((await sessionsOf('ru-arriving')).includes(start + 7200), 'the new session stays');
      const left = await store.db.selectFrom('sessions').select('expires_at').execute();
      assert.ok(left.length > 0 && left.every((row) => Number(row.expires_at) > clock), 'only sessions open now are left');
    } finally {
      clock = start;
    }
  });

  it('rate-limits repeated logins for one username, and keeps serving after malformed input', async () => {
    const statuses: number[] = [];
    // ru-approver-2 logs in nowhere else, so its 5 attempts a minute are all here.
    for (let attempt = 0; attempt < 7; attempt++) statuses.push((await login('ru-approver-2', 'guess')).response.statusCode);
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[6], 429);
    const limited = await login('ru-approver-2');
    assert.equal(limited.response.json().code, 'RATE_LIMITED', 'even the right password waits');
    const malformed = await app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': 'application/json' }, payload: '{"username": ' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().code, 'BAD_REQUEST');
    const missing = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'ru-clerk' } });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().message, /password/);
    assert.equal((await login('ru-clerk')).response.statusCode, 200, 'other usernames are not limited');
  });
});
