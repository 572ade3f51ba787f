import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { parsePolicy, type NoteSigner } from '@evenhand/log';
import { openStore, type Store, type StoreConfig } from '@evenhand/store';
import { buildGatewayApp, type GatewayParts } from './gateway-app.ts';
import { loadEntrySeed, loadSealKey } from './key-files.ts';

export interface GatewayConfig {
  readonly party: string;
  readonly store: StoreConfig;
  readonly origin: string;
  readonly exchangeUrl: string;
  readonly policyText: string;
  /** This state's witness name in the policy. */
  readonly ownWitness: string;
  /** The Ed25519 entry seed file (base64, mode 0600); created when absent. */
  readonly entryKeyFile: string;
  /** The X25519 private JWK file (mode 0600); created when absent. */
  readonly sealKeyFile: string;
  /** Seal public keys of every party and observer. */
  readonly sealRecipients: ReadonlyMap<string, JWK>;
  /** Observers to whom every sealed member is also encrypted (they must be in sealRecipients). */
  readonly sealObservers?: readonly string[];
  /** This state's witness cosigning key (cosignature/v1, type 0x04). */
  readonly witnessCosigner: NoteSigner;
  /** Demo seeding only: actions may carry `at` in Unix seconds. */
  readonly allowBackdating?: boolean;
  readonly mirrorIntervalMs?: number;
  readonly inclusionTimeoutSeconds?: number;
  readonly now?: () => number;
  readonly host?: string;
  readonly port?: number;
}

export interface RunningGateway {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly gateway: GatewayParts;
  close(): Promise<void>;
}

/**
 * Loads the state's keys (refusing key files others can read), opens the store, builds the
 * gateway, listens (loopback by default) and mirrors the log every `mirrorIntervalMs`.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const policy = parsePolicy(config.policyText);
  if (!policy.ok) throw new Error(`the witness policy is invalid: ${policy.error.message}`);
  if (!policy.value.witnesses.has(config.ownWitness)) throw new Error(`ownWitness: ${config.ownWitness} is not a witness of the policy`);
  const entrySeed = loadEntrySeed(config.entryKeyFile);
  const sealKey = await loadSealKey(config.sealKeyFile);
  const store = await openStore(config.store);
  let timer: NodeJS.Timeout | undefined;
  try {
    const app = await buildGatewayApp({
      party: config.party,
      store,
      origin: config.origin,
      exchangeUrl: config.exchangeUrl,
      policy: policy.value,
      ownWitness: config.ownWitness,
      entrySeed,
      sealKey,
      sealRecipients: config.sealRecipients,
      ...(config.sealObservers ? { sealObservers: config.sealObservers } : {}),
      witnessCosigner: config.witnessCosigner,
      allowBackdating: config.allowBackdating ?? false,
      ...(config.inclusionTimeoutSeconds === undefined ? {} : { inclusionTimeoutSeconds: config.inclusionTimeoutSeconds }),
      ...(config.now ? { now: config.now } : {}),
    });
    const gateway = app.gateway!;
    const url = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
    timer = setInterval(() => void gateway.tick().catch(() => undefined), config.mirrorIntervalMs ?? 1000);
    void gateway.tick().catch(() => undefined);
    return {
      url,
      app,
      store,
      gateway,
      async close() {
        clearInterval(timer);
        await gateway.tick().catch(() => undefined);
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    clearInterval(timer);
    await store.close();
    throw error;
  }
}
