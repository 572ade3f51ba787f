import type { AnyDomainEntry } from '@evenhand/core';
import { entryLink, signEntry, type Entry, type JsonObject, type SeenCheckpoint } from '@evenhand/log';

/**
 * Signs one author's entries in order, keeping the chain that the log checks: `seq` counts
 * from 1 and `prev` is the leaf hash of the author's previous entry (log entry.ts). A gateway
 * holds one per state; `resume` restores it from the last entry of that author in the log.
 */
export class AuthorWriter {
  private seq = 0;
  private prev = '';

  constructor(
    readonly author: string,
    private readonly origin: string,
    private readonly seed: Uint8Array,
  ) {}

  /** Continues after an entry of this author that is already in the log. */
  resume(last: { seq: number; bytes: Uint8Array }): void {
    this.seq = last.seq;
    this.prev = entryLink(last.bytes);
  }

  /** What the next entry will carry, without signing it. */
  get next(): { seq: number; prev: string } {
    return { seq: this.seq + 1, prev: this.prev };
  }

  /** Signs the next entry. The chain advances only by `commit`, once the log accepted it. */
  sign(entry: Pick<AnyDomainEntry, 'time' | 'type' | 'body'>, seen: SeenCheckpoint): { entry: Entry; bytes: Uint8Array } {
    return signEntry({ v: 1, log: this.origin, author: this.author, seq: this.seq + 1, prev: this.prev, seen, time: entry.time, type: entry.type, body: entry.body as unknown as JsonObject }, this.seed);
  }

  commit(signed: { entry: Entry; bytes: Uint8Array }): void {
    this.seq = signed.entry.seq;
    this.prev = entryLink(signed.bytes);
  }
}
