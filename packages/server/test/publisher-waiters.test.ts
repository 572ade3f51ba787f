import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CheckpointPublisher, MAX_WAITERS, type PublisherOptions } from '../src/exchange/publisher.ts';

describe('waiting for a checkpoint (?wait=1)', () => {
  it('holds at most MAX_WAITERS submissions; the next is answered at once, and stopping releases them all', async () => {
    // waitFor and stop use no store, tree or witness: nothing else is needed here.
    const publisher = new CheckpointPublisher({ durableSize: () => 0, now: () => 0 } as unknown as PublisherOptions);
    const held = Array.from({ length: MAX_WAITERS }, (_, index) => publisher.waitFor(index, 60_000));
    const started = Date.now();
    assert.equal(await publisher.waitFor(MAX_WAITERS, 60_000), undefined);
    assert.ok(Date.now() - started < 1000, 'the one over the cap is not held');
    await publisher.stop();
    assert.deepEqual(new Set(await Promise.all(held)), new Set([undefined]));
  });
});
