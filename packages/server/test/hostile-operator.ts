import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AnyDomainEntry, Treaty } from '@evenhand/core';
import { addSignatureLines, formatAddCheckpointBody, parsePolicy, type Policy } from '@evenhand/log';
import { openStore, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { buildServedLog, serveLogRoutes, type ServedLog, type ServedLogOptions } from './fake-log.ts';
import { freePort } from './gateway-stack.ts';

/**
 * The operator of issue 12's threat model: it holds the log key and the neutral witness's
 * key (CH), and runs fake exchanges that serve whatever log it builds, one per party if it
 * likes. The parties' gateways are real, on loopback ports, each with its own store; the
 * operator asks their witnesses to cosign what it shows each of them, as an exchange does.
 */
export interface HostileWorld {
  readonly keys: ScenarioKeys;
  readonly treaty: Treaty;
  readonly policy: Policy;
  readonly policyText: string;
  /** A fake exchange per party: set what it serves with `show`. */
  show(party: string, log: ServedLog | undefined): void;
  /** Builds a log (entries signed as their authors, or with `seedOf`), cosigned by CH only: the operator's own. */
  build(entries: readonly AnyDomainEntry[], options?: ServedLogOptions): ServedLog;
  /** Serves `log` to `party`, asks its gateway witness to cosign it (as an exchange would), and returns the log with that cosignature added. */
  cosignedBy(party: string, log: ServedLog, oldSize?: number): Promise<ServedLog>;
  gateway(party: string): FastifyInstance;
  /** A party's gateway store, as it is now. */
  store(party: string): Store;
  /** Opens (or reopens on the same store) a party's gateway, pointed at its own fake exchange. */
  open(party: string, options?: { emptyStore?: boolean; ownKeyHistory?: readonly Uint8Array[]; now?: () => number }): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export async function hostileWorld(parties: readonly string[] = ['US', 'RU']): Promise<HostileWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-hostile-'));
  const keys = scenarioKeys();
  const treaty = treatyWithKeys(keys);
  const exchanges = new Map<string, { app: FastifyInstance; url: string; served: ServedLog | undefined }>();
  const gatewayPorts = new Map<string, number>();
  for (const party of parties) gatewayPorts.set(party, await freePort());
  for (const party of parties) {
    const app = Fastify({ logger: false });
    const entry = { app, url: '', served: undefined as ServedLog | undefined };
    serveLogRoutes(app, () => entry.served);
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    entry.url = `http://127.0.0.1:${port}`;
    exchanges.set(party, entry);
  }
  const policyText = scenarioPolicy(keys, new Map([...gatewayPorts].map(([party, port]) => [party, `http://127.0.0.1:${port}`])));
  const policy = parsePolicy(policyText);
  if (!policy.ok) throw new Error(policy.error.message);
  const gateways = new Map<string, { app: FastifyInstance; store: Store }>();

  const world: HostileWorld = {
    keys,
    treaty,
    policy: policy.value,
    policyText,
    show(party, log) {
      exchanges.get(party)!.served = log;
    },
    build(entries, options = {}) {
      return buildServedLog(keys, entries, { cosigners: ['CH'], ...options });
    },
    async cosignedBy(party, log, oldSize = 0) {
      // The witness reads the tree from the exchange it follows before it vouches for it.
      exchanges.get(party)!.served = log;
      const witnessOnly = log.note;
      // The consistency proof from the size the witness holds, as an exchange sends it; none
      // where the tree cannot give one (a checkpoint claiming a size its tiles cannot back).
      const proof = oldSize > 0 && log.tree && log.size === log.tree.size ? log.tree.consistencyProof(oldSize, log.size) : undefined;
      const answer = await gateways.get(party)!.app.inject({ method: 'POST', url: '/add-checkpoint', payload: formatAddCheckpointBody(oldSize, proof?.ok ? proof.value : [], logSignatureOnly(witnessOnly)), headers: { 'content-type': 'text/plain' } });
      if (answer.statusCode !== 200) throw new Error(`${party}'s witness refused to cosign: ${answer.statusCode} ${answer.body}`);
      return { ...log, note: addSignatureLines(log.note, [answer.body]) };
    },
    gateway(party) {
      return gateways.get(party)!.app;
    },
    store(party) {
      return gateways.get(party)!.store;
    },
    async open(party, options = {}) {
      const previous = gateways.get(party);
      await previous?.app.close();
      const file = join(dir, `gateway-${party}${options.emptyStore ? `-${Date.now()}-${Math.random()}` : ''}.db`);
      const store = options.emptyStore || !previous ? await openStore({ engine: 'sqlite', file }) : previous.store;
      const seal = await generateSealKeyPair();
      const app = await buildGatewayApp({
        party,
        store,
        origin: ORIGIN,
        exchangeUrl: exchanges.get(party)!.url,
        policy: policy.value,
        ownWitness: party,
        entrySeed: keys.authors.get(party)!.seed,
        sealKey: seal.privateJwk,
        sealRecipients: new Map([[party, seal.publicJwk]]),
        witnessCosigner: keys.witnesses.get(party)!,
        peerCheckSeconds: 0,
        viewRecheckSeconds: 0,
        ...(options.ownKeyHistory ? { ownKeyHistory: options.ownKeyHistory } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      await app.listen({ host: '127.0.0.1', port: gatewayPorts.get(party)! });
      gateways.set(party, { app, store });
      return app;
    },
    async close() {
      for (const { app, store } of gateways.values()) {
        await app.close();
        await store.close();
      }
      for (const { app } of exchanges.values()) await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The note with the log's signature only, as an exchange sends it to a witness. */
function logSignatureOnly(note: string): string {
  return note.split('\n').filter((line) => !line.startsWith('\u2014 ') || line.startsWith(`\u2014 ${ORIGIN} `)).join('\n');
}

/** A request filed by `requesting` to `requested` at `time`, for a person of neither state. */
export function filing(id: string, requesting: string, requested: string, time: number): AnyDomainEntry {
  const offenceDate = new Date((time - 90 * 86_400) * 1000).toISOString().slice(0, 10);
  return { author: requesting, time, type: 'request.file', body: { request: id, requested, kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate } } as AnyDomainEntry;
}

/** The treaty's adoption: US proposes, US and RU ratify, `at` seconds apart from `time`. */
export function adoption(treaty: Treaty, time: number): AnyDomainEntry[] {
  return [
    { author: 'US', time, type: 'treaty.propose', body: { treaty } },
    { author: 'US', time: time + 1, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    { author: 'RU', time: time + 2, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
  ] as AnyDomainEntry[];
}
