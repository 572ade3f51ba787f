import { mapGet, type State } from '@evenhand/core';

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
 * the CLI while it reads the log; it grows with the treaty's amendments and the trades, not
 * with the log.
 */
export class CaseIndex {
  private readonly everyProof: number[] = [];
  private readonly trades = new Map<string, string[]>();
  private readonly invocations = new Map<string, Invocation[]>();
  /** The index of each transport key's publication, by party and key id. */
  private readonly published = new Map<string, number>();
  /** The publications each filing's case-key wraps rely on, by request. */
  private readonly wrappedTo = new Map<string, number[]>();

  /** Records an entry that applied at `index`; `after` is the state it applied into (or any later one). */
  observe(index: number, entry: ObservedEntry, after: State): void {
    // The entry at which a denunciation took effect changes the quorum from there (issue 17):
    // every proof holds it, so that its checker finds the same point (core noteDenunciationsIn).
    if (after.denunciations?.some((each) => each.effectiveIndex === index)) this.everyProof.push(index);
    const body = (entry.body ?? {}) as { request?: unknown; trade?: unknown; legs?: unknown; decision?: unknown; ground?: unknown };
    if (CARRIED.some((prefix) => entry.type.startsWith(prefix))) this.everyProof.push(index);
    else if (entry.type === 'seal.publish' && typeof (body as { kid?: unknown }).kid === 'string') this.published.set(`${entry.author}\n${(body as { kid: string }).kid}`, index);
    else if (entry.type === 'request.file' && typeof body.request === 'string' && Array.isArray((body as { caseKeys?: unknown }).caseKeys)) {
      const wraps = (body as { caseKeys: { to?: unknown; kid?: unknown }[] }).caseKeys;
      this.wrappedTo.set(body.request, wraps.flatMap((wrap) => this.published.get(`${String(wrap.to)}\n${String(wrap.kid)}`) ?? []));
    } else if (entry.type === 'trade.propose' && typeof body.trade === 'string' && Array.isArray(body.legs)) {
      for (const leg of body.legs as { request?: unknown }[]) {
        if (typeof leg?.request !== 'string') continue;
        const list = this.trades.get(leg.request) ?? [];
        if (!list.includes(body.trade)) this.trades.set(leg.request, [...list, body.trade]);
      }
    } else if (entry.type === 'request.decide' && typeof body.ground === 'string' && typeof body.request === 'string' && (body.decision === 'refuse' || body.decision === 'refuse-prosecute')) {
      const against = mapGet(after.requests, body.request)?.view.requesting;
      if (against === undefined) return;
      const key = `${entry.author}\n${body.ground}`;
      const list = this.invocations.get(key) ?? [];
      // Only the first per party it was invoked against: a mirrored ground needs one, and the earliest is before any that relied on it.
      if (!list.some((item) => item.against === against)) this.invocations.set(key, [...list, { request: body.request, against }]);
    }
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
    for (const [target, source] of [[this.trades, data.trades], [this.invocations, data.invocations], [this.published, data.published], [this.wrappedTo, data.wrappedTo]] as const) {
      (target as Map<string, unknown>).clear();
      for (const [key, value] of source as readonly (readonly [string, unknown])[]) (target as Map<string, unknown>).set(key, value);
    }
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
