import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenario2021, type AnyDomainEntry } from '@evenhand/core';
import { MerkleTree, parseCheckpoint, parseNote, parsePolicy, utf8, verifyCheckpoint } from '@evenhand/log';
import { openStore, readArchivedCheckpoint, readCheckpoint, swapCheckpoint, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, treatyWithKeys } from '@evenhand/testing';
import { buildExchangeApp } from '../src/exchange/exchange-app.ts';
import { CheckpointPublisher } from '../src/exchange/publisher.ts';
import { latestSeen, postEntry, startScenarioWitnesses, startStack, type Stack } from './exchange-stack.ts';
import type { RunningWitness } from '../src/witness/start-witness.ts';

/**
 * The publisher's promises under attack: no checkpoint is published without the witness
 * quorum, `?wait=1` gives up in time, the fork guard refuses to sign when the stored head
 * does not match the tree (at run time and at start), and signing rounds are rate-limited.
 */
const now = () => Math.floor(Date.now() / 1000);

async function publishedSize(url: string): Promise<number> {
  const response = await fetch(`${url}/checkpoint`);
  if (response.status !== 200) return 0;
  const note = parseNote(await response.text());
  assert.ok(note.ok);
  const checkpoint = parseCheckpoint(note.value.text);
  assert.ok(checkpoint.ok);
  return checkpoint.value.size;
}

describe('adversarial: witness quorum, ?wait=1 and the fork guard', () => {
  let stack: Stack;
  let entries: AnyDomainEntry[];
  let next = 0;

  /** Submits the next scenario entry (without waiting for a checkpoint). */
  async function submitNext(): Promise<number> {
    const domain = entries[next++]!;
    const writer = stack.writers.get(domain.author)!;
    stack.clock.advanceTo(domain.time);
    const signed = writer.sign(domain, await latestSeen(stack.exchange.url));
    const response = await postEntry(stack.exchange.url, signed.bytes);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    writer.commit(signed);
    return Number(response.body.index);
  }

  before(async () => {
    stack = await startStack();
    entries = scenario2021(treatyWithKeys(stack.keys), now());
    for (let i = 0; i < 5; i++) await submitNext();
    await stack.exchange.publisher.publish();
    assert.equal(await publishedSize(stack.exchange.url), 5, 'a first checkpoint with all three witnesses');
  });
  after(async () => stack?.close());

  it('publishes nothing while the neutral witness is down, even though both states cosign', async () => {
    const ch = stack.witnesses.get('CH')!;
    await ch.close();
    stack.witnesses.delete('CH');
    for (let i = 0; i < 3; i++) await submitNext();
    for (let round = 0; round < 3; round++) await stack.exchange.publisher.publish();
    assert.equal(await publishedSize(stack.exchange.url), 5, 'the checkpoint did not move');
    const health = stack.exchange.publisher.health;
    assert.equal(health.publishedSize, 5);
    assert.equal(health.signedSize, 8, 'signed, sent to witnesses, never published');
    assert.ok(health.problem, 'the health report says why');
    assert.deepEqual([...health.cosigners].sort(), [], 'a failed quorum reports no cosigners as published');
    // Whatever /checkpoint serves verifies against the full policy.
    const served = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    assert.ok(verifyCheckpoint(served, stack.policy, 'US').ok);
  });

  it('answers ?wait=1 with 202 once its wait is over, the entry stored but not yet witnessed', async () => {
    const { store, sequencer, publisher } = stack.exchange;
    const authorKeys = new Map([...stack.keys.authors].map(([author, signer]) => [author, signer.publicKey]));
    const app = await buildExchangeApp({ store, sequencer, publisher, origin: ORIGIN, policyText: () => stack.policyText, now, maxWaitMs: 700, authorKeys: (author: string) => authorKeys.get(author) });
    try {
      const domain = entries[next++]!;
      const writer = stack.writers.get(domain.author)!;
      stack.clock.advanceTo(domain.time);
      const signed = writer.sign(domain, await latestSeen(stack.exchange.url));
      const started = Date.now();
      const answer = await app.inject({ method: 'POST', url: '/v1/entries?wait=1', payload: Buffer.from(signed.bytes), headers: { 'content-type': 'application/json' } });
      const took = Date.now() - started;
      assert.equal(answer.statusCode, 202, answer.body);
      writer.commit(signed);
      assert.ok(took >= 600 && took < 5000, `waited ${took} ms for a 700 ms limit`);
      const body = answer.json() as { index: number; tlogProof?: string };
      assert.equal(body.index, 8);
      assert.equal(body.tlogProof, undefined, 'no proof without a witnessed checkpoint');
      assert.equal(sequencer.size, 9, 'stored all the same');
      const bad = await app.inject({ method: 'POST', url: '/v1/entries?wait=2', payload: Buffer.from(signed.bytes), headers: { 'content-type': 'application/json' } });
      assert.equal(bad.statusCode, 400, 'wait is 0 or 1');
    } finally {
      await app.close();
    }
  });

  it('the fork guard refuses to sign when the stored head does not match the tree, and a restart refuses to start', async () => {
    const { store, publisher, sequencer } = stack.exchange;
    // Someone rewrites the stored head (another operator process, a restored backup). The
    // background rounds may move the head meanwhile: retry the swap a few times.
    let forged: { origin: string; size: number; root: Uint8Array; note: string; updatedAt: number } | undefined;
    for (let attempt = 0; attempt < 5 && !forged; attempt++) {
      await publisher.publish();
      const head = await readCheckpoint(store.db, 'log_head', ORIGIN);
      assert.ok(head && head.size >= 8, `a head was signed past the last publication, found ${head?.size}`);
      const candidate = { origin: ORIGIN, size: head.size, root: new Uint8Array(32).fill(7), note: 'forged head\n', updatedAt: head.updatedAt };
      if (await swapCheckpoint(store.db, 'log_head', { size: head.size, root: head.root }, candidate)) forged = candidate;
    }
    assert.ok(forged, 'the stored head was replaced');
    const witnessSizes = async () => Promise.all(['US', 'RU'].map(async (name) => (await readCheckpoint(stack.witnesses.get(name)!.store.db, 'witness_state', ORIGIN))?.size ?? 0));
    const before = await witnessSizes();
    await submitNext();
    for (let round = 0; round < 3; round++) await publisher.publish();
    const after = await readCheckpoint(store.db, 'log_head', ORIGIN);
    assert.equal(after?.note, 'forged head\n', 'no new head was signed over the mismatching one');
    assert.deepEqual(await witnessSizes(), before, 'no witness was asked to cosign past the mismatch');
    assert.match(publisher.health.problem ?? '', /fork guard/);
    assert.equal(await publishedSize(stack.exchange.url), 5);
    const restarted = new CheckpointPublisher({ store, origin: ORIGIN, signer: stack.keys.log, policyAt: () => stack.policy, tree: sequencer.verifier.tree, durableSize: () => sequencer.size, now });
    await assert.rejects(restarted.load(), /fork guard/);
    // A head beyond the stored entries (entries lost in a crash) is refused at start too.
    assert.ok(await swapCheckpoint(store.db, 'log_head', { size: forged.size, root: forged.root }, { ...forged, size: sequencer.size + 10, root: sequencer.verifier.tree.root() }));
    await assert.rejects(restarted.load(), /fork guard/);
  });
});

describe('adversarial: the publisher signs at most one checkpoint per interval', () => {
  let dir: string;
  let store: Store;
  let witness: Server;
  const arrivals: number[] = [];
  // The publisher's clock in milliseconds, moved by the test: the gaps asserted are the
  // publisher's own spacing by its clock, not the timing of a loaded machine.
  let clockMs = 0;
  let publisher: CheckpointPublisher | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-adv-publisher-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
    // A witness that counts add-checkpoint requests and refuses them all (so nothing publishes).
    witness = createServer((request, response) => {
      // Each request comes from a round in flight: note when, by the publisher's clock, it began.
      arrivals.push(publisher?.lastRoundStartedMs ?? -1);
      request.resume();
      request.on('end', () => response.writeHead(503).end('busy\n'));
    });
    await new Promise<void>((resolve) => witness.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => witness.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('while the log grows every 10 ms and every append nudges, rounds start at least the interval apart', async () => {
    const keys = scenarioKeys();
    const address = witness.address();
    const witnessUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Only CH has a URL: one request per signing round.
    const policy = parsePolicy(scenarioPolicy(keys, new Map([['CH', witnessUrl]])));
    assert.ok(policy.ok);
    const tree = new MerkleTree();
    const interval = 250;
    publisher = new CheckpointPublisher({ store, origin: ORIGIN, signer: keys.log, policyAt: () => policy.value, tree, durableSize: () => tree.size, now, minIntervalMs: interval, witnessTimeoutMs: 500, clockMs: () => clockMs });
    await publisher.load();
    // 150 appends, 10 ms apart on the publisher's clock (1.5 s), each nudging for a round.
    let appended = 0;
    for (let step = 0; step < 150; step++) {
      tree.append(utf8(`leaf-${appended++}`));
      publisher.nudge();
      await new Promise((resolve) => setTimeout(resolve, 10));
      clockMs += 10;
    }
    await publisher.stop();
    assert.ok(arrivals.length >= 2, `the publisher kept signing as the log grew (${arrivals.length} rounds)`);
    assert.ok(arrivals.length <= Math.floor(clockMs / interval) + 1, `${arrivals.length} rounds in ${clockMs} ms with a ${interval} ms interval`);
    for (let i = 1; i < arrivals.length; i++) {
      assert.ok(arrivals[i]! - arrivals[i - 1]! >= interval, `rounds ${i - 1} and ${i} were ${arrivals[i]! - arrivals[i - 1]!} ms apart on the publisher's clock`);
    }
    const head = await readCheckpoint(store.db, 'log_head', ORIGIN);
    assert.ok(head && head.size <= appended);
    assert.equal(publisher.latest, undefined, 'nothing published without cosignatures');
  });
});

describe('adversarial: witnesses whose clocks lag behind the entries they would cover', () => {
  let dir: string;
  let store: Store;
  const witnesses: RunningWitness[] = [];
  const T = Math.floor(Date.now() / 1000);
  let witnessClock = T - 3600;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-lagging-witnesses-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
  });
  after(async () => {
    for (const witness of witnesses) await witness.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes no checkpoint whose entries are dated after its witnesses cosigned it (rule 2), and does once their time has come', async () => {
    const keys = scenarioKeys();
    const started = await startScenarioWitnesses(dir, keys, () => witnessClock);
    witnesses.push(...started.witnesses.values());
    const tree = new MerkleTree();
    tree.append(utf8('an entry dated T'));
    const publisher = new CheckpointPublisher({ store, origin: ORIGIN, signer: keys.log, policyAt: () => started.policy, tree, durableSize: () => tree.size, now: () => T, latestUncoveredTime: (size) => (size >= 1 ? T : undefined) });
    await publisher.load();
    await publisher.publish();
    assert.equal(publisher.latest, undefined, 'cosigned an hour before the entry it covers: not published');
    assert.match(publisher.health.problem ?? '', /dated \d+, more than 300 s after its witnesses cosigned it .*their clocks lag; not published/);
    assert.equal(await readArchivedCheckpoint(store.db, 1), undefined, 'nor archived');
    witnessClock = T;
    await publisher.publish();
    assert.equal(publisher.health.publishedSize, 1);
    assert.equal((await readArchivedCheckpoint(store.db, 1))?.witnessedAt, T);
  });
});
