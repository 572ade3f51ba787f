import { TILE_WIDTH } from '@evenhand/log';

/**
 * Two tiles: the partial entry bundle at the head, and the full one it has just become, while
 * gateways that fetched it partial come back for the rest.
 */
const KEPT = 2 * TILE_WIDTH;

/**
 * The bytes of the last entries made durable, for the entry bundles at the log's head.
 *
 * A gateway following the log fetches the head's partial bundle again at every checkpoint
 * (C2SP tlog-tiles names no range within a tile). Read from the store, each fetch cost the
 * exchange 0.83 ms of SQLite in issue 14's sustained run, 4,380 fetches in 135 s. Entries are
 * remembered only once durable, and never change after, so a bundle from here is the one the
 * store would give. Memory is bounded by KEPT entries, whatever the log's size.
 */
export class RecentEntries {
  private readonly slots: Uint8Array[] = new Array<Uint8Array>(KEPT);
  /** The first index remembered since the window last started; nothing before it is here. */
  private start = 0;
  /** One past the last index remembered. */
  private end = 0;

  /** Remembers the durable entry at `index`. An index that does not follow the last starts the window again. */
  remember(index: number, bytes: Uint8Array): void {
    if (index !== this.end) this.start = index;
    this.slots[index % KEPT] = bytes;
    this.end = index + 1;
  }

  /** The entries at indexes `from` (inclusive) to `to` (exclusive), or undefined unless every one of them is remembered. */
  range(from: number, to: number): Uint8Array[] | undefined {
    if (from < Math.max(this.start, this.end - KEPT) || to > this.end || from > to) return undefined;
    const out: Uint8Array[] = [];
    for (let index = from; index < to; index++) out.push(this.slots[index % KEPT]!);
    return out;
  }
}
