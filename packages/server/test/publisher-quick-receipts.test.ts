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
 * proportion to its size; a flood, told by its rate, waits for the interval and goes in one
 * batch; a flow between waits in between. The publisher's clock is injected and never moves here
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

  /**
   * Entries `gapMs` apart on the publisher's clock, each after a pause of `pauseMs` of real time
   * in which a round may run, as with a few authors each waiting for its answer: rounds keep the
   * backlog small, and only the rate tells a flood from a trickle. Gives when each round began,
   * on the publisher's clock.
   */
  async function roundsOfFlow(name: string, flow: { gapMs: number; pauseMs: number; steps: number; interval: number }): Promise<number[]> {
    const { gapMs, pauseMs, steps, interval } = flow;
    const keys = scenarioKeys();
    const started = await startScenarioWitnesses(mkdtempSync(join(dir, `${name}-`)), keys, now);
    witnesses.push(...started.witnesses.values());
    const flowStore = await openStore({ engine: 'sqlite', file: join(dir, `${name}.db`) });
    const tree = new MerkleTree();
    let clockMs = FLOW_START;
    const publisher = new CheckpointPublisher({ store: flowStore, origin: ORIGIN, signer: keys.log, policyAt: () => started.policy, tree, durableSize: () => tree.size, now, minIntervalMs: interval, clockMs: () => clockMs });
    await publisher.load();
    const starts: number[] = [];
    try {
      for (let step = 0; step < steps; step++) {
        tree.append(utf8(`${name} ${step}`));
        publisher.nudge();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        clockMs += gapMs;
        if (publisher.lastRoundStartedMs !== (starts.at(-1) ?? 0)) starts.push(publisher.lastRoundStartedMs);
      }
    } finally {
      await publisher.stop();
      await flowStore.close();
    }
    return starts;
  }
  const FLOW_START = 1_000_000;
  const gaps = (starts: readonly number[]) => starts.slice(1).map((start, i) => start - starts[i]!);

  it('batches a flood once per interval, though each round leaves only a few entries waiting', async () => {
    const interval = 400;
    // Two entries a second more than a flood, 2 ms apart.
    const gapMs = 2;
    assert.ok(1000 / gapMs >= 2 * FLOOD_PER_SECOND);
    const starts = await roundsOfFlow('flood', { gapMs, pauseMs: 1, steps: 1500, interval });
    // The smoothed rate (a second's time constant) passes the flood's after ln 2 seconds of a flow twice as fast.
    const warm = FLOW_START + Math.ceil(1000 * Math.LN2);
    const flooded = starts.filter((start) => start >= warm);
    assert.ok(flooded.length >= 2, `rounds once the flow was a flood: ${flooded.length} (all rounds began at ${starts.map((start) => start - FLOW_START).join(', ')} ms)`);
    for (const gap of gaps(flooded)) assert.ok(gap >= interval, `rounds ${gaps(flooded).join(', ')} ms apart: one is closer than the interval`);
  });

  it('spaces the rounds of half a flood by an eighth of the interval: neither back to back nor batched', async () => {
    // A step at the flood's rate made the sustained run flip between rounds back to back and
    // one a second, and lose a quarter of its filings in the minutes of the first (publisher.ts
    // `spacingMs`). Half a flood is spaced by (1/2)³ of the interval: 500 ms here, where rounds
    // back to back come every 10 to 50 ms and a square would give 1,000. The publisher's clock
    // moves with real time, so that the timer that waits for a round fires when that clock is
    // due (about 6 s). A round comes later than its spacing only while the one before still
    // runs, so the bound above holds unless a round takes 300 ms more than its spacing.
    const interval = 4000;
    const gapMs = 1000 / (FLOOD_PER_SECOND / 2);
    const starts = await roundsOfFlow('half-flood', { gapMs, pauseMs: gapMs, steps: 750, interval });
    // Three time constants: the smoothed rate is past 95% of the flow's, and the spacing past 0.95³ of 500 ms.
    const warmed = starts.filter((start) => start >= FLOW_START + 3000);
    const spacing = interval / 8;
    assert.ok(warmed.length >= 4, `rounds once the rate settled: ${warmed.length} (all rounds began at ${starts.map((start) => start - FLOW_START).join(', ')} ms)`);
    for (const gap of gaps(warmed)) {
      assert.ok(gap >= 0.95 ** 3 * spacing, `rounds ${gaps(warmed).join(', ')} ms apart: one is closer than ${spacing} ms allows`);
      assert.ok(gap < 1.6 * spacing, `rounds ${gaps(warmed).join(', ')} ms apart: one waited well past ${spacing} ms`);
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
