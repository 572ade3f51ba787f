import { apply, genesis, type AnyDomainEntry, type State } from '@evenhand/core';
import {
  addSignatureLines, archivePageOf, archivePagePath, cosign, domainPart, EMPTY_ROOT, encodeArchivePage, formatCheckpoint, MerkleTree, parseEntry, signCheckpoint, toBase64, writeTiles,
  type NoteSigner,
} from '@evenhand/log';
import { honestView, ORIGIN, type ScenarioKeys } from '@evenhand/testing';
import { AuthorWriter } from '@evenhand/server';

/**
 * Logs as the operator of issue 12's threat model builds them: it holds the log key and the
 * neutral witness's key, and here, for the cells that test `verify` on its own, every witness
 * key too (a verifier must catch what its own gateway was fooled into cosigning). Entries are
 * signed as their authors (or with any seed the attack picks), each cites the latest archived
 * checkpoint before it as `seen`, and the archive, tiles and checkpoint are what an exchange
 * serves or a directory holds.
 */
export interface CraftOptions {
  readonly keys: ScenarioKeys;
  readonly entries: readonly AnyDomainEntry[];
  /** The seed that signs entry `index` as `author`, when not the author's own (a forgery). */
  readonly seedOf?: (author: string, index: number) => Uint8Array | undefined;
  /** The witnessed time of the archived checkpoint of `size`, or undefined for none: by default one every 4 entries, when its last entry was logged. */
  readonly archiveAt?: (size: number, times: readonly number[]) => number | undefined;
  /** The size entry `index` says its author saw: by default the latest archived size up to it. */
  readonly seenOf?: (index: number, archived: ReadonlySet<number>) => number;
  /** The witnesses that cosign the checkpoint (US, RU and CH by default), and when. */
  readonly cosigners?: readonly string[];
  readonly cosignedAt?: (witness: string) => number;
  /** The size the checkpoint claims, when not the tree's (a size the tiles cannot back). */
  readonly claimSize?: number;
}

export interface HostileLog {
  readonly note: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Tiles, entry bundles and checkpoint archive pages, by path; `checkpoint` apart. */
  readonly tiles: Map<string, Uint8Array>;
  readonly bytes: readonly Uint8Array[];
  readonly tree: MerkleTree;
  /** The public views an honest exchange would serve for these entries. */
  readonly views: (view: string, query: Record<string, string>) => unknown;
}

/** Every 4 entries, witnessed when its last entry was logged. */
export const everyFourth = (size: number, times: readonly number[]): number | undefined => (size % 4 === 0 ? times[size - 1] : undefined);

function latestBelow(index: number, archived: ReadonlySet<number>): number {
  for (let size = index; size > 0; size--) if (archived.has(size)) return size;
  return 0;
}

/** A checkpoint of the first `size` entries of `tree`, signed by the log, cosigned by each witness at its time. */
function cosignedNote(keys: ScenarioKeys, checkpoint: { size: number; root: Uint8Array }, cosigners: readonly string[], at: (witness: string) => number): string {
  const body = { origin: ORIGIN, size: checkpoint.size, root: checkpoint.root };
  const signed = signCheckpoint(body, keys.log);
  if (!signed.ok) throw new Error(signed.error.message);
  return addSignatureLines(signed.value, cosigners.map((name) => cosign(formatCheckpoint(body), keys.witnesses.get(name) as NoteSigner, at(name))));
}

export function craftLog(options: CraftOptions): HostileLog {
  const { keys, entries } = options;
  const times = entries.map((entry) => entry.time);
  const archiveAt = options.archiveAt ?? everyFourth;
  const archivedTimes = new Map<number, number>();
  for (let size = 1; size <= entries.length; size++) {
    const at = archiveAt(size, times);
    if (at !== undefined) archivedTimes.set(size, at);
  }
  const archived = new Set(archivedTimes.keys());
  const tree = new MerkleTree();
  const chains = new Map<string, { seq: number; bytes: Uint8Array }>();
  const bytes = entries.map((entry, index) => {
    const writer = new AuthorWriter(entry.author, ORIGIN, options.seedOf?.(entry.author, index) ?? keys.authors.get(entry.author)!.seed);
    const previous = chains.get(entry.author);
    if (previous) writer.resume(previous);
    const size = (options.seenOf ?? latestBelow)(index, archived);
    const seen = { size, root: toBase64(size === 0 ? EMPTY_ROOT : tree.root(size)) };
    const signed = writer.sign(entry, seen);
    chains.set(entry.author, { seq: signed.entry.seq, bytes: signed.bytes });
    tree.append(signed.bytes);
    return signed.bytes;
  });
  const tiles = writeTiles(tree, (i) => bytes[i]!);
  const everyWitness = [...keys.witnesses.keys()];
  const pages = new Map<number, string[]>();
  for (const [size, at] of archivedTimes) {
    const page = pages.get(archivePageOf(size)) ?? [];
    page.push(cosignedNote(keys, { size, root: tree.root(size) }, everyWitness, () => at));
    pages.set(archivePageOf(size), page);
  }
  for (const [n, notes] of pages) tiles.set(archivePagePath(n), encodeArchivePage(notes));
  const lastTime = times.at(-1) ?? 0;
  const note = cosignedNote(keys, { size: options.claimSize ?? tree.size, root: tree.root() }, options.cosigners ?? everyWitness, options.cosignedAt ?? (() => lastTime + 60));
  return { note, size: tree.size, root: tree.root(), tiles, bytes, tree, views: honestViews(bytes) };
}

/** The state after the first `size` entries. */
export function replay(bytes: readonly Uint8Array[], size: number): State {
  let state = genesis();
  for (const entryBytes of bytes.slice(0, size)) {
    const entry = parseEntry(entryBytes);
    if (!entry.ok) throw new Error(entry.error.message);
    const next = apply(state, domainPart(entry.value) as AnyDomainEntry);
    if (!next.ok) throw new Error(`${entry.value.type}: ${next.error.message}`);
    state = next.value;
  }
  return state;
}

/** What an honest exchange answers at `?size=` (its head by default) for these entries (testing honest-views.ts). */
function honestViews(bytes: readonly Uint8Array[]): HostileLog['views'] {
  return (view, query) => {
    const size = query.size === undefined ? bytes.length : Number(query.size);
    if (!Number.isSafeInteger(size) || size < 0 || size > bytes.length) return undefined;
    return honestView(replay(bytes, size), view, query);
  };
}
