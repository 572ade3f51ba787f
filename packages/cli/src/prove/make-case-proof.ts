import { apply, deadlines, genesis, listTrades, mapGet, type State } from '@evenhand/core';
import {
  archivePageOf, archivePagePath, CASE_PROOF_FORMAT, checkCaseProof, domainPart, parseArchivePage, parseCheckpoint, parseEntry, parseNote, parsePolicy, TILE_WIDTH, TileWindow, toBase64,
  treatyPolicy, verifyCheckpoint, witnessedTime, type CaseProof, type CaseProofRun, type Policy, type UnansweredClaim,
} from '@evenhand/log';
import type { AsyncTileFetch } from '../verify/verify-log.ts';

/** What one entry of the log says about which cases it concerns, kept while the log is scanned. */
interface EntryRefs {
  readonly type: string;
  readonly author: string;
  readonly request?: string;
  readonly trade?: string;
}

export interface ProveInput {
  readonly fetch: AsyncTileFetch;
  /** The latest checkpoint note the source serves. */
  readonly note: string;
  /** tlog-policy text with the log key (the treaty supplies the witnesses). */
  readonly policy: string;
  readonly subject: CaseProof['subject'];
  /** Prove that this obligation of the request went unanswered (a deadline kind: acknowledge, decide…). */
  readonly unanswered?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export class ProveError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

function refsOf(body: Record<string, unknown>, type: string, author: string): EntryRefs {
  return {
    type,
    author,
    ...(typeof body.request === 'string' ? { request: body.request } : {}),
    ...(typeof body.trade === 'string' ? { trade: body.trade } : {}),
  };
}

/**
 * Reads the whole log once (a prover's job, done off any request path: the CLI, or a gateway
 * that already holds the replay), keeping each entry's case references, then picks the
 * entries a reader needs to replay the case: the treaty's entries, the request's (or trade's),
 * those of every trade it was a leg of and of those trades' other legs, and of earlier
 * decisions whose refusal grounds a decision in the case mirrors. The closure is confirmed by
 * running `checkCaseProof` on the result before it is written.
 */
export async function makeCaseProof(input: ProveInput): Promise<CaseProof> {
  const policy = parsePolicy(input.policy);
  if (!policy.ok) throw new ProveError(`policy: ${policy.error.message}`, 2);
  const note = parseNote(input.note);
  const head = note.ok ? parseCheckpoint(note.value.text) : undefined;
  if (!head?.ok) throw new ProveError('the log serves no readable checkpoint', 2);
  const size = head.value.size;
  const window = new TileWindow(input.fetch, size);
  const refs: EntryRefs[] = [];
  const bytesAt = new Map<number, Uint8Array>();
  let state: State = genesis();
  for (let n = 0; n * TILE_WIDTH < size; n++) {
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) throw new ProveError(`entry bundle ${n}: ${bundle.error.message}`, 2);
    for (const [i, bytes] of bundle.value.entries()) {
      const index = n * TILE_WIDTH + i;
      const entry = parseEntry(bytes);
      if (!entry.ok) throw new ProveError(`entry ${index}: ${entry.error.message}`, 1);
      refs.push(refsOf(entry.value.body as Record<string, unknown>, entry.value.type, entry.value.author));
      const applied = apply(state, domainPart(entry.value) as never);
      if (applied.ok) state = applied.value;
    }
    input.onProgress?.(Math.min(size, (n + 1) * TILE_WIDTH), size);
  }

  const { type, id } = input.subject;
  const requests = new Set<string>();
  const trades = new Set<string>();
  if (type === 'request') {
    if (!mapGet(state.requests, id)) throw new ProveError(`no request ${id} in the log of ${size} entries`, 1);
    requests.add(id);
  } else {
    if (!mapGet(state.trades.byId, id)) throw new ProveError(`no trade ${id} in the log of ${size} entries`, 1);
    trades.add(id);
  }
  // Trades and their legs, to a fixed point (a leg's request may be a leg of another trade).
  for (let changed = true, rounds = 0; changed && rounds < 100; rounds++) {
    changed = false;
    for (const trade of listTrades(state.trades)) {
      const legs = trade.legs.flatMap((leg) => (leg.request === undefined ? [] : [leg.request]));
      const touches = trades.has(trade.id) || legs.some((request) => requests.has(request));
      if (!touches) continue;
      if (!trades.has(trade.id)) (trades.add(trade.id), (changed = true));
      for (const request of legs) if (!requests.has(request)) (requests.add(request), (changed = true));
    }
  }

  let proofSize = size;
  let proofNote = input.note;
  let claim: UnansweredClaim | undefined;
  let from: number | undefined;
  if (input.unanswered) {
    if (type !== 'request') throw new ProveError('--unanswered: only a request\'s obligation can be proved unanswered', 2);
    const record = mapGet(state.requests, id)!;
    const verified = verifyCheckpoint(input.note, treatyPolicyOrFail(policy.value, state), null);
    if (!verified.ok) throw new ProveError(`the log's checkpoint: ${verified.error.message}`, 1);
    const now = witnessedTime(verified.value);
    const owed = deadlines(state, now).find((deadline) => deadline.request === id && deadline.kind === input.unanswered);
    if (!owed) throw new ProveError(`${id} owes no open "${input.unanswered}" now; open: ${deadlines(state, now).filter((deadline) => deadline.request === id).map((deadline) => deadline.kind).join(', ') || 'none'}`, 1);
    if (owed.due >= now || owed.pausedSince !== undefined) throw new ProveError(`"${input.unanswered}" of ${id} is not overdue: due ${new Date(owed.due * 1000).toISOString()}`, 1);
    from = record.history[0]!.index;
    // The earliest archived checkpoint cosigned after the due date keeps the range short.
    const earliest = await earliestAfter(input.fetch, policy.value, state, from + 1, size, owed.due);
    if (earliest) {
      proofSize = earliest.size;
      proofNote = earliest.note;
    }
    claim = { kind: input.unanswered, delivery: { by: 'cosignature', witness: owed.party } };
  }

  // The log's first entry (the opening keys), the treaty's entries, the case's, and for an unanswered obligation everything from the filing on.
  const wanted = () => {
    const out: number[] = [];
    for (let index = 0; index < proofSize; index++) {
      const item = refs[index]!;
      const inCase = (item.request !== undefined && requests.has(item.request)) || (item.trade !== undefined && trades.has(item.trade));
      if (index === 0 || item.type.startsWith('treaty.') || inCase || (from !== undefined && index >= from)) out.push(index);
    }
    return out;
  };
  // Mirrored grounds (Arrangement art. 5(1)): a refusal may rest on the other side's earlier
  // refusal on the same ground. Add earlier decisions' requests until the case replays.
  for (let attempt = 0; attempt < 50; attempt++) {
    const bundle = await assemble(window, wanted(), proofSize, { ...input.subject }, input.policy, proofNote, claim, bytesAt);
    const checked = checkCaseProof(bundle);
    if (checked.ok) return bundle;
    const failedAt = /^entry (\d+) \(request\.decide/.exec(checked.error.message);
    if (checked.error.code !== 'CASE_PROOF_REPLAY_FAILED' || !failedAt) throw new ProveError(`the bundle made does not check: ${checked.error.code}: ${checked.error.message}`, 1);
    const before = Number(failedAt[1]);
    const extra = new Set<string>();
    for (let index = 0; index < before; index++) {
      const item = refs[index]!;
      if (item.type === 'request.decide' && item.request !== undefined && !requests.has(item.request)) extra.add(item.request);
    }
    if (extra.size === 0) throw new ProveError(`the case does not replay on its own: ${checked.error.message}`, 1);
    for (const request of extra) requests.add(request);
  }
  throw new ProveError('the case does not replay on its own after 50 rounds of adding earlier decisions', 1);
}

function treatyPolicyOrFail(configured: Policy, state: State): Policy {
  const policy = treatyPolicy(configured, state.treaty, null);
  if (!policy.ok) throw new ProveError(policy.error.message, 1);
  return policy.value;
}

/** The first archived checkpoint of size above `minSize` whose quorum cosigned after `due`. */
async function earliestAfter(fetch: AsyncTileFetch, configured: Policy, state: State, minSize: number, size: number, due: number): Promise<{ size: number; note: string } | undefined> {
  const policy = treatyPolicyOrFail(configured, state);
  for (let page = archivePageOf(minSize); page <= archivePageOf(size); page++) {
    const bytes = await fetch(archivePagePath(page));
    if (!bytes) continue;
    const notes = parseArchivePage(bytes, page);
    if (!notes.ok) continue;
    for (const archived of notes.value) {
      if (archived.size < minSize) continue;
      const verified = verifyCheckpoint(archived.note, policy, null);
      if (verified.ok && witnessedTime(verified.value) > due) return { size: archived.size, note: archived.note };
    }
  }
  return undefined;
}

/** The bundle of the entries at `indices` (sorted), in runs of consecutive indices, each with its range proof at `size`. */
async function assemble(window: TileWindow, indices: readonly number[], size: number, subject: CaseProof['subject'], policy: string, note: string, claim: UnansweredClaim | undefined, cache: Map<number, Uint8Array>): Promise<CaseProof> {
  const runs: CaseProofRun[] = [];
  let start = 0;
  while (start < indices.length) {
    let end = start;
    while (end + 1 < indices.length && indices[end + 1] === indices[end]! + 1) end++;
    const from = indices[start]!;
    const to = indices[end]! + 1;
    const entries: string[] = [];
    for (let index = from; index < to; index++) entries.push(toBase64(await entryBytes(window, index, cache)));
    const proof = await window.run((reader) => reader.rangeProof(from, to, size));
    if (!proof.ok) throw new ProveError(`range proof ${from}..${to - 1}: ${proof.error.message}`, 2);
    runs.push({ from, entries, proof: proof.value.map(toBase64) });
    start = end + 1;
  }
  return { format: CASE_PROOF_FORMAT, subject, policy, checkpoint: note, runs, ...(claim ? { unanswered: claim } : {}) };
}

async function entryBytes(window: TileWindow, index: number, cache: Map<number, Uint8Array>): Promise<Uint8Array> {
  const hit = cache.get(index);
  if (hit) return hit;
  const n = Math.floor(index / TILE_WIDTH);
  const bundle = await window.run((reader) => reader.entries(n));
  if (!bundle.ok) throw new ProveError(`entry bundle ${n}: ${bundle.error.message}`, 2);
  bundle.value.forEach((bytes, i) => cache.set(n * TILE_WIDTH + i, bytes));
  return cache.get(index)!;
}
