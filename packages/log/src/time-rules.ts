import { err, ok, type Result } from '@evenhand/core';
import type { Entry } from './entry.ts';
import { logError, type LogError } from './errors.ts';
import type { VerifiedCheckpoint } from './verify-checkpoint.ts';

/**
 * The instant a checkpoint was witnessed: its latest counted cosignature (C2SP
 * tlog-cosignature timestamps). Witnesses stamp their own clocks, so this is time the log's
 * operator alone cannot set (issue 12, "time bound to witnessed time").
 */
export function witnessedTime(checkpoint: VerifiedCheckpoint): number {
  return Math.max(...checkpoint.cosignatures.map((each) => each.timestamp));
}

/**
 * What the time rules need to know about one entry: the treaty's skew, and the witnessed time
 * of the checkpoint the entry says its author saw (`seen`). `undefined` means the log's
 * archive has no such checkpoint; 'unchecked' is for a replay of entries this process
 * checked before it stored them.
 */
export interface EntryTimeContext {
  readonly skewSeconds: number;
  readonly seenWitnessedAt: number | undefined | 'unchecked';
}

/** What `EntryTimes` remembers, as data. */
export interface EntryTimesData {
  readonly latest?: { readonly time: number; readonly index: number } | undefined;
  readonly uncovered?: { readonly time: number; readonly index: number } | undefined;
}

/**
 * The three time rules of issue 12, which the exchange, every gateway and `verify` apply:
 *   1. an entry is not dated earlier than the witnessed time of the checkpoint it has seen,
 *      less the skew: an author cannot claim to have acted before what it had already read;
 *   2. an entry is not dated later than the witnessed time of the first checkpoint that
 *      covers it, plus the skew: an entry cannot be dated after it was logged;
 *   3. across the log, entry times are non-decreasing within the skew.
 * Deadlines run from entry times (core `deadlines`), so these rules are what keep a request
 * from entering the log with its deadlines already past, or an act from claiming a later date.
 * Memory: two instants, whatever the log's size.
 */
export class EntryTimes {
  /** The latest entry time so far, and where (rule 3). */
  private latest: { time: number; index: number } | undefined;
  /** The latest entry time since the last covering checkpoint, and where (rule 2). */
  private uncovered: { time: number; index: number } | undefined;

  check(entry: Entry, index: number, context: EntryTimeContext): Result<true, LogError> {
    const { skewSeconds } = context;
    if (this.latest && entry.time < this.latest.time - skewSeconds) {
      return err(logError('ENTRY_TIME_BACKWARDS', `time: the entry says ${iso(entry.time)}, ${this.latest.time - entry.time} s before entry ${this.latest.index} (${iso(this.latest.time)}); entry times may go back at most the treaty's skew of ${skewSeconds} s`));
    }
    const witnessed = context.seenWitnessedAt;
    if (witnessed === 'unchecked' || entry.seen.size === 0) return ok(true);
    if (witnessed === undefined) {
      return err(logError('CHECKPOINT_UNARCHIVED', `seen.size: the author says it saw the checkpoint of size ${entry.seen.size}, which the log's checkpoint archive lacks: its witnessed time, and so the entry's earliest time, cannot be known`));
    }
    if (entry.time < witnessed - skewSeconds) {
      return err(logError('ENTRY_TIME_BEFORE_SEEN', `time: the entry says ${iso(entry.time)}, but the checkpoint of size ${entry.seen.size} it has seen was witnessed at ${iso(witnessed)}, ${witnessed - entry.time} s later; at most the treaty's skew of ${skewSeconds} s is allowed`));
    }
    return ok(true);
  }

  /** The two instants, for a replay snapshot (replay-snapshot.ts). */
  toData(): EntryTimesData {
    return { ...(this.latest ? { latest: { ...this.latest } } : {}), ...(this.uncovered ? { uncovered: { ...this.uncovered } } : {}) };
  }

  /** Takes the instants of a checked snapshot. */
  load(data: EntryTimesData): void {
    this.latest = data.latest && { ...data.latest };
    this.uncovered = data.uncovered && { ...data.uncovered };
  }

  record(entry: Entry, index: number): void {
    if (!this.latest || entry.time >= this.latest.time) this.latest = { time: entry.time, index };
    if (!this.uncovered || entry.time >= this.uncovered.time) this.uncovered = { time: entry.time, index };
  }

  /**
   * Rule 2, once the entries recorded so far are covered by a checkpoint of `size` witnessed
   * at `witnessedAt` (an archived one, the one being verified, or a witness's own clock).
   */
  cover(size: number, witnessedAt: number, skewSeconds: number): Result<true, LogError> {
    const last = this.uncovered;
    this.uncovered = undefined;
    if (last && last.time > witnessedAt + skewSeconds) {
      return err(logError('ENTRY_TIME_AFTER_WITNESSED', `entry ${last.index}: time: it says ${iso(last.time)}, but the first checkpoint covering it (size ${size}) was witnessed at ${iso(witnessedAt)}, ${last.time - witnessedAt} s earlier; at most the treaty's skew of ${skewSeconds} s is allowed`));
    }
    return ok(true);
  }
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace('.000Z', 'Z');
}
