import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerkleTree, parsePolicy, utf8, verifierOf } from '@evenhand/log';
import { openStore, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, scenarioPolicy, waitFor } from '@evenhand/testing';
import { CheckpointPublisher, QUICK_ROUND_ENTRIES } from '../src/exchange/publisher.ts';
import { startWitness, type RunningWitness } from '../src/witness/start-witness.ts';

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

  it('publishes each of two lone entries without the interval passing, then holds a backlog for the interval', async () => {
    const keys = scenarioKeys();
    const urls = new Map<string, string>();
    for (const [name, cosigner] of keys.witnesses) {
      const witness = await startWitness({ store: { engine: 'sqlite', file: join(dir, `witness-${name}.db`) }, cosigner, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), now });
      witnesses.push(witness);
      urls.set(name, witness.url);
    }
    const policy = parsePolicy(scenarioPolicy(keys, urls));
    assert.ok(policy.ok);
    const tree = new MerkleTree();
    // The timer that waits for the interval fires by real time and then reads the injected clock.
    const interval = 250;
    let clockMs = 1_000_000;
    const publisher = new CheckpointPublisher({ store, origin: ORIGIN, signer: keys.log, policyAt: () => policy.value, tree, durableSize: () => tree.size, now, minIntervalMs: interval, clockMs: () => clockMs });
    await publisher.load();
    try {
      for (const expected of [1, 2]) {
        tree.append(utf8(`lone entry ${expected}`));
        publisher.nudge();
        await waitFor(`checkpoint ${expected} published`, async () => publisher.latest?.size === expected, 10_000);
      }
      const quickRound = publisher.lastRoundStartedMs;
      assert.equal(quickRound, clockMs, 'both rounds began without the clock moving');

      // A backlog beyond a quick round waits for the interval from the last round's start.
      for (let n = 0; n < QUICK_ROUND_ENTRIES + 1; n++) tree.append(utf8(`backlog ${n}`));
      publisher.nudge();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(publisher.latest?.size, 2, 'the backlog is not signed before the interval has passed');
      clockMs += interval;
      await waitFor('the backlog published in one round', async () => publisher.latest?.size === tree.size, 10_000);
      assert.equal(publisher.lastRoundStartedMs, clockMs, 'one round, after the interval');
    } finally {
      await publisher.stop();
    }
  });
});
