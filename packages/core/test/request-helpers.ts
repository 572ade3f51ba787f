import assert from 'node:assert/strict';
import { addDays, apply, genesis, type AnyDomainEntry, type ApplyError, type EntryBody, type EntryType, type State, type Treaty } from '../src/index.ts';
import { GENEVA } from './fixtures.ts';

/** Builds a domain entry; the body is typed as the input an author would write. */
export function entry<T extends EntryType>(author: string, time: number, type: T, body: Partial<EntryBody<T>> & Record<string, unknown>): AnyDomainEntry {
  return { author, time, type, body } as unknown as AnyDomainEntry;
}

/** Day `n` after the Geneva summit, plus `seconds`. */
export function day(n: number, seconds = 0): number {
  return addDays(GENEVA, n) + seconds;
}

export function adoption(treaty: Treaty, at = day(-1)): AnyDomainEntry[] {
  return [
    entry('US', at, 'treaty.propose', { treaty }),
    entry('US', at, 'treaty.ratify', { treaty: treaty.id, version: treaty.version }),
    entry('RU', at, 'treaty.ratify', { treaty: treaty.id, version: treaty.version }),
  ];
}

/** Applies entries in order and fails the test, naming the entry, if one is refused. */
export function run(entries: readonly AnyDomainEntry[], from: State = genesis()): State {
  let state = from;
  entries.forEach((item, index) => {
    const result = apply(state, item);
    if (!result.ok) assert.fail(`entry ${index} (${item.type} by ${item.author}) refused: ${result.error.code} ${result.error.message}`);
    state = result.value;
  });
  return state;
}

/** Applies one entry that must be refused with `code`, and checks the state object is untouched. */
export function refused(state: State, item: AnyDomainEntry, code: string): ApplyError {
  const before = JSON.stringify(state);
  const result = apply(state, item);
  assert.equal(result.ok, false, `${item.type} by ${item.author} should be refused with ${code}`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.error.code, code, result.error.message);
  assert.equal(JSON.stringify(state), before, 'a refused entry leaves the state unchanged');
  return result.error;
}

export function fileBody(request: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    request,
    requested: 'RU',
    kind: 'extradition',
    purpose: 'prosecution',
    subject: { pseudonym: `subject-${request}`, nationalities: ['RU'], ageAtOffence: 30 },
    offences: ['ransomware-extortion'],
    offenceDate: '2021-05-07',
    ...overrides,
  };
}

export const APPROVERS = ['approver-1', 'approver-2'];
export const REASONS = { reasons: 'stated in the sealed part' };
