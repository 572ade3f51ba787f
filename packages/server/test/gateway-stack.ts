import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { verifierOf } from '@evenhand/log';
import { createAccount } from '@evenhand/store';
import { freePort, ORIGIN, scenarioKeys, scenarioPolicy, type ScenarioKeys } from '@evenhand/testing';
import { hashPassword } from '../src/auth/password.ts';
import { SESSION_COOKIE, CSRF_HEADER } from '../src/auth/sessions.ts';
import { startExchange, type RunningExchange } from '../src/exchange/start-exchange.ts';
import { startWitness, type RunningWitness } from '../src/witness/start-witness.ts';
import { loadSealKey, publicJwkOf } from '../src/gateway/key-files.ts';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.ts';

export { freePort, waitFor } from '@evenhand/testing';

/** Every response body an official received, for the test that no key ever leaks. */
export const responses: string[] = [];

export interface Official {
  readonly username: string;
  call(method: string, path: string, body?: unknown, options?: { csrf?: boolean }): Promise<{ status: number; body: any }>;
}

export async function login(url: string, username: string, password = `${username}-pw`): Promise<Official> {
  const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const text = await response.text();
  responses.push(text);
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${text}`);
  const csrf = (JSON.parse(text) as { csrfToken: string }).csrfToken;
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith(`${SESSION_COOKIE}=`)) throw new Error('no session cookie');
  return {
    username,
    async call(method, path, body, options = {}) {
      const headers: Record<string, string> = { cookie };
      if (options.csrf !== false) headers[CSRF_HEADER] = csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const answer = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const raw = await answer.text();
      responses.push(raw);
      return { status: answer.status, body: raw ? JSON.parse(raw) : undefined };
    },
  };
}

export const ROLES_OF = ['clerk', 'reviewer', 'approver-1', 'approver-2', 'observer'] as const;

export interface GatewayStack {
  readonly dir: string;
  readonly keys: ScenarioKeys;
  readonly exchange: RunningExchange;
  readonly witness: RunningWitness;
  readonly gateways: Map<'US' | 'RU', RunningGateway>;
  readonly sealKeys: Map<string, JWK>;
  /** Stops a gateway and starts it again on the same port, store and key files. */
  restart(party: 'US' | 'RU'): Promise<void>;
  close(): Promise<void>;
}

/**
 * An exchange, the neutral CH witness, and the US and RU gateways, each on its own loopback
 * port and SQLite file. The policy names the gateways' embedded witnesses as the US and RU
 * witnesses, so nothing is published unless both gateways agree with what they mirrored.
 */
export async function startGatewayStack(): Promise<GatewayStack> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-gateway-'));
  const keys = scenarioKeys();
  const ports = { exchange: await freePort(), US: await freePort(), RU: await freePort() };
  const witness = await startWitness({ store: { engine: 'sqlite', file: join(dir, 'witness-CH.db') }, cosigner: keys.witnesses.get('CH')!, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]) });
  const policyText = scenarioPolicy(keys, new Map([['US', `http://127.0.0.1:${ports.US}`], ['RU', `http://127.0.0.1:${ports.RU}`], ['CH', witness.url]]));
  const sealKeys = new Map<string, JWK>();
  const recipients = new Map<string, JWK>();
  for (const party of ['US', 'RU'] as const) {
    const jwk = await loadSealKey(join(dir, `${party}-seal.jwk`));
    sealKeys.set(party, jwk);
    recipients.set(party, publicJwkOf(jwk));
    // The scenario's entry keys, so that the treaty fixture carries the gateways' keys.
    writeFileSync(join(dir, `${party}-entry.key`), `${Buffer.from(keys.authors.get(party)!.seed).toString('base64')}\n`, { mode: 0o600 });
  }
  const gateways = new Map<'US' | 'RU', RunningGateway>();
  const open = (party: 'US' | 'RU') =>
    startGateway({
      party,
      store: { engine: 'sqlite', file: join(dir, `gateway-${party}.db`) },
      origin: ORIGIN,
      exchangeUrl: `http://127.0.0.1:${ports.exchange}`,
      policyText,
      ownWitness: party,
      entryKeyFile: join(dir, `${party}-entry.key`),
      sealKeyFile: join(dir, `${party}-seal.jwk`),
      sealRecipients: recipients,
      witnessCosigner: keys.witnesses.get(party)!,
      allowBackdating: true,
      mirrorIntervalMs: 200,
      port: ports[party],
    });
  for (const party of ['US', 'RU'] as const) {
    const gateway = await open(party);
    for (const role of ROLES_OF) {
      const username = `${party.toLowerCase()}-${role}`;
      await createAccount(gateway.store.db, { username, party, role: role.replace(/-\d$/, ''), passwordHash: await hashPassword(`${username}-pw`), createdAt: 0 });
    }
    gateways.set(party, gateway);
  }
  const exchange = await startExchange({
    store: { engine: 'sqlite', file: join(dir, 'exchange.db') },
    origin: ORIGIN,
    logSigner: keys.log,
    policyText,
    authorKeys: new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])),
    acceptBackdated: true,
    port: ports.exchange,
    minPublishIntervalMs: 200,
    publishTickMs: 500,
  });
  return {
    dir,
    keys,
    exchange,
    witness,
    gateways,
    sealKeys,
    async restart(party) {
      await gateways.get(party)!.close();
      gateways.set(party, await open(party));
    },
    async close() {
      await exchange.close();
      for (const gateway of gateways.values()) await gateway.close();
      await witness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A session for every demo role of both states, keyed by role ("approver-1", …). */
export async function loginEveryone(stack: GatewayStack): Promise<{ us: Record<string, Official>; ru: Record<string, Official> }> {
  const us: Record<string, Official> = {};
  const ru: Record<string, Official> = {};
  for (const role of ROLES_OF) {
    us[role] = await login(stack.gateways.get('US')!.url, `us-${role}`);
    ru[role] = await login(stack.gateways.get('RU')!.url, `ru-${role}`);
  }
  return { us, ru };
}
