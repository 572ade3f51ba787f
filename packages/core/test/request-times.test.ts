import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, statistics } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, fileBody, run } from './request-helpers.ts';

const treaty = treaty2021();
const adopted = run(adoption(treaty, day(-1)));

describe('entry times under the treaty', () => {
  it('refuses a filing dated before the treaty was adopted, so no one can fake a long-unanswered request', () => {
    const backdated = apply(adopted, entry('US', 31_536_000, 'request.file', fileBody('OLD', { offenceDate: '1970-06-01' })));
    assert.equal(backdated.ok, false);
    if (!backdated.ok) {
      assert.equal(backdated.error.code, 'TIME_REVERSED');
      assert.equal(backdated.error.field, 'time');
      assert.match(backdated.error.message, /^time: 31536000 is before the treaty was adopted/);
    }
    assert.deepEqual(
      statistics(adopted, day(0)).map((pair) => pair.unansweredPastDeadline),
      [0, 0],
    );
  });

  it('accepts an entry dated exactly at adoption', () => {
    assert.equal(apply(adopted, entry('US', day(-1), 'request.file', fileBody('AT'))).ok, true);
    assert.equal(apply(adopted, entry('US', day(-1) - 1, 'request.file', fileBody('AT'))).ok, false);
  });
});
