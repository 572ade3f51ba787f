import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalRate } from '../src/exchange/arrival-rate.ts';

describe('the arrival rate the publisher tells a flood by', () => {
  it('reaches a steady flow within a few time constants, whatever the spacing of the readings', () => {
    for (const readEveryMs of [1, 7, 50]) {
      const rate = new ArrivalRate(1000);
      let size = 0;
      let last = 0;
      // Half an entry a millisecond (500 a second) for five seconds.
      for (let at = 0; at <= 5000; at += readEveryMs) last = rate.observe(at, (size = Math.floor(at / 2)));
      assert.ok(Math.abs(last - 0.5) < 0.01, `read every ${readEveryMs} ms: ${last} entries/ms after ${size} entries`);
    }
  });

  it('moves little for a burst, and lets it decay', () => {
    const rate = new ArrivalRate(1000);
    rate.observe(0, 0);
    // 20 entries at one instant are counted once time has passed.
    assert.equal(rate.observe(0, 20), 0);
    const after = rate.observe(1, 20);
    assert.ok(after > 0.019 && after < 0.021, `a burst of 20 adds about 20/τ: ${after}`);
    const later = rate.observe(1001, 20);
    assert.ok(Math.abs(later - after / Math.E) < 1e-3, `and decays by e in τ: ${later}`);
  });
});
