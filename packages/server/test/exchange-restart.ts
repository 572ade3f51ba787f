import { AuthorKeyring, type Checkpoint } from '@evenhand/log';
import { ORIGIN, type ScenarioKeys } from '@evenhand/testing';
import type { Store } from '@evenhand/store';
import { Sequencer } from '../src/exchange/sequencer.ts';
import { SnapshotKeeper } from '../src/replay/snapshot-keeper.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { LOG_START } from './snapshot-log.ts';

/** A snapshot at most every this many entries in the snapshot tests: several in their logs of a thousand. */
export const EVERY = 100;

/** An exchange's sequencer loaded from a store, with what its start replayed and warned of. */
export interface Load {
  readonly sequencer: Sequencer;
  readonly replayed: number;
  readonly warnings: string[];
  readonly snapshots: SnapshotKeeper;
}

/**
 * Loads the exchange's sequencer from `store` as start-exchange.ts does, with a keeper under
 * the log key's seed (EVERY unless `options` say otherwise), its replays counted, never timed,
 * and its snapshot written before this returns. `openSigned` lets a stored head vouch for a
 * snapshot (as the log key's verifier does in start-exchange.ts). `now` is the exchange's clock.
 */
export async function loadExchange(store: Store, keys: ScenarioKeys, options: Partial<SnapshotOptions> = {}, openSigned?: (note: string) => Checkpoint | undefined, now = LOG_START): Promise<Load> {
  const warnings: string[] = [];
  let replayed = 0;
  const snapshots = new SnapshotKeeper(store, { service: 'exchange', secret: keys.log.seed, every: EVERY, warn: (message) => warnings.push(message), onReplayed: () => replayed++, ...options });
  const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
  const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => now, snapshots, openSigned });
  await snapshots.flush();
  return { sequencer, replayed, warnings, snapshots };
}
