/**
 * Issue 14, a gateway catching up: a gateway on an empty SQLite database catches up, in one
 * round, with a signed log of `entries` filings (100,000 unless given) served over HTTP on
 * loopback (test fake-log.ts: the exchange's checkpoint and tiles), as after a start on an
 * empty database or a long stop. It takes the gap a chunk at a time (gateway fresh-entries.ts
 * EXTENSION_CHUNK, or EVENHAND_CATCH_UP_CHUNK): each chunk fetched, checked against the signed
 * tree, replayed and stored before the next. Printed: the time and rate, the peak RSS it
 * added (what a chunk held at once showed here: held whole, a gap of 10^5 added 690 MB), and
 * the live heap after it, which is the replayed state itself. Issue 14 names no goal for it;
 * the figures are for the chunk's size and for operators (docs/deploying.md).
 * Run: npm run bench -- catch-up [entries]
 */
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy } from '@evenhand/log';
import { openStore } from '@evenhand/store';
import { fullCollection, ORIGIN, repeatedScenario, scenarioKeys, scenarioPolicy, treatyWithKeys } from '@evenhand/testing';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import { EXTENSION_CHUNK } from '../src/gateway/fresh-entries.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { buildServedLog, serveLogRoutes } from '../test/fake-log.ts';
import { filingsAfter } from '../test/snapshot-log.ts';
import { freePort } from '../test/gateway-stack.ts';

const entries = Number(process.argv[2] ?? 100_000);
const chunk = Number(process.env.EVENHAND_CATCH_UP_CHUNK ?? EXTENSION_CHUNK);
const DAY = 86_400;
const MB = 1024 * 1024;
const keys = scenarioKeys();
const collect = fullCollection();

// The scenario twice (a treaty in force, both parties' acts), then filings of requests of their own, 16 a second.
const opening = repeatedScenario(treatyWithKeys(keys), Math.floor(Date.now() / 1000) - 3 * 400 * DAY, 2);
const log = [...opening, ...filingsAfter(opening, Math.max(0, entries - opening.length), 'CU', 16)];
const built = performance.now();
const served = buildServedLog(keys, log);
console.log(`  a signed log of ${log.length.toLocaleString('en-US')} entries built in ${((performance.now() - built) / 1000).toFixed(1)} s (not measured)`);

const policy = parsePolicy(scenarioPolicy(keys));
if (!policy.ok) throw new Error(policy.error.message);
const exchange = Fastify({ logger: false });
serveLogRoutes(exchange, () => served);
const port = await freePort();
await exchange.listen({ host: '127.0.0.1', port });
const dir = mkdtempSync(join(tmpdir(), 'evenhand-catch-up-bench-'));
const store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway.db') });
const seal = await generateSealKeyPair();
const gateway = await buildGatewayApp({
  party: 'US', store, origin: ORIGIN, exchangeUrl: `http://127.0.0.1:${port}`, policy: policy.value, ownWitness: 'US',
  entrySeed: keys.authors.get('US')!.seed, sealKey: seal.privateJwk, sealRecipients: new Map([['US', seal.publicJwk]]), witnessCosigner: keys.witnesses.get('US')!, caseKeyTimer: false,
});
try {
  const mirror = gateway.gateway!.mirror;
  mirror.extensionChunk = chunk;
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  // resourceUsage().maxRSS is the process's peak so far (in KiB): what the catch-up adds to it is its own peak.
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  await gateway.gateway!.tick();
  const seconds = (performance.now() - started) / 1000;
  const peakAdded = process.resourceUsage().maxRSS * 1024 - peakBefore;
  if (mirror.size !== log.length || mirror.verified?.checkpoint.size !== log.length) throw new Error(`the gateway did not catch up: it holds ${mirror.size} of ${log.length} entries (halted: ${mirror.halted ?? 'no'})`);
  collect();
  const liveAdded = process.memoryUsage().heapUsed - heapBefore;
  console.log(`catch-up of ${log.length.toLocaleString('en-US')} entries in chunks of ${chunk.toLocaleString('en-US')}: ${seconds.toFixed(1)} s, ${Math.round(log.length / seconds).toLocaleString('en-US')} entries/s`);
  console.log(`  peak RSS added ${(peakAdded / MB).toFixed(0)} MB; live heap added ${(liveAdded / MB).toFixed(0)} MB (the replayed state), so about ${((peakAdded - liveAdded) / MB).toFixed(0)} MB held only while catching up`);
} finally {
  await gateway.close();
  await exchange.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
