import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, creditsInMillionths, creditsInPersons } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, run } from './request-helpers.ts';

const adopted = run(adoption(treaty2021(), day(-1)));
const round = (author: string, credits: Record<string, number>) => apply(adopted, entry(author, day(0), 'clearing.round', { round: 'round-1', pool: 3, trades: [], credits }));

describe('clearing rounds carry fairness credits through the log', () => {
  it('records the credits of a round by the exchange', () => {
    const result = round('exchange', { US: 500_000, RU: -500_000 });
    assert.ok(result.ok);
    assert.deepEqual(result.value.clearingCredits, { US: 500_000, RU: -500_000 });
    assert.deepEqual(creditsInPersons(result.value.clearingCredits), { US: 0.5, RU: -0.5 });
  });

  it('refuses a round by a party, credits of a stranger, and credits that do not sum to zero', () => {
    const byParty = round('US', { US: 0, RU: 0 });
    assert.equal(byParty.ok ? '' : byParty.error.code, 'AUTHOR_NOT_A_PARTY');
    const stranger = round('exchange', { US: 1, ZZ: -1 });
    assert.equal(stranger.ok ? '' : stranger.error.field, 'body.credits.ZZ');
    const unbalanced = round('exchange', { US: 2, RU: -1 });
    assert.equal(unbalanced.ok ? '' : unbalanced.error.code, 'CREDITS_UNBALANCED');
    assert.equal(round('exchange', { US: 0.5, RU: -0.5 }).ok, false, 'credits are whole millionths');
  });

  it('rounds plan credits to millionths that still sum to exactly zero', () => {
    const credits = creditsInMillionths({ US: 1 / 3, RU: 1 / 3, CH: -2 / 3 });
    assert.equal(Object.values(credits).reduce((a, b) => a + b, 0), 0);
    assert.ok(Math.abs(credits.US! - 333_333) <= 1);
  });
});
