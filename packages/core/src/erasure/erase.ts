import { ok, type Result } from '../result.ts';
import { isoTime, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import { mapSet } from '../request/persistent-map.ts';
import { ENDED, type RequestRecord, type State } from '../request/state.ts';
import { caseEndedAt, retentionEndsAt } from './retention.ts';

/**
 * `request.erase` (issue 17): a party of the request records that its gateway destroyed the
 * case key, so that the case's sealed fields can no longer be read from the log, a backup of
 * it, or that party's database (docs/erasure.md). Unlike every other request entry it is not
 * reserved to one role: each party erases its own copy, once, and only when the case has ended
 * and the treaty's retention period has run (CETS 224 art. 14(4): data kept only as long as
 * necessary; and not before, so that neither side can destroy a case while it is open).
 */
export function applyErase(state: State, treaty: Treaty, record: RequestRecord, author: string, time: UnixSeconds): Result<State, ApplyError> {
  const refused = eraseRefusal(treaty, record, author, time, state);
  if (refused) return refused;
  const updated: RequestRecord = {
    ...record,
    erasedBy: [...(record.erasedBy ?? []), author],
    history: [...record.history, { index: state.size, type: 'request.erase', time, author }],
  };
  return ok({ ...state, requests: mapSet(state.requests, record.id, updated), size: state.size + 1 });
}

/** Why `author` may not erase `record` at `time`, or undefined when it may: shared by `apply` and the gateway's timer. */
export function eraseRefusal(treaty: Treaty, record: RequestRecord, author: string, time: UnixSeconds, state: State) {
  const { requesting, requested } = record.view;
  if (author !== requesting && author !== requested) {
    return fail('NOT_CASE_PARTY', `author: only a party of request ${record.id} (${requesting} or ${requested}) may erase its personal data, found ${author}`, 'author');
  }
  if (record.erasedBy?.includes(author)) return fail('ALREADY_ERASED', `body.request: ${author} already erased the personal data of request ${record.id}`, 'body.request');
  const ended = caseEndedAt(record, state);
  if (ended === undefined || ended > time) {
    return fail('CASE_OPEN', `body.request: request ${record.id} is ${record.status}; its personal data is erased only once the case has ended (${[...ENDED].join(', ')}, or a preservation whose period has run)`, 'body.request');
  }
  if (treaty.retention === undefined) {
    return fail('RETENTION_NOT_PROVIDED', `body.request: treaty ${treaty.id} v${treaty.version} states no retention period, so no case is erased under it; an amendment adds one`, 'body.request');
  }
  const last = record.history[record.history.length - 1];
  if (last && time < last.time) return fail('TIME_REVERSED', `time: ${time} is before the last entry of request ${record.id} (${last.time})`, 'time');
  const ends = retentionEndsAt(treaty, record, state);
  if (ends !== undefined && time < ends) {
    return fail('RETENTION_RUNNING', `body.request: the personal data of request ${record.id} is kept until ${isoTime(ends)}, ${treaty.retention.yearsAfterEnd} years after the case ended (${treaty.retention.article})`, 'body.request');
  }
  return undefined;
}
