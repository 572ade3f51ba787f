import { apply, deadlines, err, genesis, mapGet, noteDenunciationsIn, ok, type Deadline, type Result, type State } from '@evenhand/core';
import { AuthorKeyring } from './author-keyring.ts';
import { bytesEqual, fromBase64, toBase64 } from './encoding.ts';
import { domainPart, parseEntry, verifyEntrySignature, type Entry } from './entry.ts';
import { logError, type LogError } from './errors.ts';
import { leafHash, type Hash } from './hash.ts';
import { parsePolicy, type Policy } from './policy.ts';
import { rootFromRangeProof } from './proof-verify.ts';
import { witnessedTime } from './time-rules.ts';
import { quorumTreaty, treatyPolicy } from './treaty-policy.ts';
import { verifyCheckpoint, type VerifiedCheckpoint } from './verify-checkpoint.ts';

/**
 * A case proof (issue 13, docs/case-proof.md): one self-contained file that proves, offline,
 * the history of one request or trade. It reuses C2SP's parts: the checkpoint is a signed note
 * with its cosignatures, verbatim (tlog-checkpoint, tlog-cosignature), and the policy is a
 * tlog-policy text. Entries come in runs of consecutive indices, each with a range proof
 * against the checkpoint's root (tree-math `rangePath`), so that a run also proves that no
 * entry between its first and last is left out.
 */
export const CASE_PROOF_FORMAT = 'evenhand.org/case-proof@v1';

/** A bundle holds at most this many entries: the range to a due date, not the log. */
export const CASE_PROOF_MAX_ENTRIES = 100_000;

export interface CaseProofRun {
  readonly from: number;
  /** Each entry's bytes, base64, exactly as the log holds them. */
  readonly entries: readonly string[];
  /** The range proof of entries from..from+n-1 at the checkpoint's size, base64 hashes. */
  readonly proof: readonly string[];
}

/** An obligation the bundle claims is overdue and unanswered at its checkpoint. */
export interface UnansweredClaim {
  /** The deadline kind (core `DeadlineKind`): acknowledge, decide, surrender, report… */
  readonly kind: string;
  /** Where the counterpart is shown to have had the filing: its witness cosigned a checkpoint covering it, or one of its own entries had seen one. */
  readonly delivery: { readonly by: 'cosignature'; readonly witness: string } | { readonly by: 'entry'; readonly index: number };
}

export interface CaseProof {
  readonly format: typeof CASE_PROOF_FORMAT;
  readonly subject: { readonly type: 'request' | 'trade'; readonly id: string };
  /** tlog-policy text: the log key, and the witnesses before any treaty names them. */
  readonly policy: string;
  /** The cosigned checkpoint note, verbatim. */
  readonly checkpoint: string;
  readonly runs: readonly CaseProofRun[];
  readonly unanswered?: UnansweredClaim;
}

/** One entry of the proved history, checked and applied. */
export interface ProvedEntry {
  readonly index: number;
  readonly entry: Entry;
}

export interface CheckedCaseProof {
  readonly proof: CaseProof;
  readonly checkpoint: VerifiedCheckpoint;
  /** The policy the checkpoint was checked against: the treaty's witnesses, the bundle's log key. */
  readonly policy: Policy;
  /** When the quorum had cosigned (time-rules `witnessedTime`): "at checkpoint N, cosigned …". */
  readonly witnessedAt: number;
  readonly entries: readonly ProvedEntry[];
  readonly state: State;
  /** The subject's own entries, in log order. */
  readonly subjectEntries: readonly ProvedEntry[];
  /** The request's open obligations at `witnessedAt` (for a trade, those of its legs). */
  readonly open: readonly Deadline[];
  readonly unanswered?: { readonly deadline: Deadline; readonly deliveredBy: string };
}

const fail = (code: Parameters<typeof logError>[0], message: string): Result<never, LogError> => err(logError(code, message));

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The bundle's JSON, each field checked for shape; content is checked by `checkCaseProof`. */
export function parseCaseProof(text: string): Result<CaseProof, LogError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return fail('CASE_PROOF_MALFORMED', `the file is not JSON: ${(cause as Error).message}`);
  }
  const bundle = value as Partial<CaseProof> | null;
  if (!bundle || typeof bundle !== 'object') return fail('CASE_PROOF_MALFORMED', 'the file is not a JSON object');
  if (bundle.format !== CASE_PROOF_FORMAT) return fail('CASE_PROOF_MALFORMED', `format: expected ${CASE_PROOF_FORMAT}, found ${JSON.stringify(bundle.format)}`);
  const subject = bundle.subject;
  if (!subject || (subject.type !== 'request' && subject.type !== 'trade') || typeof subject.id !== 'string') return fail('CASE_PROOF_MALFORMED', 'subject: expected { "type": "request" | "trade", "id": "<id>" }');
  if (typeof bundle.policy !== 'string') return fail('CASE_PROOF_MALFORMED', 'policy: expected the tlog-policy text');
  if (typeof bundle.checkpoint !== 'string') return fail('CASE_PROOF_MALFORMED', 'checkpoint: expected the cosigned checkpoint note');
  if (!Array.isArray(bundle.runs) || bundle.runs.length === 0) return fail('CASE_PROOF_MALFORMED', 'runs: expected at least one run of entries');
  let total = 0;
  for (const [i, run] of bundle.runs.entries()) {
    if (!run || !Number.isSafeInteger(run.from) || run.from < 0 || !isStringArray(run.entries) || run.entries.length === 0 || !isStringArray(run.proof)) {
      return fail('CASE_PROOF_MALFORMED', `runs[${i}]: expected { "from": <index>, "entries": [base64…] (at least one), "proof": [base64…] }`);
    }
    total += run.entries.length;
  }
  if (total > CASE_PROOF_MAX_ENTRIES) return fail('CASE_PROOF_MALFORMED', `runs: ${total} entries, more than the ${CASE_PROOF_MAX_ENTRIES} a case proof may hold`);
  const claim = bundle.unanswered;
  if (claim !== undefined) {
    const delivery = claim?.delivery as { by?: unknown; witness?: unknown; index?: unknown } | undefined;
    const shaped = typeof claim?.kind === 'string' && delivery && ((delivery.by === 'cosignature' && typeof delivery.witness === 'string') || (delivery.by === 'entry' && Number.isSafeInteger(delivery.index)));
    if (!shaped) return fail('CASE_PROOF_MALFORMED', 'unanswered: expected { "kind": "<deadline kind>", "delivery": { "by": "cosignature", "witness": "<name>" } or { "by": "entry", "index": <n> } }');
  }
  return ok(bundle as CaseProof);
}

/** Checks every run against the checkpoint's root, and returns the entries' bytes by index, in order. */
function checkRuns(runs: readonly CaseProofRun[], size: number, root: Hash): Result<{ index: number; bytes: Uint8Array }[], LogError> {
  const out: { index: number; bytes: Uint8Array }[] = [];
  let next = 0;
  for (const [i, run] of runs.entries()) {
    if (run.from < next) return fail('CASE_PROOF_MALFORMED', `runs[${i}].from: runs must be in log order without overlap; ${run.from} comes before ${next}`);
    const bytes: Uint8Array[] = [];
    for (const [j, text] of run.entries.entries()) {
      const decoded = fromBase64(text);
      if (!decoded) return fail('CASE_PROOF_MALFORMED', `runs[${i}].entries[${j}]: not base64`);
      bytes.push(decoded);
    }
    const hashes: Hash[] = [];
    for (const [j, text] of run.proof.entries()) {
      const decoded = fromBase64(text);
      if (!decoded) return fail('CASE_PROOF_MALFORMED', `runs[${i}].proof[${j}]: not base64`);
      hashes.push(decoded);
    }
    const computed = rootFromRangeProof(run.from, size, bytes.map((entry) => leafHash(entry)), hashes);
    if (!computed.ok) return fail('CASE_PROOF_NOT_INCLUDED', `runs[${i}] (entries ${run.from}..${run.from + bytes.length - 1}): ${computed.error.message}`);
    if (!bytesEqual(computed.value, root)) return fail('CASE_PROOF_NOT_INCLUDED', `runs[${i}] (entries ${run.from}..${run.from + bytes.length - 1}): they and their proof give root ${toBase64(computed.value)}, the checkpoint of ${size} has ${toBase64(root)}`);
    bytes.forEach((entry, j) => out.push({ index: run.from + j, bytes: entry }));
    next = run.from + bytes.length;
  }
  return ok(out);
}

/** The request a request's or prosecution's entry is about; undefined for every other entry. */
function requestOf(entry: Entry): string | undefined {
  const request = (entry.body as { request?: unknown }).request;
  return typeof request === 'string' && (entry.type.startsWith('request.') || entry.type.startsWith('prosecution.')) ? request : undefined;
}

/**
 * The requests whose entries can bear on the subject, and so are replayed (and their signatures
 * checked): the subject (or the subject trade's legs); the legs of every trade one of them was
 * proposed in; a provisional-arrest request and the full request that follows it (ECE art.
 * 16(4)); and every request refused on a ground, since a refusal makes that ground available
 * to the other side (Arrangement art. 5(1), mirrored grounds). The other requests' entries in a
 * span are proved to be in the log, which is all an unanswered claim needs of them (none of
 * them names the subject): replaying 10^3 of them would cost what the issue's 100 ms forbids.
 */
function requestsToReplay(entries: readonly Entry[], subject: CaseProof['subject']): Set<string> {
  const legsOf = (entry: Entry) => ((entry.body as { legs?: unknown }).legs as { request?: unknown }[] | undefined ?? []).map((leg) => leg?.request).filter((id): id is string => typeof id === 'string');
  const related = new Set<string>(subject.type === 'request' ? [subject.id] : []);
  for (const entry of entries) {
    const body = entry.body as { trade?: unknown; request?: unknown; ground?: unknown };
    if (entry.type === 'trade.propose' && subject.type === 'trade' && body.trade === subject.id) legsOf(entry).forEach((id) => related.add(id));
  }
  // Links only add requests, so this ends: at most one pass per request the bundle holds.
  for (let grown = true; grown; ) {
    grown = false;
    const add = (id: unknown) => {
      if (typeof id !== 'string' || related.has(id)) return;
      related.add(id);
      grown = true;
    };
    for (const entry of entries) {
      const body = entry.body as { request?: unknown; follows?: unknown; related?: unknown };
      if (entry.type === 'trade.propose' && legsOf(entry).some((id) => related.has(id))) legsOf(entry).forEach(add);
      if (entry.type === 'request.file' && typeof body.follows === 'string') {
        if (related.has(body.follows)) add(body.request);
        if (related.has(body.request as string)) add(body.follows);
      }
      // A filing that relates to earlier requests (issue 17) replays only once they exist.
      if (entry.type === 'request.file' && related.has(body.request as string) && Array.isArray(body.related)) for (const link of body.related) add((link as { request?: unknown } | null)?.request);
    }
  }
  for (const entry of entries) {
    const body = entry.body as { request?: unknown; ground?: unknown };
    if (entry.type === 'request.decide' && typeof body.ground === 'string' && typeof body.request === 'string') related.add(body.request);
  }
  return related;
}

/** Whether an entry names the subject: its request or trade, or the subject's request as a trade leg. */
function mentions(entry: Entry, subject: CaseProof['subject'], state: State): boolean {
  const body = entry.body as { request?: unknown; trade?: unknown; legs?: unknown };
  const legRequests = (legs: unknown) => (Array.isArray(legs) ? legs.map((leg) => (leg as { request?: unknown } | null)?.request) : []);
  if (subject.type === 'trade') {
    const legs = (mapGet(state.trades.byId, subject.id)?.legs ?? []).map((leg) => leg.request);
    return body.trade === subject.id || (typeof body.request === 'string' && legs.includes(body.request));
  }
  return body.request === subject.id || legRequests(body.legs).includes(subject.id);
}

/**
 * Checks a case proof with no network (issue 13, `evenhand check-proof`):
 * 1. the checkpoint carries the log's signature (the bundle's policy gives the key; `trustedPolicy`, when
 *    the reader has one, must give the same) and every run is in its tree;
 * 2. the entries that can bear on the subject (requestsToReplay, and every entry that is not a
 *    request's) carry the signature of the key their author held at that entry (AuthorKeyring:
 *    the opening keys from entry 0, then the treaty in force) and replay through the core
 *    rules, in log order, from the first;
 * 3. the checkpoint meets the quorum of the treaty they put in force (every party's witness and
 *    the treaty's neutral quorum);
 * 4. for an unanswered obligation: the entries from the filing to the checkpoint are all there,
 *    the obligation is still open and past due at the checkpoint's witnessed time, and the
 *    counterpart had the filing.
 */
export function checkCaseProof(proof: CaseProof, trustedPolicy?: Policy): Result<CheckedCaseProof, LogError> {
  const parsedPolicy = parsePolicy(proof.policy);
  if (!parsedPolicy.ok) return fail('POLICY_MALFORMED', `policy: ${parsedPolicy.error.message}`);
  const given = parsedPolicy.value;
  const logKey = given.logs[0]?.key;
  if (!logKey) return fail('POLICY_MALFORMED', 'policy: it names no log key');
  if (trustedPolicy && !trustedPolicy.logs.some((log) => bytesEqual(log.key.publicKey, logKey.publicKey))) {
    return fail('CASE_PROOF_POLICY_MISMATCH', `policy: the bundle's log key ${logKey.name} is not the log key of the policy you trust`);
  }
  // The log's signature first (quorum none): the tree must be the log's before its entries are read.
  const signed = verifyCheckpoint(proof.checkpoint, { ...given, quorum: 'none' }, null);
  if (!signed.ok) return signed;
  const { size, root } = signed.value.checkpoint;
  const runs = checkRuns(proof.runs, size, root);
  if (!runs.ok) return runs;

  const parsedRuns: { index: number; bytes: Uint8Array; entry: Entry }[] = [];
  for (const { index, bytes } of runs.value) {
    const parsed = parseEntry(bytes);
    if (!parsed.ok) return fail('CASE_PROOF_ENTRY_INVALID', `entry ${index}: ${parsed.error.message}`);
    parsedRuns.push({ index, bytes, entry: parsed.value });
  }
  const replayed = requestsToReplay(parsedRuns.map((item) => item.entry), proof.subject);
  const deliveryIndex = proof.unanswered?.delivery.by === 'entry' ? proof.unanswered.delivery.index : undefined;
  const keyring = new AuthorKeyring(logKey.publicKey);
  let state = genesis();
  const entries: ProvedEntry[] = [];
  for (const { index, bytes, entry } of parsedRuns) {
    if (index === 0 && entry.type !== 'treaty.propose') return fail('CASE_PROOF_ENTRY_INVALID', 'entry 0: the log must open with a treaty.propose');
    if (entries.length === 0 && index !== 0) return fail('CASE_PROOF_ENTRY_INVALID', `runs: the first entry must be the log's first (index 0, which declares the opening keys), found ${index}`);
    entries.push({ index, entry });
    const request = requestOf(entry);
    const replays = request === undefined || replayed.has(request);
    if (!replays && index !== deliveryIndex) continue;
    // The key is the one its author held before this entry applies (an amendment changes it).
    const key = keyring.keyOf(entry.author, state, entry);
    if (!key) return fail('CASE_PROOF_ENTRY_INVALID', `entry ${index}: author ${entry.author} holds no key at this entry`);
    const signature = verifyEntrySignature(entry, key, bytes);
    if (!signature.ok) return fail('CASE_PROOF_ENTRY_INVALID', `entry ${index}: ${signature.error.message}`);
    if (!replays) continue;
    const applied = apply({ ...state, size: index }, domainPart(entry) as never);
    if (applied.ok) state = applied.value;
    // Treaty acts and officials' registrations must replay: approvals are checked against them.
    else if (entry.type.startsWith('treaty.') || entry.type.startsWith('official.') || mentions(entry, proof.subject, state)) {
      return fail('CASE_PROOF_REPLAY_FAILED', `entry ${index} (${entry.type} by ${entry.author}): ${applied.error.code}: ${applied.error.message}`);
    }
    // Any other entry that fails (a case whose earlier history the bundle does not hold) is
    // proved in the log and signed by its author, but not replayed: it cannot touch the subject.
  }
  state = { ...state, size };
  // Where a denunciation took effect, among the entries held (the prover includes that entry).
  state = noteDenunciationsIn(state, entries.map(({ index, entry }) => ({ index, time: entry.time })));

  // The quorum of the treaty in force at the checkpoint, with the witnesses it names, less the
  // parties that had left it (issue 17). A treaty without a witnesses section leaves the quorum
  // to the policy: the reader's, if given.
  const required = treatyPolicy(trustedPolicy ?? given, quorumTreaty(state), null);
  if (!required.ok) return required;
  const checkpoint = verifyCheckpoint(proof.checkpoint, required.value, null);
  if (!checkpoint.ok) return checkpoint;
  const witnessedAt = witnessedTime(checkpoint.value);

  const { type, id } = proof.subject;
  const subjectEntries = entries.filter(({ entry }) => {
    const body = entry.body as { request?: unknown; trade?: unknown };
    return type === 'request' ? body.request === id : body.trade === id;
  });
  if (subjectEntries.length === 0) return fail('CASE_PROOF_SUBJECT_MISSING', `subject: the bundle holds no entry of ${type} ${id}`);
  const legRequests = type === 'trade' ? (mapGet(state.trades.byId, id)?.legs ?? []).map((leg) => leg.request) : [id];
  const open = deadlines(state, witnessedAt).filter((deadline) => legRequests.includes(deadline.request));

  const base = { proof, checkpoint: checkpoint.value, policy: required.value, witnessedAt, entries, state, subjectEntries, open };
  if (!proof.unanswered) return ok(base);
  return checkUnanswered(base, proof.unanswered);
}

/** Step 4: the claim that an obligation went unanswered, from the filing to the checkpoint. */
function checkUnanswered(checked: Omit<CheckedCaseProof, 'unanswered'>, claim: UnansweredClaim): Result<CheckedCaseProof, LogError> {
  const { proof, state, entries, checkpoint, witnessedAt } = checked;
  if (proof.subject.type !== 'request') return fail('CASE_PROOF_MALFORMED', 'unanswered: only a request\'s obligation can be claimed unanswered');
  const record = mapGet(state.requests, proof.subject.id);
  const filing = record?.history[0];
  if (!record || !filing) return fail('CASE_PROOF_SUBJECT_MISSING', `subject: request ${proof.subject.id} is not filed in the bundle`);
  // Every entry from the filing to the checkpoint: one unbroken span, so no answer can hide outside it.
  const size = checkpoint.checkpoint.size;
  const covered = entries.filter((item) => item.index >= filing.index);
  if (covered.length !== size - filing.index || covered.some((item, i) => item.index !== filing.index + i)) {
    return fail('CASE_PROOF_RANGE_INCOMPLETE', `runs: an unanswered obligation needs every entry from the filing (${filing.index}) to the checkpoint (${size - 1}); the bundle holds ${covered.length} of ${size - filing.index}`);
  }
  const deadline = checked.open.find((item) => item.request === record.id && item.kind === claim.kind);
  if (!deadline) return fail('CASE_PROOF_NOT_OVERDUE', `unanswered.kind: ${record.id} owes no open "${claim.kind}" at the checkpoint; it was answered or never due`);
  if (deadline.pausedSince !== undefined || deadline.due >= witnessedAt) {
    return fail('CASE_PROOF_NOT_OVERDUE', `unanswered.kind: "${claim.kind}" of ${record.id} is due ${new Date(deadline.due * 1000).toISOString()}${deadline.pausedSince === undefined ? '' : ' (paused)'}, not before the checkpoint was cosigned (${new Date(witnessedAt * 1000).toISOString()})`);
  }
  const counterpart = deadline.party;
  let deliveredBy: string;
  if (claim.delivery.by === 'cosignature') {
    if (claim.delivery.witness !== counterpart || !checkpoint.cosignatures.some((cosignature) => cosignature.witness === counterpart)) {
      return fail('CASE_PROOF_DELIVERY_UNPROVEN', `unanswered.delivery: the checkpoint carries no cosignature of ${counterpart}'s witness (claimed: ${claim.delivery.witness})`);
    }
    deliveredBy = `${counterpart}'s witness cosigned checkpoint ${size}, which covers the filing`;
  } else {
    const index = claim.delivery.index;
    const item = entries.find((candidate) => candidate.index === index);
    if (!item || item.entry.author !== counterpart || item.entry.seen.size <= filing.index) {
      return fail('CASE_PROOF_DELIVERY_UNPROVEN', `unanswered.delivery: entry ${index} is not an entry of ${counterpart} that had seen the filing (index ${filing.index})`);
    }
    deliveredBy = `${counterpart}'s own entry ${index} had seen checkpoint ${item.entry.seen.size}, which covers the filing`;
  }
  return ok({ ...checked, unanswered: { deadline, deliveredBy } });
}
