import type { FastifyInstance } from 'fastify';
import { AuthorKeyring, formatPolicy, parsePolicy, treatyPolicy, witnessesToAsk, type NoteSigner, type Policy } from '@evenhand/log';
import { skewOf, type Treaty } from '@evenhand/core';

/**
 * The policy a checkpoint needs: the treaty's witnesses and quorum once a treaty naming them
 * is in force. A treaty whose witness keys do not parse would be refused at its proposal;
 * should one stand, the configured policy is kept rather than publishing nothing at all.
 */
function formatPolicyOf(policy: Policy): string {
  return formatPolicy({ logs: policy.logs, witnesses: policy.witnesses.values(), groups: policy.groups.values(), quorum: policy.quorum });
}

function effectivePolicy(configured: Policy, treaty: Treaty | undefined): Policy {
  const derived = treatyPolicy(configured, treaty);
  return derived.ok ? derived.value : configured;
}
import { openStore, type Store, type StoreConfig } from '@evenhand/store';
import { buildExchangeApp } from './exchange-app.ts';
import { CheckpointPublisher } from './publisher.ts';
import { Sequencer } from './sequencer.ts';
import { SignatureThread } from './signature-thread.ts';
import { SnapshotKeeper } from '../replay/snapshot-keeper.ts';
import type { SnapshotOptions } from '../replay/snapshot-options.ts';
import { signedUnder } from '../replay/signed-head.ts';
import { unixNow } from '../simulated-clock.ts';
import type { ServiceTransport } from '../error-handler.ts';

export interface ExchangeConfig {
  readonly store: StoreConfig;
  readonly origin: string;
  /** The log's checkpoint key (Ed25519, named after the origin). */
  readonly logSigner: NoteSigner;
  /** The tlog-policy text: the log key, the witnesses with their URLs, and the quorum. */
  readonly policyText: string;
  /**
   * The parties' entry keys from the exchange's treaty file: the keys the log opens with.
   * Once a treaty is in force, its keys (and those of amendments) rule (AuthorKeyring).
   */
  readonly authorKeys: ReadonlyMap<string, Uint8Array>;
  readonly host?: string;
  readonly port?: number;
  /** Logging and HTTPS (issue 16). */
  readonly transport?: ServiceTransport;
  readonly now?: () => number;
  readonly publishTickMs?: number;
  readonly minPublishIntervalMs?: number;
  readonly witnessTimeoutMs?: number;
  /** The operator's bearer token for on-demand clearing (`POST /v1/clearing/run`); off without one. */
  readonly operatorToken?: string | undefined;
  /** How often the treaty's clearing schedule is checked (tests shorten it). */
  readonly clearingTickMs?: number;
  /** How often expired trades are looked for and called off (tests shorten it). */
  readonly tradeExpiryTickMs?: number;
  /** Verify signatures ahead on a worker thread (issue 14: appends near the signature limit); on unless false. */
  readonly verifyAhead?: boolean;
  /** Snapshots of the replay (issue 14): how often, how many, `--full-replay`, and the observers tests use. */
  readonly snapshots?: Omit<SnapshotOptions, 'service' | 'secret'>;
  /** Request records kept in the heap before older ones go to the shelf (replay/record-shelving.ts HOT_RECORDS by default). */
  readonly hotRecords?: number | undefined;
}

export interface RunningExchange {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly sequencer: Sequencer;
  readonly publisher: CheckpointPublisher;
  close(): Promise<void>;
}


/** Opens the store, rebuilds the log from it, starts publishing, and listens (loopback by default). */
export async function startExchange(config: ExchangeConfig): Promise<RunningExchange> {
  const policy = parsePolicy(config.policyText);
  if (!policy.ok) throw new Error(`the witness policy is invalid: ${policy.error.message}`);
  const now = config.now ?? unixNow;
  const store = await openStore(config.store);
  const signatures = config.verifyAhead === false ? undefined : SignatureThread.start();
  try {
    const keyring = new AuthorKeyring(config.logSigner.publicKey, config.authorKeys);
    // Keyed under the log's own seed: only this exchange can write a snapshot it will start from.
    const snapshots = new SnapshotKeeper(store, { ...config.snapshots, service: 'exchange', secret: config.logSigner.seed });
    // The stored head vouches for a snapshot only if the log key signed it (the head is signed before any witness cosigns).
    const sequencer = await Sequencer.load({ store, origin: config.origin, keyring, now, snapshots, signatures, openSigned: signedUnder(policy.value, null), hotRecords: config.hotRecords });
    const publisher = new CheckpointPublisher({
      store,
      origin: config.origin,
      signer: config.logSigner,
      policyAt: (size) => effectivePolicy(policy.value, sequencer.treaties.at(size)),
      witnessesToAsk: (required) => witnessesToAsk(required, policy.value, sequencer.domainState),
      skewAt: (size) => skewOf(sequencer.treaties.at(size)),
      tree: sequencer.verifier.tree,
      durableSize: () => sequencer.size,
      latestUncoveredTime: (size) => sequencer.latestUnpublishedTime(size),
      onPublished: (size) => sequencer.published(size),
      now,
      ...(config.witnessTimeoutMs === undefined ? {} : { witnessTimeoutMs: config.witnessTimeoutMs }),
      ...(config.minPublishIntervalMs === undefined ? {} : { minIntervalMs: config.minPublishIntervalMs }),
    });
    await publisher.load();
    const app = await buildExchangeApp({ ...(config.transport ? { transport: config.transport } : {}), store, sequencer, publisher, origin: config.origin, policyText: () => (sequencer.domainState.treaty?.witnesses ? formatPolicyOf(effectivePolicy(policy.value, sequencer.domainState.treaty)) : config.policyText), now, authorKeys: (author) => sequencer.keyOf(author), exchangeSeed: config.logSigner.seed, receiptSigner: config.logSigner, operatorToken: config.operatorToken, ...(config.clearingTickMs === undefined ? {} : { clearingTickMs: config.clearingTickMs }), ...(config.tradeExpiryTickMs === undefined ? {} : { tradeExpiryTickMs: config.tradeExpiryTickMs }) });
    const address = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
    publisher.start(config.publishTickMs ?? 5000);
    return {
      url: address,
      app,
      store,
      sequencer,
      publisher,
      async close() {
        // The publisher first, so that requests waiting for a checkpoint (?wait=1) are
        // answered at once; then the app, whose close waits for a clearing round in flight
        // (its call for a publishing round is ignored once the publisher has stopped).
        await publisher.stop();
        snapshots.stop();
        await app.close();
        // Every submission has been answered by now: a snapshot of the durable log (only if it grew).
        await sequencer.snapshotNow();
        await signatures?.close();
        await store.close();
      },
    };
  } catch (error) {
    await signatures?.close();
    await store.close();
    throw error;
  }
}
