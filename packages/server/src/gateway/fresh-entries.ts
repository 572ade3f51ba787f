import { bytesEqual, decodeBundle, entriesPath, leafHash, TILE_WIDTH, tileWidth, TileWindow, verifyConsistency, type MerkleTree } from '@evenhand/log';
import type { ExchangeClient } from './exchange-client.ts';

/** Why the entries from `own` to a signed size could not be had: a fork, or data that contradicts the signed checkpoint. */
export interface FreshProblem {
  readonly code: 'SPLIT_VIEW' | 'INCONSISTENT';
  readonly message: string;
}

export type FreshEntries = { readonly ok: true; readonly entries: Uint8Array[] } | { readonly ok: false; readonly problem: FreshProblem };

/**
 * The entries that extend the mirror's verified tree (of `tree.size` leaves) to the signed
 * tree of `size` leaves and `root`, before the mirror replays any of them: once replay begins
 * its tree moves, and only a restart could undo that.
 *
 * First the entry bundles alone: if this tree with their leaves appended has the signed root,
 * the signed tree extends this one by exactly these entries (RFC 6962 §2.1; a consistency
 * proof shows no more), and no hash tile is read. Under a steady trickle of filings every
 * checkpoint is cosigned by each state's gateway, and the hash tiles of the right edge were a
 * chain of round trips in each cosignature, behind which the filing waiting for it queued.
 * The hash tiles are then left to whoever reads them (evenhand verify, a public mirror), who
 * checks them against the signed root as this path checks the bundles.
 *
 * When they do not, the tiles say what is wrong, as every extension did before: a tiles' root
 * other than the signed one, a signed tree that does not extend this one (consistency, RFC
 * 9162 §2.1.4), or bundles that do not hash to the level-0 tiles. The exchange's errors
 * (ExchangeUnreachable) are thrown to the caller.
 */
export async function freshEntries(exchange: ExchangeClient, tree: MerkleTree, size: number, root: Uint8Array): Promise<FreshEntries> {
  const own = tree.size;
  const direct: Uint8Array[] = [];
  const unread = await entriesFrom(own, size, Infinity, collectInto(direct), async (n, width) => {
    const bytes = await exchange.tile(entriesPath(n, width));
    if (!bytes) return 'not found';
    const decoded = decodeBundle(bytes, width);
    if (!decoded.ok) return decoded.error.message;
    // The first bundle's entries below `own` are this tree's already: one that is not its leaf
    // is forged bytes served to whoever reads the bundle, which the tiles' path names.
    const first = n * TILE_WIDTH;
    const differs = tree.firstDifferentLeaf(first, decoded.value.slice(0, Math.max(0, own - first)).map((bytes) => leafHash(bytes)));
    if (differs >= 0) return `entry ${first + differs} is not the entry this gateway verified there`;
    return decoded.value;
  });
  if (unread === undefined && bytesEqual(tree.rootWith(direct.map((bytes) => leafHash(bytes))), root)) return { ok: true, entries: direct };
  return tileChecked(exchange, tree, size, root);
}

/**
 * The entries from `own` to `size`, bundle by bundle as `bundle(n)` gives them, handed to
 * `take` at most `chunk` at a time, in order. The walk ends at the first bundle it cannot have,
 * with why (a string naming the bundle), or at the first problem `take` returns.
 */
async function entriesFrom<P extends object>(own: number, size: number, chunk: number, take: (entries: Uint8Array[]) => Promise<P | undefined>, bundle: (n: number, width: number) => Promise<Uint8Array[] | string>): Promise<string | P | undefined> {
  let pending: Uint8Array[] = [];
  for (let n = Math.floor(own / TILE_WIDTH); n * TILE_WIDTH < size; n++) {
    const width = tileWidth(0, n, size);
    const got = await bundle(n, width);
    if (typeof got === 'string') return `entry bundle ${entriesPath(n, width)}: ${got}`;
    got.forEach((bytes, i) => {
      if (n * TILE_WIDTH + i >= own) pending.push(bytes);
    });
    if (pending.length >= chunk || (n + 1) * TILE_WIDTH >= size) {
      const stopped = await take(pending);
      if (stopped !== undefined) return stopped;
      pending = [];
    }
  }
  return undefined;
}

/** A `take` that keeps every entry it is handed in `into`, and never stops the walk. */
const collectInto = (into: Uint8Array[]) => async (entries: Uint8Array[]): Promise<undefined> => {
  for (const bytes of entries) into.push(bytes);
  return undefined;
};

/**
 * Why the exchange's hash tiles do not give `root` for `size`, or undefined when they do: an
 * extension's first check on the tiles' path, and the mirror's periodic audit of the tiles
 * it no longer reads (PeerChecks.checkServedTiles, peer-checks.ts).
 */
export async function tilesRootProblem(window: TileWindow, size: number, root: Uint8Array): Promise<string | undefined> {
  const tilesRoot = await window.run((reader) => reader.root());
  if (!tilesRoot.ok) return `the exchange's tiles for size ${size} are unusable: ${tilesRoot.error.message}`;
  if (!bytesEqual(tilesRoot.value, root)) return `the exchange's tiles for size ${size} give a root other than its signed checkpoint`;
  return undefined;
}

/**
 * Entries an extension holds at once at most. A gateway that was stopped, or started on an
 * empty database, extends by every entry the log gained meanwhile, and held them all, parsed,
 * at once: its peak RSS grew 690 MB for 10^5 entries and 2,154 MB for 3×10^5 (issue 14), and
 * 10^6 would not fit a default heap. Past this many it takes them a chunk at a time
 * (`freshEntriesInChunks`). At 10^5 filings (bench/catch-up.bench.ts) chunks of 16,384 added
 * 460–505 MB to the peak RSS, of 4,096 388–430 MB, and of 1,024 384–395 MB, in about the same
 * time: below 4,096 the peak is the replayed state and the collector's room, not the chunk.
 */
export const EXTENSION_CHUNK = 4_096;

/** The tiles' account: the signed tree's root and its consistency with this one, then each bundle against its level-0 tile. */
async function tileChecked(exchange: ExchangeClient, tree: MerkleTree, size: number, root: Uint8Array): Promise<FreshEntries> {
  const entries: Uint8Array[] = [];
  const problem = await freshEntriesInChunks<never>(exchange, tree, size, root, Infinity, collectInto(entries));
  return problem ? { ok: false, problem } : { ok: true, entries };
}

/**
 * The entries that extend the mirror's verified tree (of `tree.size` leaves) to the signed
 * tree of `size` leaves and `root`, handed to `take` at most `chunk` at a time, in order: for
 * an extension too long to hold whole (EXTENSION_CHUNK). Before any is handed over, the hash
 * tiles must give the signed root, and the tree they describe must extend this one
 * (consistency, RFC 9162 §2.1.4); each bundle must then hash to its level-0 tile. So every
 * chunk is a run of the signed tree's own leaves, though no checkpoint names the size it
 * ends at, and `take` may replay and store it before the next is fetched. `take` moves the
 * tree; it may stop the walk with a problem, which is returned. The exchange's errors
 * (ExchangeUnreachable) are thrown to the caller.
 */
export async function freshEntriesInChunks<P extends object>(exchange: ExchangeClient, tree: MerkleTree, size: number, root: Uint8Array, chunk: number, take: (entries: Uint8Array[]) => Promise<P | undefined>): Promise<FreshProblem | P | undefined> {
  // Read before `take` moves the tree.
  const own = tree.size;
  const window = new TileWindow((path) => exchange.tile(path), size);
  const wrongRoot = await tilesRootProblem(window, size, root);
  if (wrongRoot) return { code: 'INCONSISTENT', message: wrongRoot };
  if (own > 0) {
    const proof = await window.run((reader) => reader.consistencyProof(own, size));
    if (!proof.ok) return { code: 'INCONSISTENT', message: `cannot compute the consistency proof ${own}→${size} from tiles: ${proof.error.message}` };
    const consistent = verifyConsistency(own, size, proof.value, tree.root(), root);
    if (!consistent.ok) return { code: 'SPLIT_VIEW', message: `the log's tree of size ${size} does not extend the tree of size ${own} this gateway verified before (${consistent.error.message})` };
  }
  const stopped = await entriesFrom(own, size, chunk, take, async (n) => {
    const bundle = await window.run((reader) => reader.entries(n));
    return bundle.ok ? bundle.value : bundle.error.message;
  });
  return typeof stopped === 'string' ? { code: 'INCONSISTENT', message: stopped } : stopped;
}
