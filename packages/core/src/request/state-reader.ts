import type { z } from 'zod';
import { FigureCell } from '../statistics/figure-cell.ts';
import { err, ok, type Result } from '../result.ts';
import { issuesFromZod } from '../treaty/load.ts';
import { mapFromEntries, mapValues, positionalMapFromEntries, type PersistentMap } from './persistent-map.ts';
import { openTradesOf, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { hasMapValueShape, requestRecordShape } from './snapshot-check.ts';
import { bytesAt, SnapshotValueRefused, Unread, type LazyBytes } from './unread-value.ts';
import { mapValueSchema, stateDeltaSchema, stateHeaderSchema } from './snapshot-schema.ts';
import { memberAt, STATE_MAP_PATHS, type StateMapPath } from './state-map-paths.ts';
import { keptFacts, keptList, keptWordList, type State } from './state.ts';
import type { Facts } from './entries.ts';
import { keepWordsIn, treatyWords } from './kept-words.ts';

/**
 * Reads a state written as lines (issue 14, "Snapshots"): a header, the members of the state
 * with each persistent map given as its number of pairs (snapshot.ts `encodeStateHeader`),
 * then each map's [key, value] pairs one at a time, in STATE_MAP_PATHS order (`statePairs`),
 * then any deltas (snapshot-delta.ts). Each part is checked as it comes, so that a reader need
 * never hold a whole snapshot's text or its parsed copy: at 10^6 entries that was 250 MB of
 * text and as much again of objects, garbage that a restart left to the collector.
 *
 * It refuses, with a stable code, anything but the exact shape written; `finish` checks what
 * ties the maps together (each record under its own id, order indexes complete) and rebuilds
 * the tries from the pairs (never a stored trie); the figure index is counted from the records
 * afterwards, while the service serves (FigureCell `counting`).
 */
export interface SnapshotError {
  readonly code: 'SNAPSHOT_SHAPE' | 'SNAPSHOT_DUPLICATE_KEY' | 'SNAPSHOT_INCONSISTENT';
  readonly message: string;
}

/** How a reader may keep request records unread (`unreadPair`): `refused` hears of a record that did not read, once it is first read. */
export interface UnreadRecords {
  readonly refused: (error: SnapshotError) => void;
}

type Header = z.infer<typeof stateHeaderSchema>;

const shape = (message: string): Result<never, SnapshotError> => err({ code: 'SNAPSHOT_SHAPE', message });

function zodProblem(error: z.ZodError, prefix: readonly PropertyKey[]): Result<never, SnapshotError> {
  return shape(issuesFromZod(error.issues, prefix).slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`).join('; '));
}

export class StateReader {
  /** Each map's pairs so far, by STATE_MAP_PATHS position. */
  private readonly maps: Map<string, unknown>[] = STATE_MAP_PATHS.map(() => new Map());
  /** The map the next pair belongs to, and how many pairs each map's header announced. */
  private current = 0;
  private readonly expected: number[];
  /** The words each value read keeps one copy of: those of the records and of the header's treaty (kept-words.ts). */
  private words: ReadonlyMap<string, string>;
  /** Reads a request record kept unread; set when the header allows records to be kept so. */
  private readonly readRecord: ((text: () => Uint8Array, key: string) => unknown) | undefined;

  private constructor(
    private header: Header,
    unread: UnreadRecords | undefined,
  ) {
    this.expected = STATE_MAP_PATHS.map((path) => memberAt(header, path) as number);
    this.words = treatyWords(header.treaty);
    // zod's copy, the reader's own: the grounds of its invocations are words too.
    keepWordsIn(header, this.words);
    // Only records written under this version's schema (snapshot-check.ts `requestRecordShape`): others are checked at once.
    if (unread && header.recordShape === requestRecordShape()) this.readRecord = recordReader(this.words, unread.refused);
    this.skipFilled();
  }

  /**
   * Starts from a header (`encodeStateHeader`'s data). With `unread`, the request records may
   * be handed over unread (`unreadPair`), when the header's mark says this version wrote them:
   * for a holder whose snapshot is bound to it by its own key, as a service's stored ones are.
   */
  static start(header: unknown, unread?: UnreadRecords): Result<StateReader, SnapshotError> {
    const parsed = stateHeaderSchema.safeParse(header);
    return parsed.success ? ok(new StateReader(parsed.data, unread)) : zodProblem(parsed.error, ['state']);
  }

  /** Whether the next pair is a request record's. */
  get readsRecords(): boolean {
    return STATE_MAP_PATHS[this.current] === 'requests';
  }

  /** Whether the next pair may be handed over unread (`unreadPair`): a request record, of a snapshot whose records may be kept so. */
  get takesUnread(): boolean {
    return this.readRecord !== undefined && this.readsRecords;
  }

  /** How many pairs are still to come before the deltas. */
  get pairsLeft(): number {
    let left = 0;
    for (let i = this.current; i < STATE_MAP_PATHS.length; i++) left += this.expected[i]! - this.maps[i]!.size;
    return left;
  }

  private skipFilled(): void {
    while (this.current < STATE_MAP_PATHS.length && this.maps[this.current]!.size >= this.expected[this.current]!) this.current++;
  }

  /** The next [key, value] pair of the maps, in STATE_MAP_PATHS order. The state keeps the value itself, not a copy: the caller hands it over. */
  pair(pair: unknown): Result<true, SnapshotError> {
    const path = STATE_MAP_PATHS[this.current];
    if (path === undefined) return shape('state: a pair beyond the counts its header gives');
    const map = this.maps[this.current]!;
    // The place is named only in a refusal: made for each of the 457,065 pairs at 10^6 entries, it was garbage for each.
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return shape(`state.${path}[${map.size}]: expected a [key, value] pair`);
    const key = pair[0];
    if (map.has(key)) return duplicate(path, key);
    const value = checkedValue(path, pair[1], () => ['state', ...path.split('.'), map.size, 1]);
    if (!value.ok) return value;
    map.set(key, this.kept(path, value.value));
    this.skipFilled();
    return ok(true);
  }

  /**
   * The next pair, a request record (`takesUnread`), given as its key and the bytes of its
   * value's JSON text (`source` from `start` to `end`; a block that makes them, when the
   * snapshot keeps its records apart), which it keeps unread (unread-value.ts).
   * The record is parsed and checked at its first reading, as `pair` checks it, and against its
   * key as `finish` checks the records read at once; one that does not read is then told to
   * `refused` and thrown (`SnapshotValueRefused`).
   */
  unreadPair(key: string, source: Uint8Array | LazyBytes, start: number, end: number): Result<true, SnapshotError> {
    if (!this.takesUnread) return shape(`state.${STATE_MAP_PATHS[this.current] ?? 'beyond its maps'}: a pair handed over unread where its value is to be read`);
    const map = this.maps[this.current]!;
    if (map.has(key)) return duplicate('requests', key);
    map.set(key, new Unread(source, start, end, key, this.readRecord!));
    this.skipFilled();
    return ok(true);
  }

  /**
   * The next pair, a request record given as its key and where its JSON text is (as
   * `unreadPair` takes it): kept unread when the reader takes records so, else parsed now and
   * checked as `pair` checks it. A snapshot that keeps its records apart in blocks gives each
   * record so, whether this version wrote it or one whose records differ.
   */
  recordPair(key: string, source: Uint8Array | LazyBytes, start: number, end: number): Result<true, SnapshotError> {
    if (this.takesUnread) return this.unreadPair(key, source, start, end);
    const record = parsedRecord(key, () => bytesAt(source, start, end));
    return record.ok ? this.pair([key, record.value]) : record;
  }

  /** A delta from the state read so far (`encodeStateDelta`, stored data): its changes and members replace those read. */
  delta(delta: unknown): Result<true, SnapshotError> {
    if (this.pairsLeft > 0) return shape(`state: ${this.pairsLeft} of the pairs its header announced did not come`);
    const parsed = stateDeltaSchema.safeParse(delta);
    if (!parsed.success) return zodProblem(parsed.error, ['delta']);
    const { base, ...members } = parsed.data;
    if (base !== this.header.size) return err({ code: 'SNAPSHOT_INCONSISTENT', message: `delta.base: it applies to a state of ${base} entries, the chain is at ${this.header.size}` });
    // The words of the treaty the delta holds, before its values: a treaty adopted since the last snapshot names its own offences.
    this.words = treatyWords(members.treaty);
    for (const [i, path] of STATE_MAP_PATHS.entries()) {
      const change = memberAt(members, path) as { readonly set: readonly (readonly [string, unknown])[]; readonly drop: readonly string[] };
      const map = this.maps[i]!;
      for (const key of change.drop) map.delete(key);
      for (const [key, value] of change.set) map.set(key, this.kept(path, value));
    }
    // The members besides the maps are whole in a delta; the maps' counts are what they now hold.
    this.header = { ...members, requests: 0, requestIds: 0, trades: { ...members.trades, byId: 0, ids: 0, locks: 0 }, officials: { ...members.officials, byId: 0, byKey: 0 }, incidents: { byId: 0, ids: 0, members: 0, groups: 0, groupIds: 0, links: 0 } };
    keepWordsIn(this.header, this.words);
    return ok(true);
  }

  private kept(path: StateMapPath, value: unknown): unknown {
    return keptValue(path, value, this.words);
  }

  /** The state read: every pair announced must have come. */
  finish(): Result<State, SnapshotError> {
    if (this.pairsLeft > 0) return shape(`state: ${this.pairsLeft} of the pairs its header announced did not come`);
    const problem = this.inconsistency();
    if (problem) return err({ code: 'SNAPSHOT_INCONSISTENT', message: problem });
    const map = <V>(path: StateMapPath) => mapFromEntries(this.maps[STATE_MAP_PATHS.indexOf(path)]! as Map<string, V>) as PersistentMap<V>;
    // The order indexes, whose keys `inconsistency` found to be the positions 0 … n−1, held by position as a replay holds them.
    const positional = <V>(path: StateMapPath) => positionalMapFromEntries(this.maps[STATE_MAP_PATHS.indexOf(path)]! as Map<string, V>);
    const h = this.header;
    const trades = map<TradeRecord>('trades.byId');
    const fields: Omit<State, 'figures'> = {
      treaty: h.treaty,
      proposals: h.proposals,
      requests: map('requests'),
      requestIds: positional('requestIds'),
      invocations: h.invocations,
      size: h.size,
      trades: { byId: trades, ids: positional('trades.ids'), locks: map('trades.locks'), blocCredits: h.trades.blocCredits, partyCredits: h.trades.partyCredits, open: openTradesOf(mapValues(trades)) },
      officials: { byId: map('officials.byId'), byKey: map('officials.byKey'), counts: h.officials.counts },
      incidents: { byId: map('incidents.byId'), ids: positional('incidents.ids'), members: map('incidents.members'), groups: map('incidents.groups'), groupIds: map('incidents.groupIds'), links: map('incidents.links') },
      // Optional members are left out, not set to undefined: a decoded state has the keys a replayed one has.
      ...(h.adoptedAt === undefined ? {} : { adoptedAt: h.adoptedAt }),
      ...(h.clearingCredits === undefined ? {} : { clearingCredits: h.clearingCredits }),
      ...(h.lastClearingRoundAt === undefined ? {} : { lastClearingRoundAt: h.lastClearingRoundAt }),
      ...(h.denunciations === undefined ? {} : { denunciations: h.denunciations }),
      ...(h.transportKeys === undefined ? {} : { transportKeys: h.transportKeys }),
    };
    // The views' index is derived data: counted again from the records, never taken from the snapshot, and
    // counted by the holder between its other work (FigureCell `counting`), not before the state is served.
    return ok({ ...fields, figures: FigureCell.counting(fields) });
  }

  /** What ties the maps together, in words; undefined when it holds. */
  private inconsistency(): string | undefined {
    const pairs = (path: StateMapPath) => this.maps[STATE_MAP_PATHS.indexOf(path)]! as Map<string, unknown>;
    return (
      keyedById(pairs('requests'), 'requests') ??
      orderIndex(pairs('requestIds'), pairs('requests').size, 'requestIds') ??
      keyedById(pairs('trades.byId'), 'trades.byId') ??
      orderIndex(pairs('trades.ids'), pairs('trades.byId').size, 'trades.ids') ??
      keyedById(pairs('incidents.byId'), 'incidents.byId') ??
      orderIndex(pairs('incidents.ids'), pairs('incidents.byId').size, 'incidents.ids') ??
      keyedById(pairs('officials.byId'), 'officials.byId', (value) => `${value.party}/${value.id}`)
    );
  }
}

const duplicate = (path: StateMapPath, key: string): Result<never, SnapshotError> => err({ code: 'SNAPSHOT_DUPLICATE_KEY', message: `state.${path}: ${JSON.stringify(key)} is given twice` });

/** A parsed value of the map at `path`, kept as it is when its shape holds (snapshot-check.ts); else zod decides, and its copy is kept. `place` names it in a refusal. */
function checkedValue(path: StateMapPath, value: unknown, place: () => readonly PropertyKey[]): Result<unknown, SnapshotError> {
  if (hasMapValueShape(path, value)) return ok(value);
  const parsed = mapValueSchema(path).safeParse(value);
  return parsed.success ? ok(parsed.data) : zodProblem(parsed.error, place());
}

/**
 * A value read as `apply` would have kept it: each word one copy (kept-words.ts), a
 * record's empty lists the shared one. The reader owns the value it read, and its shape was
 * checked: it is changed in place.
 */
function keptValue(path: StateMapPath, value: unknown, words: ReadonlyMap<string, string>): unknown {
  keepWordsIn(value, words);
  return withKeptParts(path, value);
}

/**
 * Reads a request record kept unread (`unreadPair`), with the checks a record read at once
 * has: its JSON, its shape, the key it is under. It holds the words and `refused`, not the
 * reader, whose maps of pairs are garbage once the state is made.
 */
function recordReader(words: ReadonlyMap<string, string>, refused: (error: SnapshotError) => void): (text: () => Uint8Array, key: string) => unknown {
  const refuse = (error: SnapshotError): never => {
    refused(error);
    throw new SnapshotValueRefused(error);
  };
  return (text, key) => {
    const parsed = parsedRecord(key, text);
    if (!parsed.ok) return refuse(parsed.error);
    const value = checkedValue('requests', parsed.value, () => ['state', 'requests', key, 1]);
    if (!value.ok) return refuse(value.error);
    const own = (value.value as { readonly id: string }).id;
    if (own !== key) return refuse({ code: 'SNAPSHOT_INCONSISTENT', message: `state.requests: the record under ${JSON.stringify(key)} is ${JSON.stringify(own)}` });
    return keptValue('requests', value.value, words);
  };
}

/** A record's text must be UTF-8, as a line must (log json-lines.ts). */
const recordTextDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON value of a request record's text, which `text` gives (it throws when the text's
 * block does not decompress or does not hold it); a refusal naming the record's key, as `pair`
 * names a place only in a refusal, when it does not read.
 */
function parsedRecord(key: string, text: () => Uint8Array): Result<unknown, SnapshotError> {
  try {
    return ok(JSON.parse(recordTextDecoder.decode(text())));
  } catch (error) {
    return shape(`state.requests ${JSON.stringify(key)}: its value does not read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * A request record read with its empty lists made the shared one (state.ts `NONE_YET`), its
 * lists of one word shared (`keptWordList`) and its facts one literal or NO_FACTS
 * (`keptFacts`), as `apply` keeps them, so that a restarted state holds no more objects than
 * a replayed one.
 */
function withKeptParts(path: StateMapPath, value: unknown): unknown {
  if (path !== 'requests') return value;
  const record = value as { view: { facts: Facts; offences: readonly string[]; subject: { nationalities: readonly string[] } }; consultations: readonly unknown[]; infoPauses: readonly unknown[]; assurancesGiven: readonly unknown[]; decision?: { assurances: readonly unknown[] } };
  record.view.facts = keptFacts(record.view.facts);
  record.view.offences = keptWordList(record.view.offences);
  record.view.subject.nationalities = keptWordList(record.view.subject.nationalities);
  record.consultations = keptList(record.consultations);
  record.infoPauses = keptList(record.infoPauses);
  record.assurancesGiven = keptList(record.assurancesGiven);
  if (record.decision) record.decision.assurances = keptList(record.decision.assurances);
  return record;
}

/** A record stored under another key than its own id would make `getRequest(id)` lie. */
function keyedById(pairs: Map<string, unknown>, path: string, keyOf: (value: { readonly id: string; readonly party?: string }) => string = (value) => value.id): string | undefined {
  for (const [key, value] of pairs) {
    // A record kept unread is checked against its key when it is read (`recordReader`).
    if (value instanceof Unread) continue;
    const own = keyOf(value as { readonly id: string; readonly party?: string });
    if (key !== own) return `${path}: the record under ${JSON.stringify(key)} is ${JSON.stringify(own)}`;
  }
  return undefined;
}

/** An order index (requestIds, trade ids, …) must name exactly the positions 0 … n-1 of the records it orders. */
function orderIndex(pairs: Map<string, unknown>, records: number, path: string): string | undefined {
  if (pairs.size !== records) return `${path}: ${pairs.size} positions for ${records} records`;
  for (const key of pairs.keys()) {
    const position = Number(key);
    if (!Number.isSafeInteger(position) || position < 0 || position >= records || String(position) !== key) return `${path}: ${JSON.stringify(key)} is not a position below ${records}`;
  }
  return undefined;
}
