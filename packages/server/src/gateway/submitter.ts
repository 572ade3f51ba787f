import type { EntryType } from '@evenhand/core';
import { bytesEqual, ENTRY_MAX_BYTES, fromHex, leafHash, openReceipt, parseEntry, type NoteVerifier } from '@evenhand/log';
import type { Alarms } from './alarms.ts';
import { lastEntryOf, lastSubmissionOf, recordSubmission, type Store } from '@evenhand/store';
import { relayedField, ServiceError, statusOf, type ErrorCode } from '../errors.ts';
import { AuthorWriter } from '../signing/author-writer.ts';
import type { ExchangeClient } from './exchange-client.ts';
import { ExchangeUnreachable } from './exchange-client.ts';
import type { LogMirror } from './mirror.ts';

/** An act to sign and submit, with the official who took it (kept with the submission, issue 15). */
export interface SubmittedAct {
  readonly time: number;
  readonly type: EntryType;
  readonly body: Record<string, unknown>;
  readonly official?: string;
}

/** How long a submission waits for the mirror to learn an entry the exchange says it already has. */
const RESYNC_WAIT_MS = 15_000;

/** The exchange's refusal, passed on with the status errors.ts gives its code. */
export class ExchangeRefusal extends ServiceError {
  override get status(): number {
    return statusOf(this.code);
  }
}

export interface Submitted {
  readonly index: number;
  readonly leafHash: string;
}

/**
 * Signs this state's entries and submits them (DESIGN.md "Gateway"). One at a time: the
 * author chain (seq, prev) must never fork, so each entry is signed only after the previous
 * one was accepted or refused. `seen` is the latest checkpoint the mirror verified, which
 * makes each entry a signed statement of what this state saw. Accepted entries go to the
 * outbox, from which inclusion is checked and the chain resumes after a restart.
 */
export class Submitter {
  private readonly writer: AuthorWriter;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: { store: Store; party: string; origin: string; seed: Uint8Array; exchange: ExchangeClient; mirror: LogMirror; now: () => number; logKey: NoteVerifier; alarms: Alarms },
  ) {
    this.writer = new AuthorWriter(options.party, options.origin, options.seed);
  }

  /** Resumes the chain after the last entry of this state, in the mirror or in the outbox, whichever is later. */
  async resume(): Promise<void> {
    const { store, party } = this.options;
    const mirrored = await lastEntryOf(store.db, party);
    const submitted = await lastSubmissionOf(store.db, party);
    const last = [mirrored && { seq: mirrored.authorSeq, bytes: mirrored.bytes }, submitted && { seq: submitted.authorSeq, bytes: submitted.bytes }]
      .filter((entry) => entry !== undefined)
      .sort((a, b) => b.seq - a.seq)[0];
    if (last && last.seq >= this.writer.next.seq) this.writer.resume(last);
  }

  /** Runs `task` alone among this state's submissions (used to check-then-submit a confirmation). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(task);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  submit(entry: SubmittedAct): Promise<Submitted> {
    return this.exclusive(() => this.submitNow(entry));
  }

  /**
   * Submits the gateway's own act dated when its turn in the queue comes, not when it was
   * asked for: behind a long queue the clock moves on, and an entry dated before the wait could
   * fall outside the treaty's skew of the exchange's clock (ENTRY_TIME_SKEW).
   */
  submitWhenDue(now: () => number, act: Omit<SubmittedAct, 'time'>): Promise<Submitted> {
    return this.exclusive(() => this.submitNow({ ...act, time: now() }));
  }

  /**
   * Submits without taking the queue: only from inside `exclusive`. If the exchange says the
   * chain moved on (an entry accepted just before a crash, before the outbox recorded it),
   * the chain is resumed from the mirror and the entry signed again, once.
   */
  async submitNow(entry: SubmittedAct): Promise<Submitted> {
    try {
      return await this.attempt(entry);
    } catch (error) {
      if (!(error instanceof ExchangeRefusal) || (error.code !== 'ENTRY_REPLAYED' && error.code !== 'ENTRY_CHAIN_BROKEN')) throw error;
      // The exchange holds an entry of ours we have no answer for (it crashed, or the answer
      // was lost). The mirror learns it only from a witnessed checkpoint, which a restarted
      // exchange publishes a moment later: wait for it, within a bound, then sign again.
      const before = this.writer.next.seq;
      const deadline = Date.now() + RESYNC_WAIT_MS;
      for (;;) {
        await this.options.mirror.sync().catch(() => undefined);
        await this.resume();
        if (this.writer.next.seq !== before) break;
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return this.attempt(entry);
    }
  }

  private async attempt(act: SubmittedAct): Promise<Submitted> {
    const { official, ...entry } = act;
    const signed = this.writer.sign(entry as never, this.options.mirror.seen);
    // Said here, in the official's terms: the exchange's own refusal names only "(entry)". Nothing was sent, and the chain has not moved.
    if (signed.bytes.length > ENTRY_MAX_BYTES) throw entryTooLarge(signed.bytes.length);
    let answer: { status: number; body: Record<string, unknown> };
    try {
      answer = await this.options.exchange.submit(signed.bytes);
    } catch (error) {
      if (error instanceof ExchangeUnreachable) throw new ServiceError('EXCHANGE_UNREACHABLE', `${error.message}; the entry may or may not have been recorded: check before acting again`);
      throw error;
    }
    if (answer.status !== 201 && answer.status !== 202) {
      const code = typeof answer.body.code === 'string' ? answer.body.code : 'INTERNAL';
      const message = typeof answer.body.message === 'string' ? answer.body.message : `the exchange answered ${answer.status}`;
      const field = typeof answer.body.field === 'string' ? answer.body.field : undefined;
      throw new ExchangeRefusal(code as ErrorCode, `the exchange refused the entry: ${message}`, relayedField(field));
    }
    this.writer.commit(signed);
    const index = Number(answer.body.index);
    const hash = leafHash(signed.bytes);
    const reported = typeof answer.body.leafHash === 'string' ? fromHex(answer.body.leafHash) : undefined;
    const parsed = parseEntry(signed.bytes);
    const receipt = this.checkReceipt(answer.body.receipt, index, hash);
    await recordSubmission(this.options.store.db, {
      receipt,
      index,
      author: this.options.party,
      authorSeq: parsed.ok ? parsed.value.seq : signed.entry.seq,
      bytes: signed.bytes,
      // Our own hash, not the exchange's: inclusion is checked against what we signed.
      leafHash: hash,
      type: entry.type,
      submittedAt: this.options.now(),
      official: official ?? null,
    });
    if (reported && Buffer.compare(Buffer.from(reported), Buffer.from(hash)) !== 0) {
      throw new ServiceError('INTERNAL', `the exchange acknowledged index ${index} with a leaf hash other than the entry's; the entry is recorded and its inclusion will be checked`);
    }
    return { index, leafHash: Buffer.from(hash).toString('hex') };
  }

  /**
   * The exchange's signed receipt must be the log key's, for this index and this entry's
   * hash: kept, it proves to anyone what the exchange promised. Without one, the
   * acknowledgement proves nothing to others, which is worth an alarm.
   */
  private checkReceipt(value: unknown, index: number, hash: Uint8Array): string | null {
    const opened = typeof value === 'string' ? openReceipt(value, this.options.logKey) : undefined;
    if (opened?.ok && opened.value.index === index && bytesEqual(opened.value.leafHash, hash)) return value as string;
    const why = opened === undefined ? 'gave none' : opened.ok ? `gave one for index ${opened.value.index} and another entry` : opened.error.message;
    this.options.alarms.raise('RECEIPT_INVALID', `the exchange accepted entry ${index} without a valid signed receipt (it ${why}): its acknowledgement proves nothing to others. Report it to the operator.`);
    return null;
  }
}

/**
 * An act whose entry the log could not hold (log entry.ts ENTRY_MAX_BYTES): its texts, once
 * sealed (encrypted to each recipient, and base64: about 4/3 of their bytes each), are too long.
 */
function entryTooLarge(bytes: number): ServiceError {
  return new ServiceError('ENTRY_TOO_LARGE', `body: this act makes a log entry of ${bytes} bytes once its sealed members are encrypted and it is signed, and a log entry holds at most ${ENTRY_MAX_BYTES}; shorten the longest texts, or attach long documents as evidence files`, 'body');
}
