import { archivePagePath, entriesPath, parseDecimal, tilePath, tileWidth, TILE_WIDTH } from '@evenhand/log';

/** How many entry bundles (with their level-0 tiles) are fetched ahead of the verifier. */
const AHEAD = 8;

/** How long one answer may take, its body included, before the log counts as out of reach. */
export const FETCH_TIMEOUT_MS = 30_000;

/**
 * A log read from an exchange over HTTP (C2SP tlog-tiles: `/checkpoint`, `/tile/...`). Tiles
 * are fetched when the verifier asks for them, the next few bundles ahead of it, and
 * forgotten once handed over: what is held at once is bounded by that window, whatever size
 * the checkpoint claims. Nothing fetched is trusted until the verifier has checked it against
 * the checkpoint, the witnesses and the entries' signatures.
 */
export class HttpSource {
  private readonly pending = new Map<string, Promise<Uint8Array | undefined>>();

  private constructor(
    private readonly base: string,
    private readonly note: string,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  static async open(baseUrl: string, options: { readonly timeoutMs?: number } = {}): Promise<HttpSource> {
    const base = baseUrl.replace(/\/+$/, '');
    const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
    const note = new TextDecoder().decode((await fetchBytes(`${base}/checkpoint`, timeoutMs))!);
    const size = parseDecimal(note.split('\n')[1] ?? '');
    if (size === undefined) throw new Error(`${base}/checkpoint: the second line is not a tree size`);
    return new HttpSource(base, note, size, timeoutMs);
  }

  readonly fetch = (path: string): Promise<Uint8Array | undefined> => {
    const pending = this.pending.get(path);
    this.pending.delete(path);
    return pending ?? fetchBytes(`${this.base}/${path}`, this.timeoutMs, true);
  };

  /** Starts fetching the bundles after `n` (with their level-0 tiles and archive pages), so the verifier seldom waits. */
  ahead(n: number): void {
    for (let next = n + 1; next <= n + AHEAD && next * TILE_WIDTH < this.size; next++) {
      const width = tileWidth(0, next, this.size);
      for (const path of [entriesPath(next, width), tilePath(0, next, width), archivePagePath(next)]) {
        if (this.pending.has(path)) continue;
        const fetching = fetchBytes(`${this.base}/${path}`, this.timeoutMs, true);
        // Its failure is the verifier's to read when it asks for the path, as "cannot reach":
        // turned into "not there" here, a log out of reach read as a log missing a tile.
        // Marked handled until then, or a failure nobody asked for yet would end the process.
        fetching.catch(() => undefined);
        this.pending.set(path, fetching);
      }
    }
  }

  checkpoint(): string {
    return this.note;
  }
}

/** The bytes at `url`; with `missingIsUndefined`, a 404 is "not there" rather than an error. */
async function fetchBytes(url: string, timeoutMs: number, missingIsUndefined = false): Promise<Uint8Array | undefined> {
  let response: Response;
  let bytes: Uint8Array;
  // The body is read inside the try too: a log that sends its headers and stalls is out of reach like one that never answers.
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  if (response.status === 404 && missingIsUndefined) return undefined;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return bytes;
}
