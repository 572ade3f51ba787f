import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { verifierOf } from '@evenhand/log';
import { freePort, ORIGIN, scenarioKeys, scenarioPolicy, treatyWithKeys, waitFor, type ScenarioKeys } from '@evenhand/testing';
import { createOfficialAccount } from '../src/auth/accounts.ts';
import type { Role } from '../src/auth/roles.ts';
import { SESSION_COOKIE, CSRF_HEADER } from '../src/auth/sessions.ts';
import { startExchange, type RunningExchange } from '../src/exchange/start-exchange.ts';
import { startWitness, type RunningWitness } from '../src/witness/start-witness.ts';
import { loadSealKey, publicJwkOf } from '../src/gateway/key-files.ts';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.ts';
import { SimulatedClock, unixNow } from '../src/simulated-clock.ts';
import type { Webhook } from '../src/gateway/notifier.ts';

export { freePort, waitFor } from '@evenhand/testing';

/** Every response body an official received, for the test that no key ever leaks. */
export const responses: string[] = [];

export interface Official {
  readonly username: string;
  call(method: string, path: string, body?: unknown, options?: { csrf?: boolean }): Promise<{ status: number; body: any }>;
  /** Uploads bytes as they are (an evidence file), with the session and CSRF headers. */
  upload(path: string, bytes: Uint8Array, filename: string): Promise<{ status: number; body: any }>;
  /** Downloads bytes as they are (an evidence file). */
  download(path: string): Promise<{ status: number; bytes: Buffer }>;
}

/**
 * An official's session. With a `clock`, a request body's `at` is taken as when the official
 * acts: the shared clock moves there first and `at` is not sent (a gateway dates every entry
 * by its own clock, issue 12), so a test can still write a dated history act by act.
 */
export async function login(url: string, username: string, password = `${username}-pw`, clock?: SimulatedClock): Promise<Official> {
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
      if (clock && typeof body === 'object' && body !== null && typeof (body as { at?: unknown }).at === 'number') {
        const { at, ...rest } = body as { at: number };
        clock.advanceTo(at);
        body = rest;
      }
      const headers: Record<string, string> = { cookie };
      if (options.csrf !== false) headers[CSRF_HEADER] = csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const answer = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const raw = await answer.text();
      responses.push(raw);
      return { status: answer.status, body: raw ? JSON.parse(raw) : undefined };
    },
    async upload(path, bytes, filename) {
      const answer = await fetch(`${url}${path}`, { method: 'POST', body: bytes, headers: { cookie, [CSRF_HEADER]: csrf, 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(filename) } });
      const raw = await answer.text();
      return { status: answer.status, body: raw ? JSON.parse(raw) : undefined };
    },
    async download(path) {
      const answer = await fetch(`${url}${path}`, { headers: { cookie } });
      return { status: answer.status, bytes: Buffer.from(await answer.arrayBuffer()) };
    },
  };
}

export const ROLES_OF = ['clerk', 'reviewer', 'approver-1', 'approver-2', 'observer'] as const;

export interface GatewayStack {
  readonly dir: string;
  readonly keys: ScenarioKeys;
  /** The states, each with a gateway, in order. */
  readonly parties: readonly string[];
  readonly exchange: RunningExchange;
  readonly witness: RunningWitness;
  readonly gateways: Map<string, RunningGateway>;
  readonly sealKeys: Map<string, JWK>;
  /** Where each witness answers, by name (the gateways' embedded witnesses and CH). */
  readonly witnessUrls: ReadonlyMap<string, string>;
  /** Every service's clock (frozen between moves), unless the test gave its own `now`: officials' `at` moves it. */
  readonly clock: SimulatedClock;
  /**
   * Stops a gateway and starts it again on the same port and key files; `replaceStore` may
   * first do to its SQLite file what an operator would (lose it, restore a backup). Missing
   * demo accounts are made again.
   */
  restart(party: string, replaceStore?: (file: string) => Promise<void> | void): Promise<void>;
  /** Brings every gateway's mirror up to the exchange's latest witnessed checkpoint (bounded). */
  syncAll(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayStackOptions {
  /** The states with a gateway (default US and RU); each needs a treaty party or an accession document. */
  readonly parties?: readonly string[];
  /** One clock for every service (tests move it forward); the stack's simulated clock by default. */
  readonly now?: () => number;
  /** Where the simulated clock starts: 40 days ago by default, before the tests' dated histories. */
  readonly start?: number;
  readonly mirrorIntervalMs?: number;
  readonly minPublishIntervalMs?: number;
  readonly tradeExpiryTickMs?: number;
  /** The operator's bearer token for POST /v1/clearing/run. */
  readonly operatorToken?: string;
  /** Officials' session lifetime on the gateways' clock (a walk moves the clock by years). */
  readonly sessionSeconds?: number;
  /** Each state's webhooks (notifier.ts). */
  readonly webhooks?: ReadonlyMap<string, readonly Webhook[]>;
  /**
   * Whether the gateways publish and rotate their transport keys on their own (true by
   * default). Off where the test itself writes the states' entries with their keys: two
   * writers of one author would take the same sequence number.
   */
  readonly caseKeyTimer?: boolean;
  /** Where a state's gateway reaches the exchange: its real address by default, or a test's stand-in in front of it. */
  readonly exchangeUrlFor?: (party: string, exchangeUrl: string) => string;
  /** Request records every service keeps in its heap before it shelves older ones (replay/record-shelving.ts). */
  readonly hotRecords?: number;
}

/**
 * An exchange, the neutral CH witness, and a gateway per state, each on its own loopback
 * port and SQLite file. The policy names the gateways' embedded witnesses as the states'
 * witnesses, so nothing is published unless every gateway agrees with what it mirrored.
 */
export async function startGatewayStack(options: GatewayStackOptions = {}): Promise<GatewayStack> {
  const parties = options.parties ?? ['US', 'RU'];
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-gateway-'));
  const keys = scenarioKeys(parties);
  const ports = new Map<string, number>([['exchange', await freePort()]]);
  for (const party of parties) ports.set(party, await freePort());
  const clock = new SimulatedClock(options.start ?? unixNow() - 40 * 86_400, { frozen: true });
  const now = options.now ?? clock.now;
  const witness = await startWitness({ store: { engine: 'sqlite', file: join(dir, 'witness-CH.db') }, cosigner: keys.witnesses.get('CH')!, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), now });
  const witnessUrls = new Map<string, string>([...parties.map((party) => [party, `http://127.0.0.1:${ports.get(party)}`] as const), ['CH', witness.url]]);
  const policyText = scenarioPolicy(keys, witnessUrls);
  const sealKeys = new Map<string, JWK>();
  const recipients = new Map<string, JWK>();
  for (const party of parties) {
    const jwk = await loadSealKey(join(dir, `${party}-seal.jwk`));
    sealKeys.set(party, jwk);
    recipients.set(party, publicJwkOf(jwk));
    // The scenario's entry keys, so that the treaty fixture carries the gateways' keys.
    writeFileSync(join(dir, `${party}-entry.key`), `${Buffer.from(keys.authors.get(party)!.seed).toString('base64')}\n`, { mode: 0o600 });
  }
  const gateways = new Map<string, RunningGateway>();
  const open = (party: string) =>
    startGateway({
      party,
      store: { engine: 'sqlite', file: join(dir, `gateway-${party}.db`) },
      origin: ORIGIN,
      exchangeUrl: (options.exchangeUrlFor ?? ((_party: string, url: string) => url))(party, `http://127.0.0.1:${ports.get('exchange')}`),
      policyText,
      ownWitness: party,
      entryKeyFile: join(dir, `${party}-entry.key`),
      sealKeyFile: join(dir, `${party}-seal.jwk`),
      sealRecipients: recipients,
      witnessCosigner: keys.witnesses.get(party)!,
      mirrorIntervalMs: options.mirrorIntervalMs ?? 200,
      port: ports.get(party)!,
      now,
      sessionClock: options.now ?? unixNow,
      ...(options.sessionSeconds === undefined ? {} : { sessionSeconds: options.sessionSeconds }),
      ...(options.webhooks?.has(party) ? { webhooks: options.webhooks.get(party)! } : {}),
      ...(options.caseKeyTimer === undefined ? {} : { caseKeyTimer: options.caseKeyTimer }),
      ...(options.hotRecords === undefined ? {} : { hotRecords: options.hotRecords }),
    });
  // Every demo role's account; one already in the store is kept (createAccount refuses a second).
  const openWithAccounts = async (party: string) => {
    const gateway = await open(party);
    for (const role of ROLES_OF) {
      const username = `${party.toLowerCase()}-${role}`;
      await createOfficialAccount(gateway.store.db, { username, party, role: role.replace(/-\d$/, '') as Role, password: `${username}-pw`, createdAt: 0 });
    }
    return gateway;
  };
  for (const party of parties) gateways.set(party, await openWithAccounts(party));
  const exchange = await startExchange({
    store: { engine: 'sqlite', file: join(dir, 'exchange.db') },
    origin: ORIGIN,
    logSigner: keys.log,
    policyText,
    authorKeys: new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])),
    port: ports.get('exchange')!,
    minPublishIntervalMs: options.minPublishIntervalMs ?? 200,
    publishTickMs: 500,
    operatorToken: options.operatorToken,
    now,
    ...(options.tradeExpiryTickMs === undefined ? {} : { tradeExpiryTickMs: options.tradeExpiryTickMs }),
    ...(options.hotRecords === undefined ? {} : { hotRecords: options.hotRecords }),
  });
  return {
    dir,
    keys,
    parties,
    exchange,
    witness,
    gateways,
    sealKeys,
    witnessUrls,
    clock,
    async restart(party, replaceStore) {
      await gateways.get(party)!.close();
      await replaceStore?.(join(dir, `gateway-${party}.db`));
      gateways.set(party, await openWithAccounts(party));
    },
    async syncAll(timeoutMs = 20_000) {
      // Everything the exchange has sequenced, witnessed, and verified by every gateway.
      const head = exchange.sequencer.size;
      try {
        await waitFor(`every mirror at size ${head}`, async () => {
          if ((exchange.publisher.latest?.size ?? 0) < head) return false;
          for (const gateway of gateways.values()) {
            if ((gateway.gateway.mirror.verified?.checkpoint.size ?? 0) < head) await gateway.gateway.mirror.sync().catch(() => undefined);
          }
          return [...gateways.values()].every((gateway) => (gateway.gateway.mirror.verified?.checkpoint.size ?? 0) >= head);
        }, timeoutMs);
      } catch (error) {
        // Which part lagged, so that a timeout on a loaded machine can be told from a fault.
        const gatewaysNow = [...gateways.entries()].map(([party, gateway]) => `${party}: verified ${gateway.gateway.mirror.verified?.checkpoint.size ?? 0}, mirror ${gateway.gateway.mirror.size}, halted ${gateway.gateway.mirror.halted ?? 'no'}, alarms ${JSON.stringify(gateway.gateway.alarms.list().map((alarm) => `${alarm.code}: ${alarm.message}`))}`);
        throw new Error(`${(error as Error).message}; the exchange published ${exchange.publisher.latest?.size ?? 0} (${JSON.stringify(exchange.publisher.health)}); ${gatewaysNow.join('; ')}`);
      }
    },
    async close() {
      await exchange.close();
      for (const gateway of gateways.values()) await gateway.close();
      await witness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A session for every demo role of every state, keyed by state and role ("approver-1", …). */
export async function loginAll(stack: GatewayStack): Promise<Record<string, Record<string, Official>>> {
  const out: Record<string, Record<string, Official>> = {};
  for (const party of stack.parties) {
    out[party] = {};
    for (const role of ROLES_OF) out[party]![role] = await login(stack.gateways.get(party)!.url, `${party.toLowerCase()}-${role}`, undefined, stack.clock);
  }
  return out;
}

/** A session for every demo role of US and RU, keyed by role ("approver-1", …). */
export async function loginEveryone(stack: GatewayStack): Promise<{ us: Record<string, Official>; ru: Record<string, Official> }> {
  const all = await loginAll(stack);
  return { us: all.US!, ru: all.RU! };
}

/**
 * Puts the scenario treaty in force through the gateways: the first approver given proposes
 * it, each one ratifies it for its state, and every mirror then holds it.
 */
export async function adoptTreaty(stack: GatewayStack, approvers: readonly Official[], at: number): Promise<ReturnType<typeof treatyWithKeys>> {
  const treaty = treatyWithKeys(stack.keys);
  const proposed = await approvers[0]!.call('POST', '/api/treaty/propose', { treaty, at });
  if (proposed.status !== 201) throw new Error(`treaty.propose: ${proposed.status} ${JSON.stringify(proposed.body)}`);
  for (const official of approvers) {
    const ratified = await official.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version, at });
    if (ratified.status !== 201) throw new Error(`treaty.ratify by ${official.username}: ${ratified.status} ${JSON.stringify(ratified.body)}`);
  }
  await stack.syncAll();
  return treaty;
}

/**
 * A test's calendar: `day(n)` is n days after a start 30 days ago (the stack's clock starts
 * 40 days ago), and `filing` a request to RU for ransomware extortion dated then, with an
 * offence date 60 days before the start; `overrides` changes any field.
 */
export function testCalendar(daysAgo = 30) {
  const t0 = Math.floor(Date.now() / 1000) - daysAgo * 86_400;
  const day = (n: number) => Math.floor(t0 + n * 86_400);
  const offenceDate = new Date((t0 - 60 * 86_400) * 1000).toISOString().slice(0, 10);
  const filing = (id: string, at: number, overrides: Record<string, unknown> = {}) => ({ request: id, requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, at, ...overrides });
  return { t0, day, offenceDate, filing };
}
