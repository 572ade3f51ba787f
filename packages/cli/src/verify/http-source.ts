import { entriesPath, parseDecimal, tilePath, tileWidth, TILE_WIDTH, type TileFetch } from '@evenhand/log';

/** How many tiles are fetched at once from the exchange. */
const CONCURRENCY = 8;

/**
 * A log read from an exchange over HTTP (C2SP tlog-tiles: `/checkpoint`, `/tile/...`). The
 * verifier computes synchronously from tiles, so every tile a tree of the checkpoint's size
 * has is fetched first; nothing fetched is trusted until the verifier has checked it
 * against the checkpoint, the witnesses and the entries' signatures.
 */
export class HttpSource {
  readonly read = new Map<string, Uint8Array>();

  private constructor(private readonly note: string) {}

  static async open(baseUrl: string, onProgress?: (done: number, total: number) => void): Promise<HttpSource> {
    const base = baseUrl.replace(/\/+$/, '');
    const note = await fetchText(`${base}/checkpoint`);
    const size = parseDecimal(note.split('\n')[1] ?? '');
    if (size === undefined) throw new Error(`${base}/checkpoint: the second line is not a tree size`);
    const source = new HttpSource(note);
    const paths = tilePathsFor(size);
    let done = 0;
    const queue = [...paths];
    const worker = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        source.read.set(path, await fetchBytes(`${base}/${path}`));
        done += 1;
        if (done % 64 === 0 || done === paths.length) onProgress?.(done, paths.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
    return source;
  }

  readonly fetch: TileFetch = (path) => this.read.get(path);

  checkpoint(): string {
    return this.note;
  }
}

/** Every hash tile and entry bundle of a tree of `size` (tlog-tiles layout). */
export function tilePathsFor(size: number): string[] {
  const paths: string[] = [];
  for (let level = 0; Math.floor(size / TILE_WIDTH ** level) > 0; level++) {
    const count = Math.floor(size / TILE_WIDTH ** level);
    for (let n = 0; n * TILE_WIDTH < count; n++) {
      paths.push(tilePath(level, n, tileWidth(level, n, size)));
      if (level === 0) paths.push(entriesPath(n, tileWidth(0, n, size)));
    }
  }
  return paths;
}

async function fetchText(url: string): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(url));
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
