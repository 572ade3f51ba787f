import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { balance, monthRange, perMonth, responseBuckets } from '../src/console/dashboard-data.ts';
import type { RequestRow } from '../src/console/types.ts';

const DAY = 86_400;
const JAN = Date.UTC(2026, 0, 10) / 1000;

/** A request row as GET /api/requests answers it (packages/server request-views.ts). */
function row(id: string, direction: 'incoming' | 'outgoing', times: { filed: number; decided?: number; surrendered?: number }): RequestRow {
  const last = Math.max(times.filed, times.decided ?? 0, times.surrendered ?? 0);
  return {
    id, requesting: direction === 'outgoing' ? 'US' : 'RU', requested: direction === 'outgoing' ? 'RU' : 'US', direction, counterpart: 'RU', kind: 'extradition',
    offences: ['illegal-access'], filedAt: times.filed, status: 'filed', nextDeadline: null, decidedAt: times.decided ?? null, surrenderedAt: times.surrendered ?? null, lastActivityAt: last,
  };
}

describe('the reciprocity dashboard figures, from the request rows alone', () => {
  const rows = [
    row('US-1', 'outgoing', { filed: JAN, decided: JAN + 20 * DAY, surrendered: JAN + 40 * DAY }),
    row('RU-1', 'incoming', { filed: JAN + 5 * DAY, decided: JAN + 75 * DAY, surrendered: JAN + 80 * DAY /* 31 March */ }),
    row('RU-2', 'incoming', { filed: JAN + 6 * DAY }),
  ];
  const months = monthRange(rows.flatMap((each) => [each.filedAt, each.lastActivityAt]));

  it('spans every month from the first filing to the last activity', () => {
    assert.deepEqual(months, ['2026-01', '2026-02', '2026-03']);
    assert.deepEqual(perMonth(rows, months, 'incoming'), [2, 0, 0]);
    assert.deepEqual(perMonth(rows, months, 'outgoing'), [1, 0, 0]);
  });

  it('buckets the days to a decision, undecided requests left out', () => {
    const edges = [30, 60, 90, Infinity];
    assert.deepEqual(responseBuckets(rows, 'outgoing', edges), [1, 0, 0, 0]);
    assert.deepEqual(responseBuckets(rows, 'incoming', edges), [0, 0, 1, 0]);
  });

  it('runs the balance of persons received and surrendered, whatever recorded the handover', () => {
    assert.deepEqual(balance(rows, months), { received: [0, 1, 1], surrendered: [0, 0, 1], net: [0, 1, 0] });
  });
});
