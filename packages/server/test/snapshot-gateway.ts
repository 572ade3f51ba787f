import Fastify, { type FastifyInstance } from 'fastify';
import { parsePolicy, type Policy } from '@evenhand/log';
import type { Store } from '@evenhand/store';
import { freePort, ORIGIN, scenarioPolicy, type ScenarioKeys } from '@evenhand/testing';
import type { CatchUpProgress } from '../src/gateway/catch-up.ts';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { serveLogRoutes, type ServedLog } from './fake-log.ts';

/**
 * The US gateway the snapshot tests (re)start on one store, mirroring the fake exchange at
 * `exchangeUrl` (fake-log.ts), with a fresh seal key and no case-key timer.
 */
export async function snapshotGateway(store: Store, exchangeUrl: string, policy: Policy, keys: ScenarioKeys, snapshots: Partial<SnapshotOptions>, catchUp?: CatchUpProgress): Promise<FastifyInstance> {
  const seal = await generateSealKeyPair();
  return buildGatewayApp({
    party: 'US',
    store,
    origin: ORIGIN,
    exchangeUrl,
    policy,
    ownWitness: 'US',
    entrySeed: keys.authors.get('US')!.seed,
    sealKey: seal.privateJwk,
    sealRecipients: new Map([['US', seal.publicJwk]]),
    witnessCosigner: keys.witnesses.get('US')!,
    caseKeyTimer: false,
    snapshots,
    ...(catchUp ? { catchUp } : {}),
  });
}

/** The fake exchange of the snapshot tests, serving whatever `served` gives at the time, and the scenario's policy. */
export async function snapshotExchange(keys: ScenarioKeys, served: () => ServedLog | undefined): Promise<{ readonly fake: FastifyInstance; readonly url: string; readonly policy: Policy }> {
  const parsed = parsePolicy(scenarioPolicy(keys));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const fake = Fastify({ logger: false });
  serveLogRoutes(fake, served);
  const port = await freePort();
  await fake.listen({ host: '127.0.0.1', port });
  return { fake, url: `http://127.0.0.1:${port}`, policy: parsed.value };
}
