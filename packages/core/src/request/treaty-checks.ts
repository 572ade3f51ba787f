import type { Treaty } from '../treaty/schema.ts';
import type { UnixSeconds } from '../time.ts';
import { fail } from './apply-error.ts';
import type { State } from './state.ts';

/** The refusal for an author that is not a party of the treaty in force, or undefined. */
export function unlessParty(treaty: Treaty, author: string) {
  if (treaty.parties.some((party) => party.id === author)) return undefined;
  return fail('AUTHOR_NOT_A_PARTY', `author: ${author} is not a party of treaty ${treaty.id} v${treaty.version}`, 'author');
}

/**
 * The refusal for an entry dated before the treaty was adopted, or undefined. Nothing under
 * the treaty can predate it: otherwise a party could file a request dated years back and
 * show it as long unanswered. (The exchange also bounds how far an entry's time may stray
 * from its clock.)
 */
export function unlessAfterAdoption(state: State, time: UnixSeconds) {
  if (state.adoptedAt === undefined || time >= state.adoptedAt) return undefined;
  return fail('TIME_REVERSED', `time: ${time} is before the treaty was adopted (${state.adoptedAt})`, 'time');
}
