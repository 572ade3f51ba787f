import { encodeStateDelta, encodeStateHeader, err, ok, StateReader, statePairs, treatySchema, type LazyBytes, type Result, type State, type Treaty, type UnfiguredState, type UnreadRecords } from '@evenhand/core';
import { jsonTextOf, type LineBytes } from './json-lines.ts';
import { asciiText, pairKeyEnd, plainTextPair, recordPlace, type RecordPlace } from './pair-line-bytes.ts';
import { mergeCaseIndexDeltas, type CaseIndex, type CaseIndexData, type CaseIndexDelta, type Invocation } from './case-index.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import type { EntryVerifier } from './entry-verifier.ts';
import { HASH_SIZE, type Hash } from './hash.ts';
import type { EntryTimesData } from './time-rules.ts';
import type { TreatyHistory } from './treaty-policy.ts';
import type { MerkleTree } from './tree.ts';

/**
 * Everything a replay of the log's first `size` entries builds, besides the Merkle tree, as
 * plain JSON data (issue 14, "Snapshots"): the domain state (core snapshot.ts), the author
 * chains and entry times the next entry is checked against, the treaty in force at each size,
 * and the case index. The exchange's sequencer and each gateway's mirror store one now and
 * then and, at a restart, take it instead of replaying the whole log: they replay the tail only.
 *
 * A whole snapshot is written as lines (`replaySnapshotLines`): this header, with the state's
 * maps given as their numbers of pairs, then the pairs, one to a line. A reader checks and
 * keeps each line as it comes (`ReplayReader`) and never holds the whole text: at 10^6
 * entries it was 250 MB, parsed at once, and the restart's garbage. A delta is one object:
 * this header with the state's changes and the case index's gains since the snapshot before.
 *
 * The tree is not in it. Its leaves are the log's own (every store keeps each entry's leaf
 * hash beside it), so a restart rebuilds the tree from them without hashing an entry again,
 * and the root that gives at `size` must be the snapshot's `root`: the snapshot is thereby
 * tied to the log's signed history, and one made of another history is refused.
 */
export interface ReplaySnapshotHeader {
  /** 2 since snapshots are written as lines; a snapshot of version 1 (one JSON text) is refused, and the log replayed. */
  readonly v: 2;
  readonly size: number;
  /** The tree's root at `size`, base64. */
  readonly root: string;
  /** The state's header (core `encodeStateHeader`), or in a delta its changes (core `encodeStateDelta`). */
  readonly state: Record<string, unknown>;
  readonly chains: readonly (readonly [string, { readonly seq: number; readonly link: string }])[];
  readonly times: EntryTimesData;
  readonly treaties: readonly { readonly size: number; readonly treaty?: Treaty | undefined }[];
  /** The case index whole, or in a delta what it gained since the snapshot before (CaseIndex `takeChanges`). */
  readonly cases: CaseIndexData | CaseIndexDelta;
}

/** The log-side parts of a snapshot (`captureReplay`), to be written with a state. The header type serves a delta too, its `state` then a delta's. */
export type CapturedReplay = Omit<ReplaySnapshotHeader, 'state'>;

/** What a replay holds at `size`, read at once so that the parts describe the same prefix of the log. */
export interface ReplayParts {
  readonly verifier: EntryVerifier;
  readonly treaties: TreatyHistory;
  readonly cases: CaseIndex;
}

export interface ReplaySnapshotError {
  readonly code: 'SNAPSHOT_SHAPE' | 'SNAPSHOT_DUPLICATE_KEY' | 'SNAPSHOT_INCONSISTENT' | 'SNAPSHOT_ROOT_MISMATCH';
  readonly message: string;
}

/**
 * The log-side parts of a snapshot at the verifier's size: cheap to take (they grow with the
 * authors and the treaty's history; the case index, which grows with the filings, is taken as
 * what it gained since the last snapshot when `delta` is set). The state is immutable, so its
 * lines may be written later (`replaySnapshotLines`, `replaySnapshotDelta`) without blocking the caller.
 */
export function captureReplay(parts: ReplayParts, options: { readonly delta?: boolean } = {}): CapturedReplay {
  const { verifier } = parts;
  let cases: CaseIndexData | CaseIndexDelta;
  if (options.delta) cases = parts.cases.takeChanges();
  else {
    cases = parts.cases.toData();
    parts.cases.forgetChanges();
  }
  return {
    v: 2,
    size: verifier.tree.size,
    root: toBase64(verifier.tree.root()),
    chains: verifier.chains.toData(),
    times: verifier.times.toData(),
    treaties: parts.treaties.toData().map((change) => (change.treaty === undefined ? { size: change.size } : change)),
    cases,
  };
}

/**
 * A whole snapshot of `captured` and `state`, as the values of its lines: the header, then
 * every pair of the state's maps. The state is immutable, so the lines may be walked later,
 * in slices, without blocking the caller. `captured` must have been taken without `delta`.
 */
export function* replaySnapshotLines(captured: CapturedReplay, state: State): Generator<unknown> {
  if (state.size !== captured.size) throw new Error(`replaySnapshotLines: the state has ${state.size} entries, the captured replay ${captured.size}`);
  yield { ...captured, state: encodeStateHeader(state) };
  yield* statePairs(state);
}

/**
 * A whole snapshot's lines (`replaySnapshotLines`, header first) with the request records kept
 * apart (issue 14, "restart ≤ 2 s at 10^6"): each record's JSON text is handed to `keep`, and
 * its line is `["key",block,start,end]`, the place `keep` gave, instead of `["key",record]`.
 * The records were four fifths of a whole snapshot's text at 10^6 entries (some 200 of 249 MB),
 * all decompressed at each restart to be kept unread; kept apart in blocks, a restart
 * decompresses none of them, and a block at a record's first reading. A reader takes such lines with the blocks (`ReplayLineReader`).
 */
export function* linesApart(values: Iterable<unknown>, keep: (recordText: string) => RecordPlace): Generator<unknown> {
  const lines = values[Symbol.iterator]();
  const header = lines.next();
  if (header.done) return;
  yield header.value;
  // The requests map comes first (STATE_MAP_PATHS), with as many pairs as the header counts.
  let records = (header.value as { readonly state?: { readonly requests?: unknown } }).state?.requests;
  if (typeof records !== 'number' || !Number.isSafeInteger(records) || records < 0) throw new Error(`linesApart: the header counts ${String(records)} request records`);
  for (const line of { [Symbol.iterator]: () => lines }) {
    if (records-- <= 0) yield line;
    else {
      const [key, record] = line as readonly [string, unknown];
      yield [key, ...keep(jsonTextOf(record))];
    }
  }
}

/**
 * A delta snapshot: `captured` (taken with `delta` set) with the state's changes since
 * `before`, the state of the snapshot it follows (core snapshot-delta.ts).
 */
export function replaySnapshotDelta(captured: CapturedReplay, state: State, before: UnfiguredState): ReplaySnapshotHeader {
  if (state.size !== captured.size) throw new Error(`replaySnapshotDelta: the state has ${state.size} entries, the captured replay ${captured.size}`);
  if (before.size > state.size) throw new Error(`replaySnapshotDelta: a delta from ${before.size} entries to ${state.size}`);
  return { ...captured, state: encodeStateDelta(before, state) };
}

export interface DecodedReplay {
  readonly size: number;
  readonly root: Hash;
  readonly state: State;
  restore(parts: ReplayParts): void;
}

class Refused extends Error {
  constructor(readonly error: ReplaySnapshotError) {
    super(error.message);
  }
}

function shape(what: string): never {
  throw new Refused({ code: 'SNAPSHOT_SHAPE', message: what });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function exactKeys(value: unknown, required: readonly string[], optional: readonly string[], path: string): Record<string, unknown> {
  if (!isObject(value)) shape(`${path}: expected an object`);
  for (const key of required) if (!Object.hasOwn(value, key)) shape(`${path}.${key}: missing`);
  for (const key of Object.keys(value)) if (!required.includes(key) && !optional.includes(key)) shape(`${path}.${key}: not a member of a snapshot`);
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) shape(`${path}: expected an array`);
  return value;
}

function count(value: unknown, path: string): number {
  if (!isCount(value)) shape(`${path}: expected a whole number ≥ 0`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') shape(`${path}: expected a string`);
  return value;
}

/** Pairs [key, value] with distinct keys, each value checked by `check`. */
function pairs<V>(value: unknown, path: string, check: (item: unknown, path: string) => V): [string, V][] {
  const out: [string, V][] = [];
  const seen = new Set<string>();
  for (const [i, item] of array(value, path).entries()) {
    if (!Array.isArray(item) || item.length !== 2) shape(`${path}[${i}]: expected a [key, value] pair`);
    const key = string(item[0], `${path}[${i}][0]`);
    if (seen.has(key)) throw new Refused({ code: 'SNAPSHOT_DUPLICATE_KEY', message: `${path}: ${JSON.stringify(key)} is given twice` });
    seen.add(key);
    out.push([key, check(item[1], `${path}[${i}][1]`)]);
  }
  return out;
}

function instant(value: unknown, path: string): { time: number; index: number } | undefined {
  if (value === undefined) return undefined;
  const item = exactKeys(value, ['time', 'index'], [], path);
  return { time: count(item.time, `${path}.time`), index: count(item.index, `${path}.index`) };
}

function casesOf(value: unknown): CaseIndexData {
  const data = exactKeys(value, ['everyProof', 'trades', 'invocations', 'published', 'wrappedTo'], [], 'cases');
  const invocation = (item: unknown, path: string): Invocation => {
    const checked = exactKeys(item, ['request', 'against'], [], path);
    return { request: string(checked.request, `${path}.request`), against: string(checked.against, `${path}.against`) };
  };
  return {
    everyProof: array(data.everyProof, 'cases.everyProof').map((item, i) => count(item, `cases.everyProof[${i}]`)),
    trades: pairs(data.trades, 'cases.trades', (item, path) => array(item, path).map((trade, i) => string(trade, `${path}[${i}]`))),
    invocations: pairs(data.invocations, 'cases.invocations', (item, path) => array(item, path).map((each, i) => invocation(each, `${path}[${i}]`))),
    published: pairs(data.published, 'cases.published', count),
    wrappedTo: pairs(data.wrappedTo, 'cases.wrappedTo', (item, path) => array(item, path).map((index, i) => count(index, `${path}[${i}]`))),
  };
}

const HEADER_KEYS = ['v', 'size', 'root', 'state', 'chains', 'times', 'treaties', 'cases'] as const;

/**
 * Reads a snapshot back from a store, line by line (`replaySnapshotLines`), then the deltas
 * that follow it, and returns what to restore a replay from. It refuses, with a stable code,
 * anything but the exact shape written, and any part that describes another size than the
 * snapshot's. The root is checked by the caller, once it has rebuilt the tree from its stored
 * leaf hashes (`checkRoot`).
 */
export class ReplayReader {
  private readonly caseDeltas: unknown[] = [];

  private constructor(
    private readonly state: StateReader,
    private readonly base: Record<string, unknown>,
    /** The header or delta read last: its log-side parts are the snapshot's. */
    private last: Record<string, unknown>,
    private readonly blocks: RecordBlockAt | undefined,
  ) {}

  /**
   * Starts from the first line of a whole snapshot; `unread` lets its request records be kept
   * unread (core StateReader `start`). With `blocks`, the records were kept apart
   * (`linesApart`), and their lines give their places in these blocks.
   */
  static start(header: unknown, unread?: UnreadRecords, blocks?: RecordBlockAt): Result<ReplayReader, ReplaySnapshotError> {
    try {
      const top = versioned(header, 'snapshot');
      const state = StateReader.start(top.state, unread);
      return state.ok ? ok(new ReplayReader(state.value, top, top, blocks)) : err(state.error);
    } catch (error) {
      if (error instanceof Refused) return err(error.error);
      throw error;
    }
  }

  /** The next line after the header: a pair of the state's maps. */
  pair(pair: unknown): Result<true, ReplaySnapshotError> {
    return this.state.pair(pair);
  }

  /**
   * The next line after the header, as its bytes: a request record is kept unread when the
   * state reader takes it so and the line is a pair as written (`unreadPair`), its text in the
   * line or, with blocks, in the block its line names (`recordPlace`); a pair of two plain texts
   * is read from its bytes (`plainTextPair`); any other line is parsed.
   */
  pairLine(line: LineBytes, parse: (line: LineBytes) => unknown): Result<true, ReplaySnapshotError> {
    const close = pairKeyEnd(line);
    if (close >= 0 && this.blocks && this.state.readsRecords) return this.placedRecord(line, close, this.blocks);
    if (close >= 0 && this.state.takesUnread) return this.state.unreadPair(asciiText(line.source, line.start + 2, close), line.source, close + 2, line.end - 1);
    return this.state.pair((close >= 0 && plainTextPair(line, close)) || parse(line));
  }

  /**
   * A request record's line where the records were kept apart: its place in `blocks`. The
   * record is kept unread in its block when the state reader takes it so; a record written
   * under another version's schema is read from its block and checked now (core StateReader
   * `recordPair`), as its line would have been.
   */
  private placedRecord(line: LineBytes, close: number, blocks: RecordBlockAt): Result<true, ReplaySnapshotError> {
    const key = asciiText(line.source, line.start + 2, close);
    const place = recordPlace(line, close);
    const block = place && blocks(place[0]);
    if (!place || !block) return err({ code: 'SNAPSHOT_SHAPE', message: `state.requests ${JSON.stringify(key)}: expected [key, block, start, end], the place of its record in one of the snapshot's blocks` });
    return this.state.recordPair(key, block, place[1], place[2]);
  }

  /** A delta snapshot (`replaySnapshotDelta`) after the snapshot read so far. */
  delta(delta: unknown): Result<true, ReplaySnapshotError> {
    try {
      const top = versioned(delta, 'delta');
      const state = this.state.delta(top.state);
      if (!state.ok) return state;
      this.caseDeltas.push(top.cases);
      this.last = top;
      return ok(true);
    } catch (error) {
      if (error instanceof Refused) return err(error.error);
      throw error;
    }
  }

  /** What the snapshot and its deltas describe, checked. */
  finish(): Result<DecodedReplay, ReplaySnapshotError> {
    try {
      const top = this.last;
      const size = count(top.size, 'snapshot.size');
      const root = fromBase64(string(top.root, 'snapshot.root'));
      if (!root || root.length !== HASH_SIZE) shape('snapshot.root: expected a base64 SHA-256 hash');
      const state = this.state.finish();
      if (!state.ok) return err(state.error);
      if (state.value.size !== size) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `state.size: ${state.value.size}, but the snapshot is of ${size} entries` });
      const chains = pairs(top.chains, 'chains', (item, path) => {
        const last = exactKeys(item, ['seq', 'link'], [], path);
        const link = string(last.link, `${path}.link`);
        if (!/^[0-9a-f]{64}$/.test(link)) shape(`${path}.link: expected a hex leaf hash`);
        return { seq: count(last.seq, `${path}.seq`), link };
      });
      const timesData = exactKeys(top.times, [], ['latest', 'uncovered'], 'times');
      const times: EntryTimesData = { latest: instant(timesData.latest, 'times.latest'), uncovered: instant(timesData.uncovered, 'times.uncovered') };
      for (const each of [times.latest, times.uncovered]) if (each && each.index >= size) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `times: an entry index ${each.index} beyond the snapshot's ${size}` });
      const treaties = array(top.treaties, 'treaties').map((item, i) => {
        const change = exactKeys(item, ['size'], ['treaty'], `treaties[${i}]`);
        const at = count(change.size, `treaties[${i}].size`);
        if (at > size) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `treaties[${i}].size: ${at} is beyond the snapshot's ${size}` });
        if (change.treaty === undefined) return { size: at, treaty: undefined };
        const treaty = treatySchema.safeParse(change.treaty);
        if (!treaty.success) shape(`treaties[${i}].treaty: not a treaty (${treaty.error.issues[0]?.message ?? ''})`);
        return { size: at, treaty: treaty.data };
      });
      const merged = mergeCaseIndexDeltas(this.base.cases, this.caseDeltas);
      if (!merged.ok) return err(merged.error);
      const cases = casesOf(merged.value);
      if (cases.everyProof.some((index) => index >= size)) throw new Refused({ code: 'SNAPSHOT_INCONSISTENT', message: `cases.everyProof: an entry index beyond the snapshot's ${size}` });
      return ok({
        size,
        root,
        state: state.value,
        restore(parts: ReplayParts) {
          if (parts.verifier.tree.size !== size) throw new Error(`restore: the tree has ${parts.verifier.tree.size} leaves, the snapshot ${size}`);
          parts.verifier.chains.load(chains);
          parts.verifier.times.load(times);
          parts.treaties.load(treaties, state.value);
          parts.cases.load(cases);
        },
      });
    } catch (error) {
      if (error instanceof Refused) return err(error.error);
      throw error;
    }
  }
}

/**
 * A whole snapshot's lines, taken in order (`replaySnapshotLines`): the first starts a
 * ReplayReader, and each after it is a pair of the state's maps.
 */
export class ReplayLineReader {
  private started: ReplayReader | undefined;

  /**
   * `unread`: the request records may be kept unread (ReplayReader `start`), when a line is
   * given as its bytes (`lineBytes`); `blocks`: they were kept apart, in these blocks.
   */
  constructor(
    private readonly unread?: UnreadRecords,
    private readonly blocks?: RecordBlockAt,
  ) {}

  /** The reader, once a header has started it; undefined before any line. */
  get reader(): ReplayReader | undefined {
    return this.started;
  }

  line(value: unknown): Result<true, ReplaySnapshotError> {
    if (this.started) return this.started.pair(value);
    const started = ReplayReader.start(value, this.unread, this.blocks);
    if (!started.ok) return started;
    this.started = started.value;
    return ok(true);
  }

  /** A line as its bytes, which `parse` reads unless it is a pair kept unread or a pair of plain texts (ReplayReader `pairLine`). */
  lineBytes(line: LineBytes, parse: (line: LineBytes) => unknown): Result<true, ReplaySnapshotError> {
    return this.started ? this.started.pairLine(line, parse) : this.line(parse(line));
  }
}

/** The block of a snapshot's records kept apart at a number (`linesApart`); undefined when the snapshot has no such block. */
export type RecordBlockAt = (block: number) => LazyBytes | undefined;

/** A header or delta of this version, with exactly its members. */
function versioned(value: unknown, path: string): Record<string, unknown> {
  const top = exactKeys(value, HEADER_KEYS, [], path);
  if (top.v !== 2) shape(`${path}.v: expected 2, found ${JSON.stringify(top.v)} (a snapshot of another version)`);
  return top;
}

/** The tree rebuilt from stored leaf hashes must give the snapshot's root: else it is of another history. */
export function checkRoot(decoded: DecodedReplay, tree: MerkleTree): Result<true, ReplaySnapshotError> {
  if (tree.size !== decoded.size) return err({ code: 'SNAPSHOT_ROOT_MISMATCH', message: `the store holds ${tree.size} leaves up to the snapshot, not ${decoded.size}` });
  const root = tree.root();
  if (toBase64(root) !== toBase64(decoded.root)) return err({ code: 'SNAPSHOT_ROOT_MISMATCH', message: `the log's root at size ${decoded.size} is ${toBase64(root)}, the snapshot's ${toBase64(decoded.root)}` });
  return ok(true);
}
