import { err, mapGet, ok, type Result, type State } from '@evenhand/core';

/** Entry types every case proof holds, whatever its case: they set the keys and rules the others are checked by. */
const CARRIED = ['treaty.', 'official.'];

/** A refusal that put a ground on the record against a party: what a mirrored ground rests on (Arrangement art. 5(1)). */
export interface Invocation {
  readonly request: string;
  readonly against: string;
}

/** What `observe` reads of an entry: its domain part. */
export interface ObservedEntry {
  readonly type: string;
  readonly author: string;
  readonly body: unknown;
}

/** What a `CaseIndex` holds, as plain data. */
export interface CaseIndexData {
  readonly everyProof: readonly number[];
  readonly trades: readonly (readonly [string, readonly string[]])[];
  readonly invocations: readonly (readonly [string, readonly Invocation[]])[];
  readonly published: readonly (readonly [string, number])[];
  readonly wrappedTo: readonly (readonly [string, readonly number[]])[];
}

/**
 * What a `CaseIndex` gained since the last snapshot took its changes (`takeChanges`): the
 * `everyProof` indexes added after the first `from`, and each pair set since (the maps only
 * ever set keys). A snapshot stored as a delta holds this instead of the whole index.
 */
export interface CaseIndexDelta {
  readonly from: number;
  readonly everyProof: readonly number[];
  readonly trades: CaseIndexData['trades'];
  readonly invocations: CaseIndexData['invocations'];
  readonly published: CaseIndexData['published'];
  readonly wrappedTo: CaseIndexData['wrappedTo'];
}

type PairMember = 'trades' | 'invocations' | 'published' | 'wrappedTo';
const PAIR_MEMBERS: readonly PairMember[] = ['trades', 'invocations', 'published', 'wrappedTo'];

/**
 * The log indexes a case proof needs that the replayed state does not keep (issue 13, "no
 * cost that grows with history"). The state already holds every request's and trade's own
 * entries by index (their `history`), so a prover reads a case's entries directly; what it
 * cannot find there without walking every record is:
 * - the entries every proof carries: the `treaty.*` entries, which put keys and rules in force,
 *   the `official.*` entries, which register and revoke the officials' keys that approvals
 *   are checked against, and each entry at which a denunciation took effect (the quorum
 *   changes there);
 * - the trades a request was proposed as a leg of (the state knows only the committed one);
 * - the first refusal of each party on each ground against each other party, which a later
 *   refusal on a mirrored ground relies on;
 * - the `seal.publish` entries of the transport keys a filing wrapped its case key to (issue
 *   17), without which the filing's `caseKeys` would not replay: two or three indexes a request.
 * The exchange's sequencer and each gateway's mirror feed it every entry as it applies, and
 * the CLI while it reads the log. Its `wrappedTo` grows with the filings that carry case keys,
 * so a snapshot after the first holds only what changed (`takeChanges`).
 */
export class CaseIndex {
  private readonly everyProof: number[] = [];
  private readonly trades = new Map<string, string[]>();
  private readonly invocations = new Map<string, Invocation[]>();
  /** The index of each transport key's publication, by party and key id. */
  private readonly published = new Map<string, number>();
  /** The publications each filing's case-key wraps rely on, by request: lists from `wrapList`, shared. */
  private readonly wrappedTo = new Map<string, readonly number[]>();
  /**
   * One frozen list for each list of publications some filing relied on, in its wraps' order.
   * Every filing wraps its case key to the latest transport keys (core erasure/case-keys.ts), so
   * filings between the same parties, wrapped in the same order, rely on the same list until a
   * party rotates its key: shared, a list costs a filing nothing. Each of its own, as `flatMap`
   * made it, took some 180 bytes of heap a filing in the exchange and in every gateway (issue
   * 14, memory per entry; a `flatMap` result keeps room for 17 elements). A filer may order its
   * wraps as it likes, and add an observer's: at worst a list a filing, as before.
   */
  private readonly wrapLists = new Map<string, readonly number[]>();
  /** The keys of each map set since changes were last taken, and how many `everyProof` indexes had been. */
  private changed: Record<PairMember, Set<string>> = { trades: new Set(), invocations: new Set(), published: new Set(), wrappedTo: new Set() };
  private everyProofTaken = 0;

  /** Records an entry that applied at `index`; `after` is the state it applied into (or any later one). */
  observe(index: number, entry: ObservedEntry, after: State): void {
    // The entry at which a denunciation took effect changes the quorum from there (issue 17):
    // every proof holds it, so that its checker finds the same point (core noteDenunciationsIn).
    if (after.denunciations?.some((each) => each.effectiveIndex === index)) this.everyProof.push(index);
    const body = (entry.body ?? {}) as { request?: unknown; trade?: unknown; legs?: unknown; decision?: unknown; ground?: unknown };
    if (CARRIED.some((prefix) => entry.type.startsWith(prefix))) this.everyProof.push(index);
    else if (entry.type === 'seal.publish' && typeof (body as { kid?: unknown }).kid === 'string') this.set('published', `${entry.author}\n${(body as { kid: string }).kid}`, index);
    else if (entry.type === 'request.file' && typeof body.request === 'string' && Array.isArray((body as { caseKeys?: unknown }).caseKeys)) {
      const wraps = (body as { caseKeys: { to?: unknown; kid?: unknown }[] }).caseKeys;
      this.set('wrappedTo', body.request, this.wrapList(wraps.flatMap((wrap) => this.published.get(`${String(wrap.to)}\n${String(wrap.kid)}`) ?? [])));
    } else if (entry.type === 'trade.propose' && typeof body.trade === 'string' && Array.isArray(body.legs)) {
      for (const leg of body.legs as { request?: unknown }[]) {
        if (typeof leg?.request !== 'string') continue;
        const list = this.trades.get(leg.request) ?? [];
        if (!list.includes(body.trade)) this.set('trades', leg.request, [...list, body.trade]);
      }
    } else if (entry.type === 'request.decide' && typeof body.ground === 'string' && typeof body.request === 'string' && (body.decision === 'refuse' || body.decision === 'refuse-prosecute')) {
      const against = mapGet(after.requests, body.request)?.view.requesting;
      if (against === undefined) return;
      const key = `${entry.author}\n${body.ground}`;
      const list = this.invocations.get(key) ?? [];
      // Only the first per party it was invoked against: a mirrored ground needs one, and the earliest is before any that relied on it.
      if (!list.some((item) => item.against === against)) this.set('invocations', key, [...list, { request: body.request, against }]);
    }
  }

  /** The shared list equal to `indexes` (see `wrapLists`). */
  private wrapList(indexes: readonly number[]): readonly number[] {
    const key = indexes.join(',');
    const known = this.wrapLists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze([...indexes]);
    this.wrapLists.set(key, list);
    return list;
  }

  private set<K extends PairMember>(member: K, key: string, value: CaseIndexData[K][number][1]): void {
    (this[member] as Map<string, unknown>).set(key, value);
    this.changed[member].add(key);
  }

  /**
   * What the index gained since changes were last taken (or since `load`), for a snapshot
   * stored as a delta; the next call starts from here. Its cost is that of the changes.
   */
  takeChanges(): CaseIndexDelta {
    const pairs = <K extends PairMember>(member: K) => [...this.changed[member]].map((key) => [key, structuredClone((this[member] as Map<string, unknown>).get(key))]) as unknown as CaseIndexData[K];
    const delta: CaseIndexDelta = { from: this.everyProofTaken, everyProof: this.everyProof.slice(this.everyProofTaken), trades: pairs('trades'), invocations: pairs('invocations'), published: pairs('published'), wrappedTo: pairs('wrappedTo') };
    this.forgetChanges();
    return delta;
  }

  /** The next delta starts here: a whole snapshot of the index was taken. */
  forgetChanges(): void {
    this.changed = { trades: new Set(), invocations: new Set(), published: new Set(), wrappedTo: new Set() };
    this.everyProofTaken = this.everyProof.length;
  }

  /** The indexes, as data for a replay snapshot (replay-snapshot.ts). */
  toData(): CaseIndexData {
    return {
      everyProof: [...this.everyProof],
      trades: [...this.trades].map(([request, trades]) => [request, [...trades]]),
      invocations: [...this.invocations].map(([key, list]) => [key, list.map((item) => ({ ...item }))]),
      published: [...this.published],
      wrappedTo: [...this.wrappedTo].map(([request, indexes]) => [request, [...indexes]]),
    };
  }

  /** Takes the indexes of a checked snapshot, replacing any observed so far. */
  load(data: CaseIndexData): void {
    this.everyProof.length = 0;
    this.everyProof.push(...data.everyProof);
    for (const [target, source] of [[this.trades, data.trades], [this.invocations, data.invocations], [this.published, data.published]] as const) {
      (target as Map<string, unknown>).clear();
      for (const [key, value] of source as readonly (readonly [string, unknown])[]) (target as Map<string, unknown>).set(key, value);
    }
    // A snapshot's lists are parsed one by one: shared again as observed ones are.
    this.wrappedTo.clear();
    this.wrapLists.clear();
    for (const [request, indexes] of data.wrappedTo) this.wrappedTo.set(request, this.wrapList(indexes));
    this.forgetChanges();
  }

  /** The indexes below `size` that every case proof holds: the `treaty.*` and `official.*` entries. */
  carriedByEveryProof(size: number): number[] {
    return this.everyProof.filter((index) => index < size);
  }

  /** The trades proposed with `request` as a leg, in order of proposal. */
  tradesOf(request: string): readonly string[] {
    return this.trades.get(request) ?? [];
  }

  /** The publications of the transport keys `request`'s filing wrapped its case key to. */
  keysOf(request: string): readonly number[] {
    return this.wrappedTo.get(request) ?? [];
  }

  /** The first refusal by `by` on `ground` against each party. */
  invokedBy(by: string, ground: string): readonly Invocation[] {
    return this.invocations.get(`${by}\n${ground}`) ?? [];
  }
}

/** Why a chain of case index deltas does not merge: its shape, or a delta that does not follow the index before it. */
export interface CaseIndexMergeError {
  readonly code: 'SNAPSHOT_SHAPE' | 'SNAPSHOT_INCONSISTENT';
  readonly message: string;
}

/**
 * The index data that a whole index `base` (as `toData` gave it) and the deltas after it (as
 * `takeChanges` gave them, in order) describe; unchecked beyond the deltas' own shape, for the
 * caller to check whole (replay-snapshot.ts).
 */
export function mergeCaseIndexDeltas(base: unknown, deltas: readonly unknown[]): Result<unknown, CaseIndexMergeError> {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const isPairs = (value: unknown): value is [unknown, unknown][] => Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2);
  const shape = (message: string) => err<CaseIndexMergeError>({ code: 'SNAPSHOT_SHAPE', message });
  if (deltas.length === 0) return ok(base);
  if (!isObject(base) || !Array.isArray(base.everyProof)) return shape('cases: expected the whole index');
  const everyProof = [...(base.everyProof as unknown[])];
  const maps = new Map<PairMember, Map<unknown, unknown>>();
  for (const member of PAIR_MEMBERS) {
    const pairs = base[member];
    if (!isPairs(pairs)) return shape(`cases.${member}: expected [key, value] pairs`);
    maps.set(member, new Map(pairs));
  }
  for (const [i, delta] of deltas.entries()) {
    if (!isObject(delta) || !Array.isArray(delta.everyProof)) return shape(`cases delta ${i}: expected an index delta`);
    if (delta.from !== everyProof.length) return err({ code: 'SNAPSHOT_INCONSISTENT', message: `cases delta ${i}: it does not follow the index before it (${everyProof.length} entries every proof holds)` });
    everyProof.push(...(delta.everyProof as unknown[]));
    for (const member of PAIR_MEMBERS) {
      const pairs = delta[member];
      if (!isPairs(pairs)) return shape(`cases delta ${i}.${member}: expected [key, value] pairs`);
      for (const [key, value] of pairs) maps.get(member)!.set(key, value);
    }
  }
  return ok({ ...base, everyProof, ...Object.fromEntries(PAIR_MEMBERS.map((member) => [member, [...maps.get(member)!]])) });
}
