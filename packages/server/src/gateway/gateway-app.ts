import type { FastifyInstance } from 'fastify';
import { registerApiContract } from '../contract/docs.ts';
import { addCheckpointContract, cosignedCheckpointContract } from '../contract/witness.ts';
import { MAX_CHECKPOINT_WAIT_MS } from '../contract/log.ts';
import type { JWK } from 'jose';
import { ed25519PublicKey } from '@evenhand/crypto';
import { formatPolicy, witnessedTime, type NoteSigner, type Policy } from '@evenhand/log';
import { countOpenSessions, type Store } from '@evenhand/store';
import { registerSessions } from '../auth/sessions.ts';
import { createServiceApp, type ServiceTransport } from '../error-handler.ts';
import { registerMetrics } from '../transport/metrics.ts';
import { buildWitnessApp } from '../witness/witness-app.ts';
import { Alarms } from './alarms.ts';
import type { GatewayContext } from './context.ts';
import { ExchangeClient } from './exchange-client.ts';
import { LogMirror } from './mirror.ts';
import type { CatchUpProgress } from './catch-up.ts';
import { checkInclusion, ViewChecker } from './monitor.ts';
import { registerOfficialRoutes } from './routes-officials.ts';
import { registerDecryptionAuditRoutes } from './decryption-audit.ts';
import { registerProposalRoutes } from './routes-proposals.ts';
import { registerDraftRoutes } from './routes-drafts.ts';
import { registerLogRoutes } from './routes-log.ts';
import { registerEvidenceRoutes } from './routes-evidence.ts';
import { registerRequestRoutes } from './routes-requests.ts';
import { registerIncidentRoutes } from './routes-incidents.ts';
import { registerTradeRoutes } from './routes-trades.ts';
import { registerProofRoutes } from './routes-proofs.ts';
import { registerTaskRoutes } from './routes-tasks.ts';
import { Notifier, type Webhook } from './notifier.ts';
import { registerEventRoutes } from './routes-events.ts';
import { Submitter } from './submitter.ts';
import { BoundedCache } from './bounded-cache.ts';
import { CaseKeeper } from './case-keys.ts';
import { TransportRing } from './transport-ring.ts';
import { CASE_PROOFS_PAGE, registerStaticPage, registerStaticSite } from '../static-site.ts';
import { unixNow } from '../simulated-clock.ts';
import { SnapshotKeeper } from '../replay/snapshot-keeper.ts';
import type { SnapshotOptions } from '../replay/snapshot-options.ts';

export interface GatewayOptions {
  readonly party: string;
  readonly store: Store;
  readonly origin: string;
  readonly exchangeUrl: string;
  readonly policy: Policy;
  readonly ownWitness: string;
  /** The state's Ed25519 entry seed (from its 0600 key file). */
  readonly entrySeed: Uint8Array;
  /** Every entry public key the state has held, the current one included (key-history.ts); just the current one if absent. */
  readonly ownKeyHistory?: readonly Uint8Array[];
  /** Request records kept in the heap before older ones go to the shelf (replay/record-shelving.ts HOT_RECORDS by default). */
  readonly hotRecords?: number | undefined;
  /** The state's X25519 private JWK (from its 0600 key file). */
  readonly sealKey: JWK;
  readonly sealRecipients: ReadonlyMap<string, JWK>;
  readonly sealObservers?: readonly string[];
  /**
   * The key file of the case-key ring (transport-ring.ts, issue 17): the local key and the
   * transport private keys. Without it they live in memory only (a test's app).
   */
  readonly caseKeyFile?: string;
  /** A new transport key this often, in seconds of the gateway's clock (a week by default). */
  readonly transportRotationSeconds?: number;
  /**
   * Whether the timer publishes and rotates transport keys and erases on time (true by default).
   * Off only where something else writes the state's entries (a test with its own writer).
   */
  readonly caseKeyTimer?: boolean;
  readonly witnessCosigner: NoteSigner;
  readonly inclusionTimeoutSeconds?: number;
  readonly now?: () => number;
  /** Secure session cookies: set whenever the gateway serves HTTPS or a TLS proxy is in front of it (start-gateway.ts). */
  readonly secureCookie?: boolean;
  /** Logging, HTTPS and trusted proxies, from the gateway's config (issue 16). */
  readonly transport?: ServiceTransport;
  readonly exchangeTimeoutMs?: number;
  /** How long an official's session lasts, in seconds of the session clock (8 hours by default). */
  readonly sessionSeconds?: number;
  /**
   * The clock sessions expire by: `now` by default. A world replaying a past history on a
   * simulated clock (the demo's seeding) keeps sessions on the machine's clock.
   */
  readonly sessionClock?: () => number;
  /** How old a first checkpoint may be for a gateway that has verified none yet (24 hours by default). */
  readonly maxCheckpointAgeSeconds?: number;
  /** How often, in seconds of the gateway's clock, it compares the exchange's public views and the other witnesses' latest with its own (30 by default). */
  readonly peerCheckSeconds?: number;
  /** How often the public views are compared again while the log does not grow (an hour by default): due dates pass with time, so an idle log's views still change. */
  readonly viewRecheckSeconds?: number;
  /** The operator's webhooks: new incoming requests, deadlines falling due (notifier.ts). */
  readonly webhooks?: readonly Webhook[];
  /** Snapshots of the mirror's replay (issue 14): how often, how many, `--full-replay`, and the observers tests use. */
  readonly snapshots?: Omit<SnapshotOptions, 'service' | 'secret'>;
  /** Told how a long catch-up with the log goes, chunk by chunk (catch-up.ts; the CLI's `serve` writes it on stderr). */
  readonly catchUp?: CatchUpProgress;
}

/** The gateway's parts, reachable from its Fastify instance as `app.gateway`. */
export interface GatewayParts {
  readonly mirror: LogMirror;
  readonly alarms: Alarms;
  readonly submitter: Submitter;
  /** The state's case keys: kept at filing, unwrapped from the mirrored filings (case-keys.ts). */
  readonly caseKeys: CaseKeeper;
  /** One round: sync the mirror, then check inclusion and the exchange's published view. */
  tick(): Promise<void>;
  /** The exchange's long poll: resolves once it publishes past `size`, or after its longest wait (round-loop.ts). */
  waitForGrowth(size: number, signal: AbortSignal): Promise<void>;
}


/**
 * A state's gateway (DESIGN.md "Topology", "Gateway"): officials' sessions and the console
 * API, the signer and submitter of the state's entries, the mirror that replays the log, the
 * alarms, and the embedded witness that cosigns only what agrees with the mirror. Built
 * without listening (tests use inject); `startGateway` adds key files, the store and a timer.
 */
export async function buildGatewayApp(options: GatewayOptions): Promise<FastifyInstance> {
  const now = options.now ?? unixNow;
  const alarms = new Alarms(now);
  const exchange = new ExchangeClient(options.exchangeUrl.replace(/\/+$/, ''), options.exchangeTimeoutMs);
  // Keyed under the state's entry seed: only this gateway can write a snapshot it will start from (issue 14).
  const snapshots = new SnapshotKeeper(options.store, { ...options.snapshots, service: `gateway:${options.party}`, secret: options.entrySeed });
  const mirror = new LogMirror({ snapshots, store: options.store, origin: options.origin, policy: options.policy, ownWitness: options.ownWitness, party: options.party, ownKey: ed25519PublicKey(options.entrySeed), ownKeyHistory: options.ownKeyHistory ?? [ed25519PublicKey(options.entrySeed)], hotRecords: options.hotRecords, ...(options.maxCheckpointAgeSeconds === undefined ? {} : { maxCheckpointAgeSeconds: options.maxCheckpointAgeSeconds }), exchange, alarms, now, catchUp: options.catchUp });
  await mirror.load();
  const logKey = options.policy.logs.find((log) => log.key.name === options.origin);
  if (!logKey) throw new Error(`the witness policy has no log key named ${options.origin}`);
  const submitter = new Submitter({ store: options.store, party: options.party, origin: options.origin, seed: options.entrySeed, exchange, mirror, now, logKey: logKey.key, alarms });
  await submitter.resume();

  const openedSealed = new BoundedCache<number, unknown>(20_000);
  const caseKeys = new CaseKeeper({
    store: options.store, party: options.party, ring: await TransportRing.open(options.caseKeyFile), mirror, submitter, now, sealKey: options.sealKey, sealRecipients: options.sealRecipients, opened: openedSealed,
    ...(options.transportRotationSeconds === undefined ? {} : { rotationSeconds: options.transportRotationSeconds }),
  });

  const inclusionTimeout = options.inclusionTimeoutSeconds ?? 30;
  const peerInterval = options.peerCheckSeconds ?? 30;
  let peersCheckedAt: number | undefined;
  const views = new ViewChecker(exchange, mirror, alarms, now);
  const notifier = new Notifier({ store: options.store, party: options.party, webhooks: options.webhooks ?? [], now });
  let round: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    round ??= (async () => {
      try {
        await mirror.sync();
        await checkInclusion(options.store, mirror, alarms, now(), inclusionTimeout, logKey.key);
        // Case keys (issue 17): unwrap what the mirror brought, rotate transport keys, erase what is due.
        if (options.caseKeyTimer !== false) await caseKeys.tick().catch((error: unknown) => app.log.error({ err: error }, 'case keys: unwrapping, rotation or erasure failed this round'));
        // Notifications are recorded, then delivered; a failing webhook never stops the round.
        await notifier.collect(mirror.state).then(() => notifier.deliver()).catch((error: unknown) => app.log.error({ err: error }, 'notifications: collecting or delivering failed this round'));
        // The views and the other witnesses are compared every peerCheckSeconds, not every tick.
        if (peersCheckedAt === undefined || now() - peersCheckedAt >= peerInterval) {
          peersCheckedAt = now();
          if (alarms.has('EXCHANGE_UNREACHABLE')) views.skipped();
          else await views.check(views.due(options.viewRecheckSeconds ?? 3600)).catch((error: unknown) => app.log.warn({ err: error }, 'comparing the exchange\'s public views failed this round'));
          await mirror.peerChecks.checkPeers(options.exchangeTimeoutMs ?? 3000);
          await mirror.peerChecks.checkServedTiles();
        }
      } finally {
        round = undefined;
      }
    })();
    return round;
  };

  const context: GatewayContext = {
    party: options.party,
    origin: options.origin,
    store: options.store,
    mirror,
    submitter,
    alarms,
    now,
    sealRecipients: options.sealRecipients,
    sealObservers: options.sealObservers ?? [],
    sealKey: options.sealKey,
    openedSealed,
    caseKeys,
    refresh: () => mirror.sync(),
    waitForMirror: async (index, ms) => {
      const deadline = Date.now() + ms;
      while (mirror.size <= index && Date.now() < deadline) {
        // The exchange holds the answer until a witnessed checkpoint covers the entry (issue 14):
        // a filing waits for its checkpoint, not for the next tick of a polling interval.
        const asked = Date.now();
        await exchange.checkpointCovering(index, Math.min(MAX_CHECKPOINT_WAIT_MS, deadline - asked)).catch(() => undefined);
        await mirror.sync().catch(() => undefined);
        // An exchange that answers at once without the entry (unreachable, or not honest) is asked again no more often than this.
        const pause = asked + 50 - Date.now();
        if (mirror.size <= index && pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
      return mirror.size > index;
    },
  };

  const app = createServiceApp(256 * 1024, options.transport);
  registerMetrics(app, `gateway-${options.party}`, [
    { name: 'evenhand_mirror_verified_size', help: 'Size of the latest checkpoint this gateway verified', read: () => mirror.verified?.checkpoint.size ?? 0 },
    { name: 'evenhand_mirror_checkpoint_age_seconds', help: 'Seconds since the witnesses cosigned the latest checkpoint this gateway verified: how far its mirror lags', read: () => (mirror.verified ? now() - witnessedTime(mirror.verified) : 0) },
    { name: 'evenhand_alarms_raised', help: 'Alarms raised now, by code (1 while raised)', label: 'code', read: () => new Map(alarms.list().map((alarm) => [alarm.code, 1])) },
    { name: 'evenhand_sessions_open', help: 'Officials\' sessions open now', read: () => countOpenSessions(options.store.db, (options.sessionClock ?? now)()) },
  ]);
  await registerApiContract(app, { title: `Evenhand gateway (${options.party})`, description: "A state's console API: requests it is party to, actions signed with the state's key, two-person decisions, drafts, and the health of its verified mirror of the log." });
  await registerSessions(app, { db: options.store.db, party: options.party, now: options.sessionClock ?? now, ...(options.secureCookie === undefined ? {} : { secureCookie: options.secureCookie }), ...(options.sessionSeconds === undefined ? {} : { sessionSeconds: options.sessionSeconds }) });
  registerRequestRoutes(app, context, { exchange });
  registerIncidentRoutes(app, context);
  registerTaskRoutes(app, context);
  registerEventRoutes(app, context);
  registerProposalRoutes(app, context);
  registerOfficialRoutes(app, context);
  registerDecryptionAuditRoutes(app, context);
  registerTradeRoutes(app, context);
  registerProofRoutes(app, context, { policy: options.policy, policyText: formatPolicy({ ...options.policy, witnesses: options.policy.witnesses.values(), groups: options.policy.groups.values() }), archivePage: (path) => exchange.tile(path) });
  registerDraftRoutes(app, context);
  registerLogRoutes(app, context);
  registerEvidenceRoutes(app, context, { exchange, entrySeed: options.entrySeed });
  // The officials' console (packages/web), talking to the /api routes above.
  await registerStaticSite(app, 'index.html');
  // What a case proof shows and how to check it (issue 13), linked from the page above.
  registerStaticPage(app, CASE_PROOFS_PAGE, 'proofs.html');

  // The embedded witness (C2SP tlog-witness), with the gateway's extra condition: the tree
  // must be the one its own mirror holds or verifiably reaches (DESIGN.md "Gateway").
  const witness = buildWitnessApp({ store: options.store, cosigner: options.witnessCosigner, logs: new Map([[options.origin, [logKey.key]]]), now, agrees: (origin, size, root, offer) => mirror.agrees(origin, size, root, offer) });
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post('/add-checkpoint', { schema: addCheckpointContract("This state's witness (C2SP tlog-witness add-checkpoint)") }, async (request, reply) => {
      const answer = await witness.inject({ method: 'POST', url: '/add-checkpoint', payload: typeof request.body === 'string' ? request.body : '', headers: { 'content-type': 'text/plain' } });
      return reply.status(answer.statusCode).header('content-type', answer.headers['content-type'] ?? 'text/plain').send(answer.body);
    });
  });
  app.get('/checkpoint/cosigned', { schema: cosignedCheckpointContract("The latest checkpoint this state's witness cosigned, with its cosignature: public, for the other parties to compare with what the exchange shows them") }, async (request, reply) => {
    const answer = await witness.inject({ method: 'GET', url: `/checkpoint/cosigned?origin=${encodeURIComponent(options.origin)}` });
    return reply.status(answer.statusCode).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(answer.body);
  });
  app.addHook('onClose', async () => {
    snapshots.stop();
    await witness.close();
    // A snapshot being written finishes before the store can close.
    await snapshots.flush();
  });
  const waitForGrowth = (size: number, signal: AbortSignal) => exchange.checkpointCovering(size, MAX_CHECKPOINT_WAIT_MS, signal);
  const parts: GatewayParts = { mirror, alarms, submitter, caseKeys, tick, waitForGrowth };
  app.decorate('gateway', parts);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway?: GatewayParts;
  }
}
