import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dueSoon } from '../src/console/due-soon.ts';
import type { Task } from '../src/console/types.ts';

const NOW = 1_800_000_000;
const DAY = 86_400;
const task = (id: string, kind: string, due: number, more: Partial<Task> = {}): Task => ({
  target: 'request', id, kind, party: 'US', due, overdue: due < NOW, article: 'Art. 1', act: 'request.decide', actRoles: ['approver'], mine: true, ...more,
});

describe('the console tells of what is due soon (issue 15)', () => {
  it('tells of what this state owes within the period, and not of the gateway’s own erasure', () => {
    const owedByUs = [
      task('decide-in-3-days', 'decide', NOW + 3 * DAY),
      task('due-now', 'acknowledge', NOW, { act: 'request.acknowledge', actRoles: ['reviewer'] }),
      task('on-the-horizon', 'decide', NOW + 7 * DAY),
      task('beyond', 'decide', NOW + 7 * DAY + 1),
      task('overdue', 'decide', NOW - 1),
      task('paused', 'decide', NOW + DAY, { pausedSince: NOW - DAY }),
      // No official erases: the gateway does, once the retention period ends (core official-roles.ts).
      task('erasure', 'erase-personal-data', NOW + 2 * DAY, { act: 'request.erase', actRoles: [], mine: false }),
      // No entry discharges a release from provisional arrest: the person is released, and officials must know in time.
      task('release', 'release-from-provisional-arrest', NOW + 4 * DAY, { act: null, actRoles: [], mine: false }),
    ];
    assert.deepEqual(dueSoon({ now: NOW, owedByUs }, 7).map((item) => item.id), ['decide-in-3-days', 'due-now', 'on-the-horizon', 'release']);
    assert.deepEqual(dueSoon({ now: NOW, owedByUs }, 0).map((item) => item.id), ['due-now']);
  });
});
