// One service of a benchmark in its own process (issue 14: the exchange and a gateway are
// measured each in its own process, so that their CPU and memory are theirs alone). Input: a
// JSON job file. Over the IPC channel it reports `ready` (with how long the service took to
// start, inside this process) and answers `status` questions; SIGTERM or the parent going away
// closes the service cleanly (a snapshot being written is flushed).
import { readFileSync } from 'node:fs';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { verifierOf } from '@evenhand/log';
import { ORIGIN } from '@evenhand/testing';
import { startExchange, type RunningExchange } from '../src/exchange/start-exchange.ts';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.ts';
import { loadSealKey, publicJwkOf } from '../src/gateway/key-files.ts';
import { startWitness, type RunningWitness } from '../src/witness/start-witness.ts';
import { keepHeapNearLive } from '../src/heap-growth.ts';
import { createOfficialAccount } from '../src/auth/accounts.ts';
import type { Role } from '../src/auth/roles.ts';
import { growthKeys } from './growth-log.ts';

export type ServiceJob =
  | { readonly role: 'witnesses'; readonly dir: string; readonly names: readonly string[] }
  | { readonly role: 'exchange'; readonly db: string; readonly policyText: string; readonly fullReplay: boolean; readonly port?: number; readonly publish?: { readonly minIntervalMs: number; readonly tickMs: number }; readonly snapshotEvery?: number }
  | {
      readonly role: 'gateway';
      readonly party: string;
      readonly parties: readonly string[];
      readonly db: string;
      readonly dir: string;
      readonly policyText: string;
      readonly exchangeUrl: string;
      readonly fullReplay: boolean;
      readonly port?: number;
      readonly mirrorIntervalMs?: number;
      readonly snapshotEvery?: number;
      /** Officials' accounts to create (username → role), each with the password `<username>-pw`. */
      readonly accounts?: Readonly<Record<string, string>>;
    };

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ServiceJob;
// As `serve` runs a service (heap-growth.ts): the benchmarks measure what production runs.
keepHeapNearLive();
const keys = growthKeys();
const now = () => Math.floor(Date.now() / 1000);
const quiet = { logLevel: 'error' } as const;
const closers: (() => Promise<void>)[] = [];
let status: () => unknown = () => ({});
/** Once a restart from a snapshot has counted its figure index while serving (core FigureCell `counting`): how long after the start, and its longest hold of the event loop. */
let figuresCounted: { afterStartSeconds: number; longestSliceMs: number } | undefined;
const progress = { counted: ({ longestSliceMs }: { readonly longestSliceMs: number }) => (figuresCounted = { afterStartSeconds: (performance.now() - started) / 1000, longestSliceMs }) };

const started = performance.now();
if (job.role === 'witnesses') {
  const urls: Record<string, string> = {};
  for (const name of job.names) {
    const witness: RunningWitness = await startWitness({ store: { engine: 'sqlite', file: join(job.dir, `witness-${name}.db`) }, cosigner: keys.witnesses.get(name)!, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), now, transport: quiet });
    urls[name] = witness.url;
    closers.push(() => witness.close());
  }
  status = () => ({ urls });
} else if (job.role === 'exchange') {
  const exchange: RunningExchange = await startExchange({
    store: { engine: 'sqlite', file: job.db },
    origin: ORIGIN,
    logSigner: keys.log,
    policyText: job.policyText,
    authorKeys: new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])),
    ...(job.port === undefined ? {} : { port: job.port }),
    ...(job.publish ? { minPublishIntervalMs: job.publish.minIntervalMs, publishTickMs: job.publish.tickMs } : {}),
    now,
    transport: quiet,
    snapshots: { fullReplay: job.fullReplay, progress, ...(job.snapshotEvery === undefined ? {} : { every: job.snapshotEvery }) },
  });
  closers.push(() => exchange.close());
  status = () => ({ url: exchange.url, size: exchange.sequencer.size, published: exchange.publisher.latest?.size ?? 0, verifiedAhead: exchange.sequencer.signatureThread?.usedAhead ?? 0, passedOver: exchange.sequencer.signatureThread?.passedOver ?? 0 });
} else {
  const recipients = new Map<string, JWK>();
  for (const party of job.parties) recipients.set(party, publicJwkOf(await loadSealKey(join(job.dir, `${party}-seal.jwk`))));
  const gateway: RunningGateway = await startGateway({
    party: job.party,
    store: { engine: 'sqlite', file: job.db },
    origin: ORIGIN,
    exchangeUrl: job.exchangeUrl,
    policyText: job.policyText,
    ownWitness: job.party,
    entryKeyFile: join(job.dir, `${job.party}-entry.key`),
    sealKeyFile: join(job.dir, `${job.party}-seal.jwk`),
    sealRecipients: recipients,
    witnessCosigner: keys.witnesses.get(job.party)!,
    ...(job.mirrorIntervalMs === undefined ? {} : { mirrorIntervalMs: job.mirrorIntervalMs }),
    ...(job.port === undefined ? {} : { port: job.port }),
    now,
    transport: quiet,
    snapshots: { fullReplay: job.fullReplay, progress, ...(job.snapshotEvery === undefined ? {} : { every: job.snapshotEvery }) },
  });
  for (const [username, role] of Object.entries(job.accounts ?? {})) {
    await createOfficialAccount(gateway.store.db, { username, party: job.party, role: role as Role, password: `${username}-pw`, createdAt: 0 }).catch(() => undefined);
  }
  closers.push(() => gateway.close());
  status = () => ({ url: gateway.url, mirrored: gateway.gateway.mirror.size, verified: gateway.gateway.mirror.verified?.checkpoint.size ?? 0, halted: gateway.gateway.mirror.halted ?? null, alarms: gateway.gateway.alarms.list().map((alarm) => alarm.code), alarmMessages: gateway.gateway.alarms.list().map((alarm) => `${alarm.code}: ${alarm.message.slice(0, 400)}`) });
}
const startSeconds = (performance.now() - started) / 1000;

let closing = false;
async function stop(): Promise<void> {
  if (closing) return;
  closing = true;
  for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(`${job.role}: close failed: ${String(error)}`));
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
// How long the event loop was held (issue 14, "p99 ≤ 150 ms"): every request this process
// serves waits through a stall, so the slowest stalls since the last `status` with `loopDelay`
// say which process a filing's tail latency comes from.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// V8's full collections since the service was ready, counted with their pauses (the final,
// atomic part of each: the incremental marking before it, and the helper threads' work, are in
// the CPU figures, not here). The growth bench's idle windows (idle-windows.ts) show a window
// that held the memory reducer's one-off collections after a start.
const majorCollections = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (((entry as { detail?: { kind?: number } }).detail)?.kind !== perfConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
    majorCollections.count++;
    majorCollections.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
process.on('message', (message: { type: string; id: number; collect?: boolean; loopDelay?: boolean }) => {
  // A full collection first when asked and allowed (--expose-gc): the heap then holds only what is live.
  if (message.collect) (globalThis as { gc?: () => void }).gc?.();
  // With the V8 heap in use and the memory outside it: what RSS is made of (issue 14, "RSS flat").
  if (message.type !== 'status') return;
  const delay = message.loopDelay ? { loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } } : {};
  if (message.loopDelay) loopDelay.reset();
  process.send!({ type: 'status', id: message.id, ...(status() as object), figuresCounted, memory: process.memoryUsage(), majorCollections, ...delay });
});
process.send!({ type: 'ready', startSeconds, ...(status() as object) });
