import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APPROVED_ACTS, scenario2021, type AnyDomainEntry } from '@evenhand/core';
import {
  addSignatureLines, archivePageOf, archivePagePath, cosign, EMPTY_ROOT, encodeArchivePage, entryLink, formatCheckpoint, MerkleTree, parseEntry, signCheckpoint, signEntry, toBase64, writeTiles,
  type JsonObject, type NoteSigner,
} from '@evenhand/log';
import { approvedEntry, foundingRegistration, ORIGIN, repeatedScenario, scenarioPolicy, testOfficial, TREATY_ID, treatyWithKeys, type ScenarioKeys, type TestOfficial } from '@evenhand/testing';
import { keygen } from '../src/keys.ts';

/**
 * Builds a real log directory from the 2021 scenario: the treaty with each party's entry
 * key, every entry signed and chained, C2SP tiles, and a checkpoint signed by the log and
 * cosigned by the witnesses US, RU and CH.
 */
export const NOW = 1_700_000_000;

export type Keys = ScenarioKeys;

/** Fresh keys for every run, generated as the CLI generates them (keys.ts). */
export function makeKeys(): Keys {
  return {
    log: keygen(ORIGIN),
    authors: new Map(['US', 'RU', 'exchange'].map((party) => [party, keygen(party)])),
    witnesses: new Map(['US', 'RU', 'CH'].map((name) => [name, keygen(name, 'witness')])),
  };
}

/** The scenario's domain entries, with the parties' keys written into the proposed treaty. */
export function scenarioDomainEntries(keys: Keys, now = NOW): AnyDomainEntry[] {
  return scenario2021(treatyWithKeys(keys), now);
}

/** Authors see the checkpoint published every 5 entries (their `seen`). */
export const SEEN_EVERY = 5;

/**
 * Signs domain entries into envelopes: per-author seq and prev, and `seen`. `signerAt` picks
 * another key for an entry (a key changed by amendment); by default each author's in `keys`.
 */
export function signEntries(
  domain: readonly { author: string; time: number; type: string; body: unknown }[],
  keys: Keys,
  signerAt: (index: number, author: string) => NoteSigner | undefined = () => undefined,
): Uint8Array[] {
  const tree = new MerkleTree();
  const last = new Map<string, { seq: number; link: string }>();
  const out: Uint8Array[] = [];
  for (const [index, item] of domain.entries()) {
    const prior = last.get(item.author);
    const seenSize = Math.floor(index / SEEN_EVERY) * SEEN_EVERY;
    const signer = signerAt(index, item.author) ?? keys.authors.get(item.author);
    if (!signer) throw new Error(`no key for ${item.author}`);
    const body = JSON.parse(JSON.stringify(item.body)) as JsonObject;
    const { bytes } = signEntry(
      {
        v: 1, log: ORIGIN, author: item.author, seq: (prior?.seq ?? 0) + 1, prev: prior?.link ?? '',
        seen: { size: seenSize, root: toBase64(seenSize === 0 ? EMPTY_ROOT : tree.root(seenSize)) }, time: item.time, type: item.type, body,
      },
      signer.seed,
    );
    last.set(item.author, { seq: (prior?.seq ?? 0) + 1, link: entryLink(bytes) });
    tree.append(bytes);
    out.push(bytes);
  }
  return out;
}

export interface WrittenLog {
  readonly dir: string;
  readonly note: string;
  readonly tree: MerkleTree;
}

/** A checkpoint of the tree's first `size` entries, signed by the log and cosigned at `time`. */
function cosignedNote(tree: MerkleTree, size: number, keys: Keys, cosigners: readonly NoteSigner[], time: number): string {
  const checkpoint = { origin: ORIGIN, size, root: tree.root(size) };
  const signed = signCheckpoint(checkpoint, keys.log);
  if (!signed.ok) throw new Error(signed.error.message);
  return addSignatureLines(signed.value, cosigners.map((w) => cosign(formatCheckpoint(checkpoint), w, time)));
}

/** The witnesses' cosigning time of each archived checkpoint: by default when its last entry was logged. */
export type ArchiveTime = (size: number, entryTimes: readonly number[]) => number;

/**
 * Writes tiles, bundles, the checkpoint archive (the checkpoints the authors saw, every
 * SEEN_EVERY entries, cosigned by US, RU and CH at `archiveTime`), and a checkpoint cosigned
 * by `witnesses` (plus any `extraCosigners`) at `time`.
 */
export function writeLog(dir: string, entries: readonly Uint8Array[], keys: Keys, options: { witnesses?: readonly string[]; extraCosigners?: readonly NoteSigner[]; time?: number; archiveTime?: ArchiveTime } = {}): WrittenLog {
  const tree = new MerkleTree();
  for (const entry of entries) tree.append(entry);
  for (const [path, bytes] of writeTiles(tree, (i) => entries[i] as Uint8Array)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  const times = entries.map((bytes) => {
    const entry = parseEntry(bytes);
    return entry.ok ? entry.value.time : 0;
  });
  const archiveTime = options.archiveTime ?? ((size, entryTimes) => entryTimes[size - 1]!);
  const everyWitness = ['US', 'RU', 'CH'].map((name) => keys.witnesses.get(name) as NoteSigner);
  const pages = new Map<number, string[]>();
  for (let size = SEEN_EVERY; size <= tree.size; size += SEEN_EVERY) {
    const page = pages.get(archivePageOf(size)) ?? [];
    page.push(cosignedNote(tree, size, keys, everyWitness, archiveTime(size, times)));
    pages.set(archivePageOf(size), page);
  }
  for (const [n, notes] of pages) {
    mkdirSync(dirname(join(dir, archivePagePath(n))), { recursive: true });
    writeFileSync(join(dir, archivePagePath(n)), encodeArchivePage(notes));
  }
  const cosigners = [...(options.witnesses ?? ['US', 'RU', 'CH']).map((name) => keys.witnesses.get(name) as NoteSigner), ...(options.extraCosigners ?? [])];
  const note = cosignedNote(tree, tree.size, keys, cosigners, options.time ?? NOW);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'checkpoint'), note);
  return { dir, note, tree };
}

/** The policy: the log key; the witnesses US, RU (both states required) and CH (neutral). */
export function writePolicy(path: string, keys: Keys): void {
  writeFileSync(path, scenarioPolicy(keys));
}

/** A long log: the scenario's adoption, then its requests again and again under fresh ids. */
export function longDomainEntries(keys: Keys, copies: number): AnyDomainEntry[] {
  return repeatedScenario(treatyWithKeys(keys), NOW, copies);
}

/**
 * The 2021 scenario with officials (issue 13): each state registers its two approvers'
 * test keys once the treaty is in force, and every act that binds a state carries both
 * approvers' signatures. `forge` may replace the signers of one act, to forge an approval.
 */
export function approvedScenarioEntries(keys: Keys, forge?: { at: (entry: AnyDomainEntry, position: number) => boolean; signers: readonly TestOfficial[] }): AnyDomainEntry[] {
  const scenario = scenarioDomainEntries(keys);
  const adopted = scenario.findIndex((entry) => !entry.type.startsWith('treaty.'));
  const parties = ['US', 'RU'];
  const officialsOf = (party: string) => [1, 2].map((n) => testOfficial(`${party.toLowerCase()}-approver-${n}`));
  const time = scenario[adopted]!.time;
  const registrations = parties.map((party) => foundingRegistration(party, time, officialsOf(party)));
  const rest = scenario.slice(adopted).map((entry, position) => {
    if (!APPROVED_ACTS.has(entry.type) || !parties.includes(entry.author)) return entry;
    const { approvers: _approvers, approvals: _approvals, ...body } = entry.body as Record<string, unknown>;
    const signers = forge?.at(entry, position) ? forge.signers : officialsOf(entry.author);
    return approvedEntry(TREATY_ID, entry.author, entry.time, entry.type, body, signers);
  });
  return [...scenario.slice(0, adopted), ...registrations, ...rest];
}
