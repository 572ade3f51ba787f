import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { genesis, replay, statistics, type AnyDomainEntry, type State } from '@evenhand/core';
import { leafHash, toHex, formatAddCheckpointBody, parsePolicy, type Policy } from '@evenhand/log';
import { createAccount, openStore, type Store } from '@evenhand/store';
import { honestView, ORIGIN, scenarioKeys, scenarioPolicy, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { hashPassword } from '../src/auth/password.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { buildServedLog, serveLogRoutes, type ServedLog } from './fake-log.ts';
import { freePort } from './gateway-stack.ts';

/** A log the fake exchange serves, with the state its entries replay to (for its statistics). */
interface FakeLog extends ServedLog {
  readonly state: State;
}

function makeLog(keys: ScenarioKeys, entries: readonly AnyDomainEntry[], cosigners: readonly string[], time: number): FakeLog {
  const replayed = replay(entries, genesis());
  if (!replayed.ok) throw new Error(replayed.error.message);
  // Every public view the gateway compares, honest at the log's head; the statistics route below may override.
  const views = (view: string, query: Record<string, string>) => honestView(replayed.value, view, query);
  return { ...buildServedLog(keys, entries, { cosigners, time }), views, state: replayed.value };
}

describe('gateway alarms against a fake exchange on loopback', () => {
  let dir: string;
  let keys: ScenarioKeys;
  let policy: Policy;
  let store: Store;
  let fake: FastifyInstance;
  let gateway: FastifyInstance;
  let clock = Math.floor(Date.now() / 1000);
  let served: FakeLog | undefined;
  let statisticsOverride: unknown;
  const submitted: Uint8Array[] = [];
  let logA: AnyDomainEntry[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-alarms-'));
    keys = scenarioKeys();
    const treaty = treatyWithKeys(keys);
    logA = [
      { author: 'US', time: clock - 100, type: 'treaty.propose', body: { treaty } },
      { author: 'US', time: clock - 90, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
      { author: 'RU', time: clock - 80, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    ] as AnyDomainEntry[];
    const parsed = parsePolicy(scenarioPolicy(keys));
    if (!parsed.ok) throw new Error(parsed.error.message);
    policy = parsed.value;

    fake = Fastify({ logger: false });
    fake.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    serveLogRoutes(fake, () => served);
    fake.get('/v1/statistics', async () => statisticsOverride ?? { at: clock, size: served?.size ?? 0, pairs: served ? statistics(served.state, clock) : [] });
    // Accepts every entry with an index, and never publishes it: the withholding exchange.
    fake.post('/v1/entries', async (request, reply) => {
      submitted.push(new Uint8Array(request.body as Buffer));
      return reply.status(201).send({ index: 1000 + submitted.length, leafHash: toHex(leafHash(new Uint8Array(request.body as Buffer))) });
    });
    const port = await freePort();
    await fake.listen({ host: '127.0.0.1', port });

    store = await openStore({ engine: 'sqlite', file: join(dir, 'gateway-US.db') });
    await createAccount(store.db, { username: 'us-approver-1', party: 'US', role: 'approver', passwordHash: await hashPassword('pw-approver'), createdAt: 0 });
    const seal = await generateSealKeyPair();
    gateway = await buildGatewayApp({
      peerCheckSeconds: 0,
      viewRecheckSeconds: 0,
      // Against a fake exchange, which sequences nothing: no transport keys (issue 17) beside the test's own submissions.
      caseKeyTimer: false,
      party: 'US',
      store,
      origin: ORIGIN,
      exchangeUrl: `http://127.0.0.1:${port}`,
      policy,
      ownWitness: 'US',
      entrySeed: keys.authors.get('US')!.seed,
      sealKey: seal.privateJwk,
      sealRecipients: new Map([['US', seal.publicJwk]]),
      witnessCosigner: keys.witnesses.get('US')!,
      inclusionTimeoutSeconds: 30,
      now: () => clock,
    });
  });
  after(async () => {
    await gateway?.close();
    await fake?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let session: { cookie: string; csrf: string } | undefined;
  async function health() {
    if (!session) {
      const login = await gateway.inject({ method: 'POST', url: '/api/login', payload: { username: 'us-approver-1', password: 'pw-approver' } });
      session = { cookie: login.cookies.find((entry) => entry.name === SESSION_COOKIE)!.value, csrf: (login.json() as { csrfToken: string }).csrfToken };
    }
    const answer = await gateway.inject({ method: 'GET', url: '/api/log-health', cookies: { [SESSION_COOKIE]: session.cookie } });
    return { body: answer.json() as { checkpoint: { size: number } | null; mirrorSize: number; alarms: { code: string; message: string; evidence?: Record<string, string> }[] }, ...session };
  }
  /** The note with the log's signature only, as the exchange sends it to a witness. */
  const logOnly = (note: string) => note.split('\n').filter((line) => !line.startsWith('\u2014 ') || line.startsWith(`\u2014 ${ORIGIN} `)).join('\n');
  const codes = async () => (await health()).body.alarms.map((alarm) => alarm.code);

  it('follows an honest log, cosigns it as the US witness, and raises nothing', async () => {
    served = makeLog(keys, logA.slice(0, 2), ['US', 'RU', 'CH'], clock);
    await gateway.gateway!.tick();
    const { body } = await health();
    assert.equal(body.checkpoint?.size, 2);
    assert.equal(body.mirrorSize, 2);
    assert.deepEqual(body.alarms, []);
    const cosigned = await gateway.inject({ method: 'POST', url: '/add-checkpoint', payload: formatAddCheckpointBody(0, [], logOnly(served.note)), headers: { 'content-type': 'text/plain' } });
    assert.equal(cosigned.statusCode, 200, cosigned.body);
  });

  it('raises QUORUM_MISSING for a checkpoint without its own witness, and clears it after', async () => {
    served = makeLog(keys, logA, ['RU', 'CH'], clock);
    await gateway.gateway!.tick();
    assert.ok((await codes()).includes('QUORUM_MISSING'));
    assert.equal((await health()).body.checkpoint?.size, 2, 'the unaccepted checkpoint is not adopted');
    served = makeLog(keys, logA, ['US', 'RU', 'CH'], clock);
    await gateway.gateway!.tick();
    assert.equal((await codes()).includes('QUORUM_MISSING'), false);
    assert.equal((await health()).body.checkpoint?.size, 3);
  });

  it('clears QUORUM_MISSING when the exchange serves again the very checkpoint it verified last', async () => {
    // The note verified last is not verified again (mirror.ts `pull`): what clears the alarm must still run.
    const verified = served!;
    served = makeLog(keys, logA, ['RU', 'CH'], clock);
    await gateway.gateway!.tick();
    assert.ok((await codes()).includes('QUORUM_MISSING'));
    served = verified;
    await gateway.gateway!.tick();
    assert.equal((await codes()).includes('QUORUM_MISSING'), false);
    assert.equal((await health()).body.checkpoint?.size, 3);
  });

  it('raises COSIGNED_IN_FUTURE when its clock goes back behind the checkpoint it verified last', async () => {
    // The same note as the last pull: checked again, since its cosignatures are now from the future.
    clock -= 3600;
    try {
      await gateway.gateway!.tick();
      assert.ok((await codes()).includes('COSIGNED_IN_FUTURE'));
    } finally {
      clock += 3600;
    }
    await gateway.gateway!.tick();
    assert.equal((await codes()).includes('COSIGNED_IN_FUTURE'), false);
  });

  it('raises VIEW_MISMATCH when the published statistics differ from its replay', async () => {
    statisticsOverride = { at: clock, size: 3, pairs: [{ requesting: 'US', requested: 'RU', filed: 45 }] };
    await gateway.gateway!.tick();
    assert.ok((await codes()).includes('VIEW_MISMATCH'));
    statisticsOverride = undefined;
    await gateway.gateway!.tick();
    assert.equal((await codes()).includes('VIEW_MISMATCH'), false);
  });

  it('raises NOT_INCLUDED when an accepted submission is not in a verified checkpoint in time', async () => {
    const { cookie, csrf } = await health();
    const treaty = treatyWithKeys(keys);
    const answer = await gateway.inject({ method: 'POST', url: '/api/treaty/ratify', cookies: { [SESSION_COOKIE]: cookie }, headers: { [CSRF_HEADER]: csrf }, payload: { treaty: treaty.id, version: treaty.version + 1 } });
    assert.equal(answer.statusCode, 201, answer.body);
    await gateway.gateway!.tick();
    assert.equal((await codes()).includes('NOT_INCLUDED'), false, 'still in time');
    clock += 31;
    await gateway.gateway!.tick();
    const alarm = (await health()).body.alarms.find((entry) => entry.code === 'NOT_INCLUDED');
    assert.ok(alarm, 'alarm raised');
    assert.match(alarm.message, /treaty\.ratify at index 1001/);
  });

  it('raises SPLIT_VIEW on a fork, keeps both notes as evidence, and its witness refuses to cosign the fork', async () => {
    const previous = served!.note;
    const fork = [logA[0]!, { ...logA[1]!, time: clock - 85 }, logA[2]!, { ...logA[2]!, author: 'US', time: clock - 70 }] as AnyDomainEntry[];
    served = makeLog(keys, fork.slice(0, 3), ['US', 'RU', 'CH'], clock);
    const forkNote = served.note;
    await gateway.gateway!.tick();
    const alarm = (await health()).body.alarms.find((entry) => entry.code === 'SPLIT_VIEW');
    assert.ok(alarm, 'SPLIT_VIEW raised');
    assert.equal(alarm.evidence?.previous, previous);
    assert.equal(alarm.evidence?.current, forkNote);
    assert.equal((await health()).body.checkpoint?.size, 3);
    // The witness cosigned size 2 of the honest log; a proof 2 → 3 of the fork must fail, and
    // from size 0 (as if the witness were new) the mirror's own view refuses it.
    const refused = await gateway.inject({ method: 'POST', url: '/add-checkpoint', payload: formatAddCheckpointBody(2, [], logOnly(served.note)), headers: { 'content-type': 'text/plain' } });
    assert.notEqual(refused.statusCode, 200, 'no cosignature for a fork');
    assert.match((await gateway.gateway!.mirror.agrees(ORIGIN, 3, served.root)) ?? 'cosigned', /^not cosigning .* size 3/);
  });

  it('raises EXCHANGE_UNREACHABLE when the exchange does not answer', async () => {
    await fake.close();
    await gateway.gateway!.tick();
    const alarm = (await health()).body.alarms.find((entry) => entry.code === 'EXCHANGE_UNREACHABLE');
    assert.ok(alarm);
    assert.match(alarm.message, /Check the exchange/);
  });
});
