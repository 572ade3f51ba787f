import type { Tasks } from './types.ts';

/**
 * What this state owes within `withinDays`, not yet overdue and not paused, that an official of
 * it can act on: an erasure of personal data has no official's act (the gateway erases once the
 * retention period ends, core official-roles.ts), so telling of it would only alarm.
 */
export function dueSoon(tasks: Pick<Tasks, 'now' | 'owedByUs'>, withinDays: number): Tasks['owedByUs'] {
  const horizon = tasks.now + withinDays * 86_400;
  return tasks.owedByUs.filter((task) => task.due >= tasks.now && task.due <= horizon && task.pausedSince === undefined && task.actRoles.length > 0);
}
