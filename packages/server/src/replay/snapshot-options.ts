import type { CountedInSlices } from './count-in-slices.ts';

/** How the exchange and each gateway keep snapshots of their replay (issue 14, "Snapshots"). */
export interface SnapshotOptions {
  /** Whose replay: "exchange", or "gateway:<party>" (the store table's key). */
  readonly service: string;
  /**
   * Key material only this service holds (its log or entry signing seed). A snapshot carries
   * an HMAC under a key derived from it: a snapshot edited in the database, or written by
   * anyone else, is refused.
   */
  readonly secret: Uint8Array;
  /** A snapshot at most every this many entries (10,000 by default). */
  readonly every?: number | undefined;
  /** How many chains of snapshots (a whole one and the deltas after it) are kept (2 by default). */
  readonly keep?: number | undefined;
  /**
   * A snapshot is written whole, not as a delta from the last one, once the deltas since the
   * last whole one hold this share of its bytes (DEFAULT_WHOLE_AFTER); 0 writes every one whole.
   */
  readonly wholeAfter?: number | undefined;
  /** `--full-replay`: ignore every stored snapshot, replay the whole log, then write a fresh one. */
  readonly fullReplay?: boolean | undefined;
  /** Told why a snapshot is not used; the restart then replays the whole log. */
  readonly warn?: ((message: string) => void) | undefined;
  /**
   * Told when a request record of the snapshot a start restored, kept unread until read, did
   * not read after all (SnapshotKeeper `recordRefused`): the snapshot is deleted, and the
   * service should stop, so that its next start replays the whole log. `serve` stops it.
   */
  readonly onBroken?: ((message: string) => void) | undefined;
  /** Told the index of each entry replayed at a restart (tests count them; a full replay tells every one). */
  readonly onReplayed?: ((index: number) => void) | undefined;
  /** Told where a start stands, for whoever watches it (the CLI's `serve` writes it on stderr). */
  readonly progress?: StartProgress | undefined;
}

/**
 * What a start does before it listens, as it does it. At 10^6 entries a restart from a snapshot
 * reads it for seconds, and a full replay (`--full-replay`, or a snapshot refused) takes minutes
 * (issue 14's growth table): without these, an operator sees a service that neither listens
 * nor says why.
 */
export interface StartProgress {
  /** The latest snapshot, of `size` entries, is read and checked. */
  readonly restoring?: ((size: number) => void) | undefined;
  /** It passed every check: the start goes on from it. */
  readonly restored?: ((size: number) => void) | undefined;
  /** The stored entries `from` (inclusive) to `to` (exclusive) are replayed next: the tail after a snapshot, or the whole log from 0. */
  readonly replaying?: ((from: number, to: number) => void) | undefined;
  /** `done` of that replay's `total` entries are replayed. */
  readonly replayed?: ((done: number, total: number) => void) | undefined;
  /** After a restore: its figure index is counted, in slices between the service's other work (count-in-slices.ts), which may begin before it listens. */
  readonly counted?: ((counted: CountedInSlices) => void) | undefined;
}

export const DEFAULT_SNAPSHOT_EVERY = 10_000;

/**
 * Deltas are written until they hold a quarter of the whole snapshot's bytes (issue 14: no
 * periodic task may cost what the history costs). A whole snapshot of S bytes is then written
 * once per S/4 bytes of deltas, which grow with the entries, not with the log: the cost per
 * entry is a constant, at most five times what its own delta costs. A restart reads at most
 * 1.25 S.
 */
export const DEFAULT_WHOLE_AFTER = 0.25;
