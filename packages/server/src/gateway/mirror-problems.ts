import { toBase64, type LogError } from '@evenhand/log';
import type { Alarms } from './alarms.ts';

/** Why the mirror could not reach a tree: a fork (evidence), a bad log, or an unreachable exchange. */
export type Problem = { code: 'SPLIT_VIEW' | 'INCONSISTENT' | 'KEY_SUBSTITUTED' | 'CENSORED' | 'BAD_TIME' | 'UNREACHABLE' | 'SNAPSHOT_BROKEN'; message: string; evidence?: Record<string, string> };

/** The log's time-rule codes (log time-rules.ts): an entry dated against the witnessed time. */
const TIME_CODES = new Set(['ENTRY_TIME_BACKWARDS', 'ENTRY_TIME_BEFORE_SEEN', 'ENTRY_TIME_AFTER_WITNESSED', 'CHECKPOINT_UNARCHIVED']);

/** A log check's failure as the mirror reports it: time rules on their own, with the entry kept. */
export function entryProblem(error: LogError, bytes?: Uint8Array, index?: number): Problem {
  if (!TIME_CODES.has(error.code)) return { code: 'INCONSISTENT', message: error.message };
  return { code: 'BAD_TIME', message: `${error.code}: ${error.message}`, evidence: bytes && index !== undefined ? { entryIndex: String(index), entry: toBase64(bytes) } : {} };
}

/** A mirror's problem as the alarm its officials read: what happened, then what to do. */
export function raiseProblem(alarms: Alarms, problem: Problem, evidence?: Record<string, string>): void {
  evidence = problem.evidence ? { ...evidence, ...problem.evidence } : evidence;
  if (problem.code === 'UNREACHABLE') alarms.raise('EXCHANGE_UNREACHABLE', `${problem.message}. Check the exchange's address and network; nothing can be filed or verified until it answers.`);
  else if (problem.code === 'SPLIT_VIEW') alarms.raise('SPLIT_VIEW', `${problem.message}. The exchange shows different histories: keep the evidence, stop relying on its views, and tell the other parties and the neutral witnesses.`, evidence);
  else if (problem.code === 'KEY_SUBSTITUTED') alarms.raise('KEY_SUBSTITUTED', problem.message, evidence);
  else if (problem.code === 'BAD_TIME') alarms.raise('ENTRY_TIME_INVALID', `${problem.message}. An entry's date contradicts the time the witnesses attest: its deadlines cannot be trusted. Keep the evidence and tell the other parties and the neutral witnesses.`, evidence);
  else if (problem.code === 'SNAPSHOT_BROKEN') alarms.raise('SNAPSHOT_BROKEN', `${problem.message}. This gateway's own state is at fault, not the exchange: it stops mirroring. Start it again, and it replays its log.`);
  else if (problem.code === 'CENSORED') alarms.raise('CENSORED', `${problem.message}. Keep the receipt: with a later checkpoint that the witnesses cosigned without the entry, it is the proof anyone can check (evenhand verify --receipts); show them to the other parties and the neutral witnesses.`, evidence);
  else alarms.raise('INCONSISTENT', `${problem.message}. The exchange serves data that does not match its own signed checkpoint: keep the evidence and report it to the operator and the other parties.`, evidence);
}

/** A checkpoint refused for the dates of its cosignatures (issue 12, "cosignature time"), kept as evidence. */
export function raiseTimeAlarm(alarms: Alarms, error: LogError, note: string): void {
  if (error.code === 'CHECKPOINT_STALE') {
    alarms.raise('CHECKPOINT_STALE', `the exchange's checkpoint is not accepted as this gateway's first: ${error.message}. An old view may be passed off as current; wait for a fresh checkpoint, and report it if none comes.`, { checkpoint: note });
  } else {
    alarms.raise('COSIGNED_IN_FUTURE', `the exchange's checkpoint is not accepted: ${error.message}. A witness's clock runs ahead, or dates its cosignatures forward; check this gateway's clock, then tell the witness's operator.`, { checkpoint: note });
  }
}
