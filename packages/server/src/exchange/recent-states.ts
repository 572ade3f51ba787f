import { apply, genesis, type AnyDomainEntry, type State } from '@evenhand/core';
import { domainPart, parseEntry } from '@evenhand/log';
import { readEntries, type Store } from '@evenhand/store';
import { ServiceError } from '../errors.ts';

/** How many recent committed states are kept for views at their size. */
const RECENT_STATES = 512;

/**
 * The most entries a view at an older size may replay (issue 14: no request touches the whole
 * log). Gateways and `verify` ask at the checkpoint they verified, which is recent; a view at a
 * size further back than this from every state kept is refused, not replayed from the start.
 */
export const MAX_VIEW_REPLAY = 10_000;

/**
 * The exchange's states after its recent commits, by size, so that public views at a recent
 * size need no replay; an older size replays from the nearest one kept, within a bound.
 *
 * Bounded, and not free: the states share structure, but each keeps the trie paths it alone
 * still holds. Under batches of 50 filings at 10^6 entries, each of the first three windows
 * of 12,000 filings kept about 20 MB more than the later ones (issue 14). A state's unread
 * figure cell keeps, of the other states, only the one whose index it will be moved from
 * (core figure-cell.ts).
 */
export class RecentStates {
  private readonly states = new Map<number, State>();
  /** How far back from a kept state a view may replay (MAX_VIEW_REPLAY; tests lower it). */
  maxViewReplay = MAX_VIEW_REPLAY;

  constructor(private readonly store: Store) {}

  /** Keeps `state`, the state after `size` entries, and lets the oldest kept go beyond RECENT_STATES. */
  remember(size: number, state: State): void {
    this.states.set(size, state);
    while (this.states.size > RECENT_STATES) this.states.delete(this.states.keys().next().value as number);
  }

  /**
   * The domain state after the first `size` entries of a log of `durable`, for a view stated at
   * that size. Recent sizes are remembered; an older one is replayed from the nearest
   * remembered size below it (or the log's start), at most `maxViewReplay` entries: further
   * back is VIEW_SIZE_NOT_KEPT.
   */
  async at(size: number, durable: number): Promise<State | undefined> {
    if (!Number.isSafeInteger(size) || size < 0 || size > durable) return undefined;
    const known = this.states.get(size);
    if (known) return known;
    let from = 0;
    let state = genesis();
    for (const [at, remembered] of this.states) if (at < size && at > from) [from, state] = [at, remembered];
    if (size - from > this.maxViewReplay) {
      const oldest = Math.min(...this.states.keys());
      throw new ServiceError('VIEW_SIZE_NOT_KEPT', `query.size: views are served at the recent sizes this exchange keeps (from ${oldest} to ${durable}), or up to ${this.maxViewReplay} entries after one; ${size} is further back. Recompute an older view from the log itself (evenhand verify replays it)`, 'query.size');
    }
    for (let start = from; start < size; start += 1024) {
      for (const stored of await readEntries(this.store.db, start, Math.min(size, start + 1024))) {
        const parsed = parseEntry(stored.bytes);
        if (!parsed.ok) throw new Error(`stored entry ${stored.index} no longer parses: ${parsed.error.message}`);
        const applied = apply(state, domainPart(parsed.value) as AnyDomainEntry);
        if (!applied.ok) throw new Error(`stored entry ${stored.index} no longer applies: ${applied.error.message}`);
        state = applied.value;
      }
    }
    return state;
  }
}
