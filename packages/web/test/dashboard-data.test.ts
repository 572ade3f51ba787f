import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PairMonths, PairStatistics } from '@evenhand/core/rules';
import { balance, pairsBetween } from '../src/console/dashboard-data.ts';

/** RU's months with the US as GET /api/dashboard answers them (core `monthlySeries`). */
const months: PairMonths = {
  counterpart: 'RU',
  months: ['2026-01', '2026-02', '2026-03'],
  filedIncoming: [2, 0, 0],
  filedOutgoing: [1, 0, 0],
  surrendered: [0, 0, 1],
  received: [0, 1, 0],
  before: { surrendered: 0, received: 0 },
};

describe('the reciprocity dashboard figures, from the months the gateway counts', () => {
  it('runs the balance of persons received and surrendered', () => {
    assert.deepEqual(balance(months), { received: [0, 1, 1], surrendered: [0, 0, 1], net: [0, 1, 0] });
  });

  it('starts the running balance from the handovers before the first month shown', () => {
    assert.deepEqual(balance({ ...months, before: { surrendered: 3, received: 5 } }), { received: [5, 6, 6], surrendered: [3, 3, 4], net: [2, 3, 2] });
  });

  it('finds the two ordered pairs between a state and its counterpart, either missing', () => {
    const pair = (requesting: string, requested: string) => ({ requesting, requested }) as PairStatistics;
    const statistics = { at: 0, size: 0, pairs: [pair('US', 'RU'), pair('RU', 'US'), pair('US', 'DE')] };
    assert.deepEqual(pairsBetween(statistics, 'US', 'RU'), { incoming: pair('RU', 'US'), outgoing: pair('US', 'RU') });
    assert.deepEqual(pairsBetween(statistics, 'US', 'DE'), { incoming: undefined, outgoing: pair('US', 'DE') });
  });
});
