import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AnyDomainEntry } from '@evenhand/core';
import { formatAddCheckpointBody, makeSigner, parsePolicy } from '@evenhand/log';
import { countEntries, createAccount, openStore, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, testSeed, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { hashPassword } from '../src/auth/password.ts';
import { SESSION_COOKIE } from '../src/auth/sessions.ts';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { buildServedLog, serveLogRoutes, type ServedLog } from './fake-log.ts';
import { freePort } from './gateway-stack.ts';

/**
 * A malicious exchange against a gateway's mirror and embedded witness: checkpoints signed by
 * the wrong key, tiles of another tree, tampered entry bundles, and a log-signed tree that
 * holds a forged entry. The mirror must adopt none of them, store nothing from them, raise
 * an alarm, and its witness must refuse to cosign them.
 */
describe('adversarial: a malicious exchange against the gateway’s mirror and witness', () => {
  let dir: string;
  let keys: ScenarioKeys;
  let store: Store;
  let fake: FastifyInstance;
  let gateway: FastifyInstance;
  let served: ServedLog | undefined;
  let cookie = '';
  let log: AnyDomainEntry[];
  const requested: string[] = [];
  /** Holds the fake exchange's answers to GET /checkpoint while a test needs a sync in flight. */
  let checkpointGate: Promise<void> = Promise.resolve();
  const clock = Math.floor(Date.now() / 1000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-adv-mirror-'));
    keys = scenarioKeys();
    const treaty = treatyWithKeys(keys);
    log = [
      { author: 'US', time: clock - 100, type: 'treaty.propose', body: { treaty } },
      { author: 'US', time: clock - 90, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      { author: 'RU', time: clock - 80, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    ] as AnyDomainEntry[];
    const policy = parsePolicy(scenarioPolicy(keys));
    if (!policy.ok) throw new Error(policy.error.message);
    fake = Fastify({ logger: false });
    serveLogRoutes(fake, () => served, requested, () => checkpointGate);
    const port = await freePort();
    await fake.listen({ host: '127.0.0.1', port });
    store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway-US.db') });
    await createAccount(store.db, { username: 'us-observer', party: 'US', role: 'observer', passwordHash: await hashPassword('pw'), createdAt: 0 });
    const seal = await generateSealKeyPair();
    gateway = await buildGatewayApp({
      party: 'US',
      store,
      origin: ORIGIN,
      exchangeUrl: `http://127.0.0.1:${port}`,
      policy: policy.value,
      ownWitness: 'US',
      entrySeed: keys.authors.get('US')!.seed,
      sealKey: seal.privateJwk,
      sealRecipients: new Map([['US', seal.publicJwk]]),
      witnessCosigner: keys.witnesses.get('US')!,
      now: () => clock,
    });
    const login = await gateway.inject({ method: 'POST', url: '/api/login', payload: { username: 'us-observer', password: 'pw' } });
    cookie = login.cookies.find((entry) => entry.name === SESSION_COOKIE)!.value;
  });
  after(async () => {
    await gateway?.close();
    await fake?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function health() {
    const answer = await gateway.inject({ method: 'GET', url: '/api/log-health', cookies: { [SESSION_COOKIE]: cookie } });
    return answer.json() as { checkpoint: { size: number } | null; mirrorSize: number; halted: string | null; alarms: { code: string; message: string }[] };
  }
  /** The note with the log's signature only, as the exchange sends it to a witness. */
  const logOnly = (note: string) => note.split('\n').filter((line) => !line.startsWith('\u2014 ') || line.startsWith(`\u2014 ${ORIGIN} `)).join('\n');
  const askWitness = (oldSize: number, note: string) => gateway.inject({ method: 'POST', url: '/add-checkpoint', payload: formatAddCheckpointBody(oldSize, [], logOnly(note)), headers: { 'content-type': 'text/plain' } });

  /** Serves `log`, ticks, and checks that nothing moved and an INCONSISTENT alarm is up. */
  async function refusedAt(what: string, log: ServedLog, expectHalt = false) {
    const storedBefore = await countEntries(store.db);
    served = log;
    await gateway.gateway!.tick();
    const state = await health();
    assert.equal(state.checkpoint?.size, 2, `${what}: the checkpoint was not adopted`);
    assert.equal(await countEntries(store.db), storedBefore, `${what}: nothing stored`);
    assert.ok(state.alarms.some((alarm) => alarm.code === 'INCONSISTENT'), `${what}: INCONSISTENT raised (${JSON.stringify(state.alarms)})`);
    assert.equal(state.halted !== null, expectHalt, `${what}: halted ${state.halted}`);
    const cosigned = await askWitness(2, log.note);
    assert.notEqual(cosigned.statusCode, 200, `${what}: the embedded witness cosigned it`);
  }

  it('follows the honest log first, from its entry bundles alone', async () => {
    served = buildServedLog(keys, log.slice(0, 2));
    // A sync alone: the gateway's round also audits the hash tiles, at most every peerCheckSeconds.
    await gateway.gateway!.mirror.sync();
    const state = await health();
    assert.equal(state.checkpoint?.size, 2);
    assert.equal(state.mirrorSize, 2);
    assert.deepEqual(state.alarms, []);
    // The entries built the signed root: no hash tile was needed to trust them (fresh-entries.ts).
    assert.ok(requested.includes('tile/entries/000.p/2'), `the bundle was read (${requested.join(', ')})`);
    assert.deepEqual(requested.filter((path) => /^tile\/\d/.test(path)), [], 'no hash tile read');
    assert.equal((await askWitness(0, served.note)).statusCode, 200);
  });

  it('shares one sync among the callers that ask while it waits for its turn', async () => {
    requested.length = 0;
    const mirror = gateway.gateway!.mirror;
    await Promise.all([mirror.sync(), mirror.sync(), mirror.sync()]);
    assert.deepEqual(requested.filter((path) => path === 'checkpoint'), ['checkpoint'], 'three callers, one read of the checkpoint');
    // A sync asked after the shared one began reads the checkpoint again.
    await mirror.sync();
    assert.equal(requested.filter((path) => path === 'checkpoint').length, 2);
    // Even while that one is still reading: what it reads may predate the caller's question.
    let release = () => {};
    checkpointGate = new Promise((resolve) => (release = resolve));
    const reads = () => requested.filter((path) => path === 'checkpoint').length;
    const first = mirror.sync();
    for (let turns = 0; turns < 1000 && reads() < 3; turns++) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(reads(), 3, 'the first sync is reading the checkpoint');
    const second = mirror.sync();
    checkpointGate = Promise.resolve();
    release();
    await Promise.all([first, second]);
    assert.equal(reads(), 4, 'a sync asked while another reads reads again');
  });

  it('refuses a checkpoint signed by another key under the log’s name', async () => {
    const impostor = buildServedLog(keys, log, { logKey: makeSigner(ORIGIN, testSeed('impostor-log')) });
    served = impostor;
    await gateway.gateway!.tick();
    const state = await health();
    assert.equal(state.checkpoint?.size, 2);
    assert.ok(state.alarms.some((alarm) => alarm.code === 'INCONSISTENT' || alarm.code === 'QUORUM_MISSING'), JSON.stringify(state.alarms));
    const cosigned = await askWitness(2, impostor.note);
    assert.equal(cosigned.statusCode, 403, 'no trusted log signature');
  });

  it('refuses tiles of another tree than the signed checkpoint', async () => {
    const honest = buildServedLog(keys, log);
    const other = buildServedLog(keys, [...log.slice(0, 2), { ...log[2]!, time: clock - 79 }]);
    await refusedAt('tiles of another tree', { ...honest, tiles: other.tiles });
  });

  it('refuses an entry bundle that does not match the hash tiles', async () => {
    const honest = buildServedLog(keys, log);
    const tiles = new Map(honest.tiles);
    const path = [...tiles.keys()].find((key) => key.startsWith('tile/entries/'))!;
    const bundle = new Uint8Array(tiles.get(path)!);
    bundle[bundle.length - 10] = bundle[bundle.length - 10]! ^ 0x01;
    tiles.set(path, bundle);
    await refusedAt('a flipped byte in an entry', { ...honest, tiles });
  });

  it('refuses a bundle that forges an entry the mirror already holds, though the new entries build the signed root', async () => {
    const honest = buildServedLog(keys, log);
    const tiles = new Map(honest.tiles);
    const path = [...tiles.keys()].find((key) => key.startsWith('tile/entries/'))!;
    const bundle = new Uint8Array(tiles.get(path)!);
    // Inside entry 0 (after its two-byte length), which the mirror verified at size 2.
    bundle[10] = bundle[10]! ^ 0x01;
    tiles.set(path, bundle);
    await refusedAt('a flipped byte in an entry below the mirror’s size', { ...honest, tiles });
  });

  it('refuses entry bundles of another tree beside honest hash tiles, and the tiles name the fault', async () => {
    const honest = buildServedLog(keys, log);
    const other = buildServedLog(keys, [...log.slice(0, 2), { ...log[2]!, time: clock - 79 }]);
    const tiles = new Map([...honest.tiles].map(([path, bytes]) => [path, path.startsWith('tile/entries/') ? other.tiles.get(path)! : bytes]));
    requested.length = 0;
    await refusedAt('bundles of another tree', { ...honest, tiles });
    // Their leaves did not build the signed root, so the tiles were read to say why.
    assert.ok(requested.some((path) => /^tile\/0\//.test(path)), `the hash tiles were read (${requested.join(', ')})`);
    assert.ok((await health()).alarms.some((alarm) => /do not hash to its leaf/.test(alarm.message)), 'the bundle is named as the fault');
  });

  it('raises hash tiles that contradict the verified checkpoint, which extensions no longer read', async () => {
    const honest = buildServedLog(keys, log.slice(0, 2));
    const mirror = gateway.gateway!.mirror;
    served = honest;
    await mirror.peerChecks.checkServedTiles();
    assert.ok(!(await health()).alarms.some((alarm) => /tiles for size 2/.test(alarm.message)), 'honest tiles raise nothing');
    const tiles = new Map(honest.tiles);
    const path = [...tiles.keys()].find((key) => /^tile\/0\//.test(key))!;
    tiles.set(path, new Uint8Array(tiles.get(path)!.length).fill(7));
    served = { ...honest, tiles };
    await mirror.peerChecks.checkServedTiles();
    const alarm = (await health()).alarms.find((raised) => raised.code === 'INCONSISTENT');
    assert.match(alarm?.message ?? '', /the exchange's tiles for size 2 give a root other than its signed checkpoint/);
    served = { ...honest, tiles: new Map([...honest.tiles].filter(([key]) => !/^tile\/0\//.test(key))) };
    await mirror.peerChecks.checkServedTiles();
    assert.match((await health()).alarms.find((raised) => raised.code === 'INCONSISTENT')?.message ?? '', /the exchange's tiles for size 2 are unusable/);
  });

  it('halts on a log-signed, witnessed tree that holds an entry with a forged author signature', async () => {
    // The operator signs (and the other witnesses cosign) a tree whose third entry claims RU
    // but is signed with another key: the mirror must not replay it, and stops (fail-stop).
    const forged = buildServedLog(keys, log, { seedOf: (author, i) => (i === 2 ? testSeed('not-ru') : keys.authors.get(author)!.seed) });
    await refusedAt('a forged entry', forged, true);
    // After the halt even the honest tree is not adopted until a restart re-verifies the store.
    served = buildServedLog(keys, log);
    await gateway.gateway!.tick();
    assert.equal((await health()).checkpoint?.size, 2);
    assert.equal(await countEntries(store.db), 2, 'the stored mirror is the verified prefix');
  });
});
