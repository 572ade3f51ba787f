/**
 * The log of the growth benchmark (issue 14): realistic requests across three states, US, RU
 * and TR (TR joins by the accession amendment, as in accession-scenario.ts and the three-state
 * walk), signed by the states' test keys and written straight into a SQLite store, not over
 * HTTP, so that a million entries take minutes. Every entry must still pass what the exchange
 * checks when it replays its log at start: signatures, author chains, `seen`, time rules,
 * treaty and lifecycle.
 *
 * Logs are cached under `.bench-cache/growth-v<GENERATOR_VERSION>-<size>/` at the repository
 * root: bump GENERATOR_VERSION whenever what is generated changes, so that no stale cache is read.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, isoTime, type AnyDomainEntry, type EntryBody, type EntryType } from '@evenhand/core';
import { EMPTY_ROOT, toBase64, type SeenCheckpoint } from '@evenhand/log';
import { openStore } from '@evenhand/store';
import { ORIGIN, scenarioKeys, treatiesForStates, type ScenarioKeys } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { storeEntries } from '../test/snapshot-log.ts';

export const GENERATOR_VERSION = 3;
export const STATES = ['US', 'RU', 'TR'] as const;
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const DAY = 86_400;
/**
 * The log's history is fixed in time, whatever the size, so that a cached log stays valid:
 * it ends on 1 September 2026 and covers the two years before; a larger log is a busier one.
 */
export const LOG_END = 1_788_220_800;
const LOG_START = LOG_END - 730 * DAY;

/** Which keys sign the growth log: the scenario's test keys of the three states (deterministic). */
export function growthKeys(): ScenarioKeys {
  return scenarioKeys([...STATES]);
}

export interface GrowthLog {
  readonly dir: string;
  /** The SQLite file holding the entries (copy it before a service opens it: services write to it). */
  readonly db: string;
  readonly size: number;
  /** Sum of the stored entries' bytes. */
  readonly bytes: number;
  readonly lastTime: number;
  /** How long generating took when the cache was made. */
  readonly generatedSeconds: number;
  readonly cached: boolean;
}

/** The growth log of `size` entries, from the cache or generated into it. */
export async function growthLog(size: number, progress: (line: string) => void = () => undefined): Promise<GrowthLog> {
  const dir = join(REPO_ROOT, '.bench-cache', `growth-v${GENERATOR_VERSION}-${size}`);
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Omit<GrowthLog, 'dir' | 'db' | 'cached'>;
    return { ...meta, dir, db: join(dir, 'log.db'), cached: true };
  }
  // Generated aside and renamed at the end, so that an interrupted run leaves no half cache.
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = performance.now();
  const keys = growthKeys();
  const domain = domainEntries(keys, size);
  progress(`  ${domain.length.toLocaleString('en-US')} domain entries laid out in ${((performance.now() - started) / 1000).toFixed(1)} s; signing and storing…`);
  const store = await openStore({ engine: 'sqlite', file: join(work, 'log.db') });
  const writers = new Map<string, AuthorWriter>();
  // Entries cite the empty log as `seen`: a checkpoint they cite must be in the log's archive
  // of published checkpoints, with its witnessed time (time-rules.ts rule 1), which `verify`
  // checks, and a generated history has no published checkpoints. Size 0 needs none.
  const seen: SeenCheckpoint = { size: 0, root: toBase64(EMPTY_ROOT) };
  let bytes = 0;
  let pending: Uint8Array[] = [];
  try {
    for (const [index, item] of domain.entries()) {
      let writer = writers.get(item.author);
      if (!writer) {
        writer = new AuthorWriter(item.author, ORIGIN, keys.authors.get(item.author)!.seed);
        writers.set(item.author, writer);
      }
      const signed = writer.sign(item, seen);
      writer.commit(signed);
      bytes += signed.bytes.length;
      pending.push(signed.bytes);
      if (pending.length >= 8192) {
        await storeEntries(store, pending);
        pending = [];
        if ((index + 1) % 100_000 < 8192) progress(`  ${(index + 1).toLocaleString('en-US')} entries signed and stored (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    await storeEntries(store, pending);
  } finally {
    await store.close();
  }
  const generatedSeconds = (performance.now() - started) / 1000;
  const meta = { size: domain.length, bytes, lastTime: domain[domain.length - 1]!.time, generatedSeconds, generator: GENERATOR_VERSION };
  writeFileSync(join(work, 'meta.json'), `${JSON.stringify(meta)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return { ...meta, dir, db: join(dir, 'log.db'), cached: false };
}

const NO_FACTS = { finalJudgment: false, amnesty: false, politicalOffence: false, discriminationRisk: false, militaryOffence: false, fiscalOffence: false, pendingProceedings: false };

/**
 * The body of a filing as the growth table appends them after a log (growth.bench.ts) and the
 * state-memory bench adds them to a state: an extradition of subject `tag`-`author`-`n`.
 */
export function appendedFiling(author: string, requested: string, tag: string, n: number, offenceDate: string): EntryBody<'request.file'> {
  return {
    request: `${author}-${tag.toUpperCase()}${n}`,
    requested,
    kind: 'extradition',
    purpose: 'prosecution',
    subject: { pseudonym: `${tag}-${author}-${n}`, nationalities: ['UA'], ageAtOffence: 30 },
    offences: ['computer-fraud'],
    offenceDate,
    facts: NO_FACTS,
    sealed: { identity: `sealed identity of ${tag}-${author}-${n}`, statement: 'Fraud by a crew operating across borders.' },
  };
}
/** Offences every one of the three law profiles lists with a penalty above a year: a grant is lawful both ways. */
const OFFENCES = [['computer-fraud'], ['laundering'], ['computer-fraud', 'laundering']];
const PAIRS = STATES.flatMap((from) => STATES.filter((to) => to !== from).map((to) => [from, to] as const));

/**
 * The domain entries of a log of exactly `size` entries: adoption by US and RU, TR's accession
 * ratified by all three, then cases between every pair of states filed at an even pace over
 * two years, each following one of the lifecycles of the 2021 scenario (granted and
 * surrendered; information asked and supplied, then granted; decision period extended, then
 * granted; withdrawn; acknowledged and left pending past its deadline), merged in time order.
 * The log is cut at `size`: the latest cases are then simply still open.
 */
export function domainEntries(keys: ScenarioKeys, size: number): AnyDomainEntry[] {
  const [first, amended] = treatiesForStates(keys, STATES, new Map());
  const entries: AnyDomainEntry[] = [];
  const add = <T extends EntryType>(author: string, time: number, type: T, body: EntryBody<T>) => entries.push({ author, time, type, body } as AnyDomainEntry);
  add('RU', LOG_START, 'treaty.propose', { treaty: first! });
  add('RU', LOG_START, 'treaty.ratify', { treaty: first!.id, version: first!.version });
  add('US', LOG_START + 3600, 'treaty.ratify', { treaty: first!.id, version: first!.version });
  add('US', LOG_START + DAY, 'treaty.propose', { treaty: amended! });
  for (const party of STATES) add(party, LOG_START + DAY + 3600, 'treaty.ratify', { treaty: amended!.id, version: amended!.version });
  const opening = entries.length;

  // 4.5 entries a case on average (the mix below); a few more cases than needed, cut after sorting.
  const cases = Math.ceil(((size - opening) / 4.5) * 1.1) + 4;
  const firstFiling = LOG_START + 2 * DAY;
  const pace = (LOG_END - 60 * DAY - firstFiling) / cases;
  const date = (at: number) => isoTime(at).slice(0, 10);
  const approvers = (party: string) => [`${party.toLowerCase()}-approver-1`, `${party.toLowerCase()}-approver-2`];
  for (let k = 0; k < cases; k++) {
    const [requesting, requested] = PAIRS[k % PAIRS.length]!;
    const filed = Math.floor(firstFiling + k * pace);
    const at = (days: number) => filed + Math.round(days * DAY);
    const request = `${requesting}-G${k}`;
    const decide = (time: number, onReciprocity = false) => add(requested, time, 'request.decide', { request, decision: onReciprocity ? 'grant-conditional' : 'grant', assurances: [], onReciprocity, findings: {}, approvers: approvers(requested) });
    add(requesting, filed, 'request.file', {
      request,
      requested,
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: `g-${k}`, nationalities: ['UA'], ageAtOffence: 25 + (k % 20) },
      offences: OFFENCES[k % OFFENCES.length]!,
      offenceDate: date(addDays(filed, -(60 + (k % 300)))),
      facts: NO_FACTS,
      sealed: { identity: `sealed identity of g-${k}`, statement: `Fraud and laundering by a crew operating across borders, case ${k}.` },
    });
    add(requested, at(2), 'request.acknowledge', { request });
    const shape = Math.floor(k / PAIRS.length) % 10;
    if (shape <= 3) {
      decide(at(30));
      add(requested, at(32), 'request.schedule-surrender', { request, date: date(at(35)), place: 'Geneva' });
      add(requested, at(35), 'request.surrender', { request });
      add(requesting, at(36), 'request.confirm-receipt', { request });
    } else if (shape <= 5) {
      add(requested, at(10), 'request.ask-info', { request, sealed: { questions: 'Wallet attribution evidence.' } });
      add(requesting, at(15), 'request.supply-info', { request, sealed: { answer: 'Attached.' } });
      decide(at(40));
    } else if (shape === 6) {
      add(requested, at(25), 'request.extend', { request, sealed: { reasons: 'Forensic review of seized devices.' } });
      // Granted on reciprocity (Arrangement art. 4) and never traded: the pool of open grants
      // grows with the log, as it would where grants go unmatched (/api/trade-pool's cost).
      decide(at(50), true);
    } else if (shape === 7) {
      add(requesting, at(20), 'request.withdraw', { request, sealed: { reasons: 'The subject was arrested elsewhere.' } });
    }
    // Shapes 8 and 9: acknowledged and left pending, past the decision deadline later on.
  }
  const sorted = entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.time - b.entry.time || a.index - b.index).map(({ entry }) => entry);
  if (sorted.length < size) throw new Error(`the generator laid out ${sorted.length} entries, fewer than ${size}`);
  return sorted.slice(0, size);
}
