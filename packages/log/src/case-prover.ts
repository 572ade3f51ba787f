import { err, getIncident, linksOf, mapGet, ok, openObligations, type Result, type State } from '@evenhand/core';
import type { CheckpointRef } from './archived-after.ts';
import { CASE_PROOF_FORMAT, CASE_PROOF_MAX_ENTRIES, checkCaseProof, type CaseProof, type CaseProofRun, type UnansweredClaim } from './case-proof.ts';
import type { CaseIndex } from './case-index.ts';
import { toBase64 } from './encoding.ts';
import type { LogError, LogErrorCode } from './errors.ts';
import type { Hash } from './hash.ts';

/**
 * Where a prover reads the log: by index, never by scanning. The CLI reads tiles; the exchange
 * and the gateways read their own stores and trees.
 */
export interface CaseEntrySource {
  /** The entries at indexes from..to-1, exactly as the log holds them. */
  entries(from: number, to: number): Promise<Result<Uint8Array[], LogError>>;
  /** The range proof of the entries from..to-1 in the tree of `size` (tree-math `rangePath`). */
  rangeProof(from: number, to: number, size: number): Promise<Result<Hash[], LogError>>;
}

export interface ProveCaseInput {
  readonly subject: CaseProof['subject'];
  /** The replayed state at the checkpoint's size or later: its records name each case's entries by index. */
  readonly state: State;
  readonly cases: CaseIndex;
  /** The latest cosigned checkpoint: the bundle is proved in it, unless an unanswered obligation picks an earlier one. */
  readonly checkpoint: CheckpointRef;
  /** tlog-policy text with the log key, carried in the bundle. */
  readonly policy: string;
  readonly source: CaseEntrySource;
  /** Also prove that this obligation of the request went unanswered. */
  readonly unanswered?: {
    /** The deadline kind (core `DeadlineKind`): acknowledge, decide, surrender, prosecution-report… */
    readonly kind: string;
    /** When the quorum had cosigned the latest checkpoint: the obligation must be overdue by then. */
    readonly witnessedAt: number;
    /** The earliest cosigned checkpoint of a size from `minSize` whose quorum cosigned after `due`, if the source has one. */
    readonly checkpointAfter: (minSize: number, due: number) => Promise<CheckpointRef | undefined>;
  };
}

/** Why no bundle was made: an unknown subject (the core's codes), or a log code. */
export interface CaseProveError {
  readonly code: LogErrorCode | 'REQUEST_UNKNOWN' | 'TRADE_UNKNOWN';
  readonly message: string;
  readonly field?: string;
}

const fail = (code: CaseProveError['code'], message: string, field?: string): Result<never, CaseProveError> => err(field === undefined ? { code, message } : { code, message, field });

/**
 * Makes a case proof (issue 13, docs/case-proof.md), for the CLI and the services alike. It
 * reads only what the case needs, found from indexes, never by walking the log (DESIGN.md: no
 * cost that grows with history): the log's first entry and the treaty's entries (CaseIndex),
 * the subject's own entries (its record's history in the state), those of every trade it was a
 * leg of and of those trades' other legs, of a provisional request a full one follows, and of
 * the earliest refusal a mirrored ground of the case rests on. For an unanswered obligation it
 * adds every entry from the filing to the earliest checkpoint cosigned after the due date: a
 * span bounded by the case's own. The bundle is checked with `checkCaseProof` before it is
 * returned, so a bundle that does not check is never handed out.
 */
export async function proveCase(input: ProveCaseInput): Promise<Result<CaseProof, CaseProveError>> {
  const { subject, state, checkpoint } = input;
  const first = subject.type === 'request' ? mapGet(state.requests, subject.id)?.history[0] : mapGet(state.trades.byId, subject.id)?.history[0];
  if (!first || first.index >= checkpoint.size) {
    return fail(subject.type === 'request' ? 'REQUEST_UNKNOWN' : 'TRADE_UNKNOWN', `no ${subject.type} ${subject.id} in the log's first ${checkpoint.size} entries (its latest witnessed checkpoint)`, subject.type);
  }
  let proof = checkpoint;
  let claim: UnansweredClaim | undefined;
  let from: number | undefined;
  if (input.unanswered) {
    if (subject.type !== 'request') return fail('CASE_PROOF_MALFORMED', 'unanswered: only a request\'s obligation can be proved unanswered', 'unanswered');
    const { kind, witnessedAt, checkpointAfter } = input.unanswered;
    const record = mapGet(state.requests, subject.id)!;
    const open = state.treaty ? openObligations(state.treaty, record, witnessedAt) : [];
    const owed = open.find((deadline) => deadline.kind === kind);
    if (!owed) return fail('CASE_PROOF_NOT_OVERDUE', `unanswered: ${subject.id} owes no open "${kind}" now; open: ${open.map((deadline) => deadline.kind).join(', ') || 'none'}`, 'unanswered');
    if (owed.due >= witnessedAt || owed.pausedSince !== undefined) return fail('CASE_PROOF_NOT_OVERDUE', `unanswered: "${kind}" of ${subject.id} is not overdue: due ${new Date(owed.due * 1000).toISOString()}${owed.pausedSince === undefined ? '' : ' (paused)'}`, 'unanswered');
    from = first.index;
    proof = (await checkpointAfter(from + 1, owed.due)) ?? checkpoint;
    claim = { kind, delivery: { by: 'cosignature', witness: owed.party } };
  }

  // An unanswered claim carries every entry of its span: refused before the span is listed, so
  // that a span of years (an erasure owed five years on) costs a comparison, not a set of it.
  if (from !== undefined && proof.size - from > CASE_PROOF_MAX_ENTRIES) return fail('CASE_PROOF_MALFORMED', `runs: the case needs the ${proof.size - from} entries from its filing to the checkpoint after the due date, more than the ${CASE_PROOF_MAX_ENTRIES} a case proof may hold`);
  const wanted = new Set<number>([0, ...input.cases.carriedByEveryProof(proof.size), ...caseEntries(input)]);
  if (from !== undefined) for (let index = from; index < proof.size; index++) wanted.add(index);
  const indices = [...wanted].filter((index) => index < proof.size).sort((a, b) => a - b);
  if (indices.length > CASE_PROOF_MAX_ENTRIES) return fail('CASE_PROOF_MALFORMED', `runs: the case needs ${indices.length} entries, more than the ${CASE_PROOF_MAX_ENTRIES} a case proof may hold`);
  const runs = await assemble(input.source, indices, proof.size);
  if (!runs.ok) return runs;
  const bundle: CaseProof = { format: CASE_PROOF_FORMAT, subject: { ...subject }, policy: input.policy, checkpoint: proof.note, runs: runs.value, ...(claim ? { unanswered: claim } : {}) };
  const checked = checkCaseProof(bundle);
  if (!checked.ok) return fail(checked.error.code, `the bundle made does not check: ${checked.error.code}: ${checked.error.message}`);
  return ok(bundle);
}

/**
 * The log indexes of the case's entries: the subject's, and, to a fixed point, those of the
 * trades a request of the case was proposed as a leg of, of those trades' legs, of a
 * provisional request a full one follows, of the first refusal on a mirrored ground by the
 * requesting party of a request of the case refused on that ground (Arrangement art. 5(1)),
 * and of the links a filing names (issue 17): the registration of each incident it names and
 * the earlier requests it relates to, without which the filing would not replay.
 */
function caseEntries({ subject, state, cases }: ProveCaseInput): number[] {
  const reciprocity = state.treaty?.reciprocity;
  const mirrored = new Set(reciprocity?.mirroredGrounds ?? []);
  const everyParty = reciprocity?.mirroredScope !== 'invoked-party';
  const seen = new Set<string>();
  const queue: (readonly ['request' | 'trade', string])[] = [[subject.type, subject.id]];
  const out: number[] = [];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    const [kind, id] = item;
    if (seen.has(`${kind} ${id}`)) continue;
    seen.add(`${kind} ${id}`);
    if (kind === 'trade') {
      const trade = mapGet(state.trades.byId, id);
      if (!trade) continue;
      out.push(...trade.history.map((entry) => entry.index));
      for (const leg of trade.legs) if (leg.request !== undefined) queue.push(['request', leg.request]);
      continue;
    }
    const record = mapGet(state.requests, id);
    if (!record) continue;
    out.push(...record.history.map((entry) => entry.index));
    // The transport keys the filing's case key was wrapped to (issue 17): its caseKeys replay against them.
    out.push(...cases.keysOf(id));
    for (const trade of cases.tradesOf(id)) queue.push(['trade', trade]);
    if (record.follows !== undefined) queue.push(['request', record.follows]);
    const links = linksOf(state.incidents, id);
    for (const incident of links.incidents) {
      const registered = getIncident(state.incidents, incident)?.registeredAt.index;
      if (registered !== undefined) out.push(registered);
    }
    for (const link of links.related) queue.push(['request', link.request]);
    const ground = record.decision?.ground;
    if (ground === undefined || !mirrored.has(ground)) continue;
    for (const invocation of cases.invokedBy(record.view.requesting, ground)) {
      if (everyParty || invocation.against === record.view.requested) queue.push(['request', invocation.request]);
    }
  }
  return out;
}

/** The entries at `indices` (sorted) in runs of consecutive indices, each with its range proof at `size`. */
async function assemble(source: CaseEntrySource, indices: readonly number[], size: number): Promise<Result<CaseProofRun[], CaseProveError>> {
  const runs: CaseProofRun[] = [];
  let start = 0;
  while (start < indices.length) {
    let end = start;
    while (end + 1 < indices.length && indices[end + 1] === indices[end]! + 1) end++;
    const from = indices[start]!;
    const to = indices[end]! + 1;
    const entries = await source.entries(from, to);
    if (!entries.ok) return entries;
    if (entries.value.length !== to - from) return fail('TILE_MISSING', `entries ${from}..${to - 1}: the source gave ${entries.value.length} of ${to - from}`);
    const proof = await source.rangeProof(from, to, size);
    if (!proof.ok) return proof;
    runs.push({ from, entries: entries.value.map(toBase64), proof: proof.value.map(toBase64) });
    start = end + 1;
  }
  return ok(runs);
}
