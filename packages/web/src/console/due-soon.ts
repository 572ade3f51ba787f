import type { Tasks } from './types.ts';

/**
 * What this state owes within `withinDays`, not yet overdue and not paused, but for an act that
 * the gateway takes by itself: an erasure of personal data is entered by no official (the
 * gateway erases once the retention period ends, core official-roles.ts), so telling of it would
 * only alarm. An obligation that no entry discharges (a full request after a provisional arrest,
 * the person's release) has no act either, and is told: officials see to it.
 */
export function dueSoon(tasks: Pick<Tasks, 'now' | 'owedByUs'>, withinDays: number): Tasks['owedByUs'] {
  const horizon = tasks.now + withinDays * 86_400;
  return tasks.owedByUs.filter((task) => task.due >= tasks.now && task.due <= horizon && task.pausedSince === undefined && !(task.act !== null && task.actRoles.length === 0));
}
