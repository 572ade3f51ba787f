import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerkleTree, parsePolicy, utf8 } from '@evenhand/log';
import { openStore, readCheckpoint, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, waitFor } from '@evenhand/testing';
import { CheckpointPublisher, FLOOD_PER_SECOND, QUICK_ROUND_ENTRIES } from '../src/exchange/publisher.ts';
import type { RunningWitness } from '../src/witness/start-witness.ts';
import { startScenarioWitnesses } from './exchange-stack.ts';

/**
 * Issue 14, "quick receipts": while the log is nearly idle, a submission is checkpointed and
 * cosigned at once, not at the next tick of the minimum interval; a larger backlog waits in
 * proportion to its size; a flood, told by its rate, waits for the interval and goes in one batch. The publisher's clock is injected and never moves here
 * unless the test moves it, so "at once" means "without the interval passing".
 */
describe('the publisher checkpoints a lone submission at once and batches a backlog', () => {
  let dir: string;
  let store: Store;
  const witnesses: RunningWitness[] = [];
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-quick-receipts-'));
    store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
  });
  after(async () => {
    for (const witness of witnesses) await witness.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes lone entries, one of them arriving mid-round, without the interval passing, then holds a backlog for the interval', async () => {
    const keys = scenarioKeys();
    const started = await startScenarioWitnesses(dir, keys, now);
    witnesses.push(...started.witnesses.values());
    const policy = started.policy;
    const tree = new MerkleTree();
    let clockMs = 1_000_000;
    const publisherWith = async (minIntervalMs: number) => {
      const publisher = new CheckpointPublisher({ store, origin: ORIGIN, signer: keys.log, policyAt: () => policy, tree, durableSize: () => tree.size, now, minIntervalMs, clockMs: () => clockMs });
      await publisher.load();
      return publisher;
    };

    // An interval far beyond the test's time limit: a round that waited for it would never come.
    const quick = await publisherWith(3_600_000);
    try {
      for (const expected of [1, 2]) {
        tree.append(utf8(`lone entry ${expected}`));
        quick.nudge();
        await waitFor(`checkpoint ${expected} published`, async () => quick.latest?.size === expected, 10_000);
      }
      // An entry that arrives while a round runs gets the next round at once too. The head is
      // signed and stored before the witnesses are asked: from then the round is in flight.
      tree.append(utf8('lone entry 3'));
      quick.nudge();
      for (let polls = 0; polls < 2000 && (await readCheckpoint(store.db, 'log_head', ORIGIN))?.size !== 3; polls++) await new Promise((resolve) => setTimeout(resolve, 1));
      tree.append(utf8('lone entry 4, during the round of 3'));
      quick.nudge();
      await waitFor('checkpoint 4 published', async () => quick.latest?.size === 4, 10_000);
      assert.equal(quick.lastRoundStartedMs, clockMs, 'every round began without the clock moving');
    } finally {
      await quick.stop();
    }

    // Beyond a quick round, a backlog waits as long as a flood (FLOOD_PER_SECOND) would take
    // to bring it: 4 ms an entry. The timer that waits fires by real time, then reads the
    // injected clock.
    // Longer than the spacing in real time: the timer set at the nudge fires, reads the injected clock, and must find it short.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 600));
    const batching = await publisherWith(1000);
    try {
      batching.nudge();
      await waitFor('a first round of the second publisher', async () => batching.lastRoundStartedMs === clockMs, 10_000);
      const first = clockMs;
      for (let n = 0; n < QUICK_ROUND_ENTRIES + 100; n++) tree.append(utf8(`backlog ${n}`));
      batching.nudge();
      const wait = (100 * 1000) / FLOOD_PER_SECOND;
      clockMs += wait - 1;
      await settle();
      assert.equal(batching.latest?.size, 4, `a backlog of 100 beyond the quick few waits ${wait} ms`);
      clockMs += 1;
      await waitFor('the backlog published in one round', async () => batching.latest?.size === tree.size, 10_000);
      assert.equal(batching.lastRoundStartedMs, first + wait, `one round, ${wait} ms after the last`);
    } finally {
      await batching.stop();
    }
  });

  it('batches a flood once per interval, though each round leaves only a few entries waiting', async () => {
    const keys = scenarioKeys();
    const started = await startScenarioWitnesses(mkdtempSync(join(dir, 'flood-')), keys, now);
    witnesses.push(...started.witnesses.values());
    const flood = await openStore({ engine: 'sqlite', file: join(dir, 'flood.db') });
    const tree = new MerkleTree();
    let clockMs = 1_000_000;
    const interval = 400;
    const publisher = new CheckpointPublisher({ store: flood, origin: ORIGIN, signer: keys.log, policyAt: () => started.policy, tree, durableSize: () => tree.size, now, minIntervalMs: interval, clockMs: () => clockMs });
    await publisher.load();
    // Two entries a second more than a flood, 2 ms apart on the publisher's clock, each after
    // a pause of real time in which a round may run: as with a few authors each waiting for its
    // answer, rounds keep the backlog small, and only the rate tells the flood from a trickle.
    const gapMs = 2;
    assert.ok(1000 / gapMs >= 2 * FLOOD_PER_SECOND);
    const starts: number[] = [];
    try {
      for (let step = 0; step < 1500; step++) {
        tree.append(utf8(`flood ${step}`));
        publisher.nudge();
        await new Promise((resolve) => setTimeout(resolve, 1));
        clockMs += gapMs;
        if (publisher.lastRoundStartedMs !== (starts.at(-1) ?? 0)) starts.push(publisher.lastRoundStartedMs);
      }
    } finally {
      await publisher.stop();
      await flood.close();
    }
    // The smoothed rate (a second's time constant) passes the flood's after ln 2 seconds of a flow twice as fast.
    const warm = 1_000_000 + Math.ceil(1000 * Math.LN2);
    const flooded = starts.filter((start) => start >= warm);
    assert.ok(flooded.length >= 2, `rounds once the flow was a flood: ${flooded.length} (all rounds began at ${starts.map((start) => start - 1_000_000).join(', ')} ms)`);
    for (let i = 1; i < flooded.length; i++) assert.ok(flooded[i]! - flooded[i - 1]! >= interval, `rounds ${flooded[i - 1]! - 1_000_000} and ${flooded[i]! - 1_000_000} ms are closer than the interval`);
  });

  it('reports a round that throws, keeps the process up, and stops cleanly', async () => {
    const keys = scenarioKeys();
    const policy = parsePolicy(scenarioPolicy(keys));
    assert.ok(policy.ok);
    const broken = await openStore({ engine: 'sqlite', file: join(dir, 'broken.db') });
    const tree = new MerkleTree();
    tree.append(utf8('an entry the store will not take a checkpoint of'));
    const publisher = new CheckpointPublisher({ store: broken, origin: ORIGIN, signer: keys.log, policyAt: () => policy.value, tree, durableSize: () => tree.size, now, minIntervalMs: 60_000 });
    await publisher.load();
    // The store fails under the round: signing the head writes to it.
    await broken.close();
    publisher.nudge();
    await waitFor('the failed round reported', async () => /the signing round failed/.test(publisher.health.problem ?? ''), 10_000);
    await publisher.stop();
  });
});
