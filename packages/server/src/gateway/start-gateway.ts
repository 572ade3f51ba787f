import type { FastifyInstance } from 'fastify';
import { makeSigner, parsePolicy, verifierOf } from '@evenhand/log';
import { loadKeyHistory } from './key-history.ts';
import { openStore, type Store, type StoreConfig } from '@evenhand/store';
import { buildGatewayApp, type GatewayOptions, type GatewayParts } from './gateway-app.ts';
import { loadEntrySeed, loadSealKey } from './key-files.ts';
import { startRoundLoop, type RoundLoop } from './round-loop.ts';

/**
 * What `startGateway` needs: the app's options (gateway-app.ts), with the store, the policy
 * and the keys given as configuration (a database, the policy text, 0600 key files) instead
 * of opened values.
 */
export interface GatewayConfig extends Omit<GatewayOptions, 'store' | 'policy' | 'entrySeed' | 'sealKey' | 'ownKeyHistory'> {
  readonly store: StoreConfig;
  readonly policyText: string;
  /** The Ed25519 entry seed file (base64, mode 0600); created when absent. */
  readonly entryKeyFile: string;
  /** Every entry key the state has held (key-history.ts); `<entryKeyFile>.history` by default. */
  readonly entryKeyHistoryFile?: string;
  /** The X25519 private JWK file (mode 0600); created when absent. */
  readonly sealKeyFile: string;
  /** The case-key ring (transport-ring.ts, mode 0600): `<sealKeyFile>.case-keys` by default; created when absent. */
  readonly caseKeyFile?: string;
  /** The least time between two of the mirror's rounds (1000 by default); an idle log gets one per long poll of the exchange (round-loop.ts). */
  readonly mirrorIntervalMs?: number;
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
 * gateway, listens (loopback by default) and mirrors the log as the exchange publishes, at
 * most a round per `mirrorIntervalMs` (round-loop.ts).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const policy = parsePolicy(config.policyText);
  if (!policy.ok) throw new Error(`the witness policy is invalid: ${policy.error.message}`);
  if (!policy.value.witnesses.has(config.ownWitness)) throw new Error(`ownWitness: ${config.ownWitness} is not a witness of the policy`);
  const entrySeed = loadEntrySeed(config.entryKeyFile);
  const history = loadKeyHistory(config.entryKeyHistoryFile ?? `${config.entryKeyFile}.history`, verifierOf(makeSigner(config.party, entrySeed)));
  const sealKey = await loadSealKey(config.sealKeyFile);
  const store = await openStore(config.store);
  let rounds: RoundLoop | undefined;
  try {
    const { store: _storeConfig, policyText: _policyText, entryKeyFile: _entryKeyFile, entryKeyHistoryFile: _history, sealKeyFile: _sealKeyFile, mirrorIntervalMs: _interval, host: _host, port: _port, ...options } = config;
    // A gateway serving HTTPS sends its session cookie only over HTTPS (issue 16).
    const secureCookie = config.secureCookie ?? config.transport?.tls !== undefined;
    const app = await buildGatewayApp({ ...options, secureCookie, store, policy: policy.value, entrySeed, sealKey, caseKeyFile: config.caseKeyFile ?? `${config.sealKeyFile}.case-keys`, ownKeyHistory: history.map((key) => key.publicKey) });
    const gateway = app.gateway!;
    const url = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
    rounds = startRoundLoop({
      round: () => gateway.tick(),
      waitForGrowth: (size, signal) => gateway.waitForGrowth(size, signal),
      size: () => gateway.mirror.verified?.checkpoint.size ?? 0,
      intervalMs: config.mirrorIntervalMs ?? 1000,
      onError: (error: unknown) => app.log.error({ err: error }, 'the mirror round failed; the next one retries'),
    });
    return {
      url,
      app,
      store,
      gateway,
      async close() {
        await rounds?.stop();
        await gateway.tick().catch(() => undefined);
        // A snapshot of the mirror as it stands, if it grew since the last (issue 14).
        await gateway.mirror.snapshotNow().catch((error: unknown) => app.log.warn({ err: error }, 'the shutdown snapshot was not written'));
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await rounds?.stop();
    await store.close();
    throw error;
  }
}
