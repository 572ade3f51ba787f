import type { FastifyInstance } from 'fastify';
import type { NoteSigner, NoteVerifier } from '@evenhand/log';
import { openStore, type Store, type StoreConfig } from '@evenhand/store';
import { buildWitnessApp, type WitnessOptions } from './witness-app.ts';
import { unixNow } from '../simulated-clock.ts';
import type { ServiceTransport } from '../error-handler.ts';

export interface WitnessConfig {
  readonly store: StoreConfig;
  readonly cosigner: NoteSigner;
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  readonly host?: string;
  readonly port?: number;
  readonly now?: () => number;
  readonly agrees?: WitnessOptions['agrees'];
  /** Logging and HTTPS (issue 16). */
  readonly transport?: ServiceTransport;
}

export interface RunningWitness {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  close(): Promise<void>;
}

export async function startWitness(config: WitnessConfig): Promise<RunningWitness> {
  const store = await openStore(config.store);
  const app = buildWitnessApp({ store, cosigner: config.cosigner, logs: config.logs, now: config.now ?? unixNow, ...(config.agrees ? { agrees: config.agrees } : {}), ...(config.transport ? { transport: config.transport } : {}) });
  const url = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
  return {
    url,
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
