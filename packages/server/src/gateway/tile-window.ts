import { TileReader, type LogError } from '@evenhand/log';
import type { Result } from '@evenhand/core';

/** At most this many tiles fetched for one computation: a proof in a tree of 2^48 needs far fewer. */
const MAX_FETCHES = 512;

/**
 * Runs a TileReader computation over tiles fetched from the exchange. TileReader reads
 * synchronously, so the computation runs, reports the first tile it lacked, that tile is
 * fetched, and it runs again; each tile is fetched once per window. tlog-tiles: "clients
 * can fetch all the tiles they need ... and compute any desired proof" — the gateway never
 * takes a proof from the exchange, it recomputes it from the tiles the checkpoint commits to.
 */
export class TileWindow {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly fetchTile: (path: string) => Promise<Uint8Array | undefined>,
    readonly size: number,
  ) {}

  async run<T>(compute: (reader: TileReader) => Result<T, LogError>): Promise<Result<T, LogError>> {
    for (let fetches = 0; ; fetches++) {
      let missing: string | undefined;
      const reader = new TileReader((path) => {
        const hit = this.cache.get(path);
        if (!hit) missing ??= path;
        return hit;
      }, this.size);
      const result = compute(reader);
      if (result.ok || missing === undefined || fetches >= MAX_FETCHES) return result;
      const bytes = await this.fetchTile(missing);
      if (!bytes) return result;
      this.cache.set(missing, bytes);
    }
  }
}
