import type { Result } from '@evenhand/core';
import type { LogError } from './errors.ts';
import { TileReader } from './tiles.ts';

/** At most this many tiles fetched for one computation: a proof in a tree of 2^48 needs far fewer. */
const MAX_FETCHES = 512;

/** Tiles kept between computations by default: a proof's right edge plus a run of bundles, about 2 MB. */
const DEFAULT_KEEP = 256;

/**
 * Runs a TileReader computation over tiles fetched on demand (from an exchange, a directory,
 * or anything else): TileReader reads synchronously, so the computation runs, reports the
 * first tile it lacked, that tile is fetched, and it runs again. tlog-tiles: "clients can fetch
 * all the tiles they need ... and compute any desired proof" — a verifier never takes a proof
 * from the exchange, it recomputes it from the tiles the checkpoint commits to.
 *
 * Memory is bounded by the tiles kept (least recently used first out), never by the size a
 * checkpoint claims: a checkpoint of size 2^52 costs the few tiles its root would need, and
 * fails as soon as the source cannot serve one (issue 12, "bounded verification").
 */
export class TileWindow {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly fetchTile: (path: string) => Promise<Uint8Array | undefined>,
    readonly size: number,
    private readonly keep = DEFAULT_KEEP,
  ) {}

  async run<T>(compute: (reader: TileReader) => Result<T, LogError>): Promise<Result<T, LogError>> {
    for (let fetches = 0; ; fetches++) {
      let missing: string | undefined;
      const reader = new TileReader((path) => {
        const hit = this.cache.get(path);
        if (!hit) missing ??= path;
        else {
          // Recently used: move to the back of the eviction order.
          this.cache.delete(path);
          this.cache.set(path, hit);
        }
        return hit;
      }, this.size);
      const result = compute(reader);
      if (result.ok || missing === undefined || fetches >= MAX_FETCHES) return result;
      const bytes = await this.fetchTile(missing);
      if (!bytes) return result;
      this.cache.set(missing, bytes);
      while (this.cache.size > this.keep) this.cache.delete(this.cache.keys().next().value as string);
    }
  }
}
