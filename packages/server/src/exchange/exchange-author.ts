import { EXCHANGE_AUTHOR, type EntryType } from '@evenhand/core';
import { EMPTY_ROOT, signEntry, toBase64, type JsonObject } from '@evenhand/log';
import type { StoredCheckpoint } from '@evenhand/store';
import type { Sequencer, SubmitResult } from './sequencer.ts';

/**
 * The exchange as an author (core EXCHANGE_AUTHOR): it signs its own entries with the log key
 * (the clearing rounds' trade proposals and records, and the call-off of expired trades) and
 * submits them through the sequencer like anyone's. One entry at a time, so its author chain
 * (seq, prev) never forks whichever task writes.
 */
export class ExchangeAuthor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sequencer: Sequencer,
    private readonly origin: string,
    private readonly seed: Uint8Array,
    /** The latest published checkpoint: what the exchange, as an author, has seen (it is archived). */
    private readonly published: () => StoredCheckpoint | undefined,
  ) {}

  /** Runs `task` alone among the exchange's own writes (a clearing round writes several entries in a row). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(task);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Signs and submits one entry; only from inside `exclusive`. */
  submitNow(type: EntryType, body: JsonObject, time: number): Promise<SubmitResult> {
    const next = this.sequencer.verifier.chains.expected(EXCHANGE_AUTHOR);
    const published = this.published();
    const seen = published ? { size: published.size, root: toBase64(published.root) } : { size: 0, root: toBase64(EMPTY_ROOT) };
    const signed = signEntry({ v: 1, log: this.origin, author: EXCHANGE_AUTHOR, seq: next.seq, prev: next.prev, seen, time, type, body }, this.seed);
    return this.sequencer.submit(signed.bytes);
  }
}
