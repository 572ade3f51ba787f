import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerkleTree, parsePolicy, utf8 } from '@evenhand/log';
import { openStore, readCheckpoint, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, waitFor } from '@evenhand/testing';
import { CheckpointPublisher, QUICK_ROUND_ENTRIES } from '../src/exchange/publisher.ts';
import type { RunningWitness } from '../src/witness/start-witness.ts';
import { startScenarioWitnesses } from './exchange-stack.ts';

/**
 * Issue 14, "quick receipts": while the log is nearly idle, a submission is checkpointed and
 * cosigned at once, not at the next tick of the minimum interval; a larger backlog waits for
 * the interval and goes in one batch. The publisher's clock is injected and never moves here
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

    // A backlog beyond a quick round waits for the interval from the last round's start. The
    // timer that waits fires by real time, then reads the injected clock.
    const interval = 250;
    const batching = await publisherWith(interval);
    try {
      batching.nudge();
      await waitFor('a first round of the second publisher', async () => batching.lastRoundStartedMs === clockMs, 10_000);
      for (let n = 0; n < QUICK_ROUND_ENTRIES + 1; n++) tree.append(utf8(`backlog ${n}`));
      batching.nudge();
      await new Promise((resolve) => setTimeout(resolve, 3 * interval));
      assert.equal(batching.latest?.size, 4, 'the backlog is not signed before the interval has passed');
      clockMs += interval;
      await waitFor('the backlog published in one round', async () => batching.latest?.size === tree.size, 10_000);
      assert.equal(batching.lastRoundStartedMs, clockMs, 'one round, after the interval');
    } finally {
      await batching.stop();
    }
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
