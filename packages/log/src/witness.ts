import { err, ok, type Result } from '@evenhand/core';
import { parseCheckpoint } from './checkpoint.ts';
import { cosign } from './cosignature.ts';
import { bytesEqual, fromBase64, parseDecimal, toBase64 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, type Hash } from './hash.ts';
import { openNote, parseNote, SIGNATURE_ED25519, type NoteSigner, type NoteVerifier } from './note.ts';
import { verifyConsistency } from './proof-verify.ts';

/**
 * The pure core of a C2SP tlog-witness: `add-checkpoint` as a function from the witness's
 * state and a request to a status, a body and the next state. The caller persists the next
 * state atomically with the check (tlog-witness: otherwise a race rolls the witness back);
 * that belongs to the services issue.
 */
export interface WitnessRecord {
  readonly size: number;
  readonly root: Hash;
}

export interface WitnessState {
  /** The witness's cosigning key (type 0x04). */
  readonly cosigner: NoteSigner;
  /** Trusted log keys per origin. */
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  /** The latest checkpoint cosigned per origin: the only state a witness keeps. */
  readonly latest: ReadonlyMap<string, WitnessRecord>;
}

export interface AddCheckpointRequest {
  readonly body: string;
  /** The witness's clock, Unix seconds, for the cosignature timestamp. */
  readonly time: number;
}

export type WitnessStatus = 200 | 400 | 403 | 404 | 409 | 422;

export interface WitnessResponse {
  readonly status: WitnessStatus;
  readonly contentType: string;
  readonly body: string;
  /** The next state: equal to the input unless the status is 200. */
  readonly state: WitnessState;
}

/** tlog-witness: a client sends at most 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;

export function formatAddCheckpointBody(oldSize: number, proof: readonly Hash[], note: string): string {
  return `old ${oldSize}\n${proof.map((hash) => `${toBase64(hash)}\n`).join('')}\n${note}`;
}

export function parseAddCheckpointBody(body: string): Result<{ oldSize: number; proof: Hash[]; note: string }, LogError> {
  const blank = body.indexOf('\n\n');
  if (blank < 0) return err(logError('NOTE_MALFORMED', 'add-checkpoint: no blank line before the checkpoint'));
  const head = body.slice(0, blank).split('\n');
  const note = body.slice(blank + 2);
  const oldLine = head[0] ?? '';
  const oldSize = oldLine.startsWith('old ') ? parseDecimal(oldLine.slice(4)) : undefined;
  if (oldSize === undefined) return err(logError('NOTE_MALFORMED', `add-checkpoint: expected "old <size>", found ${JSON.stringify(oldLine)}`));
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) return err(logError('PROOF_MALFORMED', `add-checkpoint: ${lines.length} proof lines, more than ${MAX_PROOF_LINES}`));
  const proof: Hash[] = [];
  for (const [i, line] of lines.entries()) {
    const hash = fromBase64(line);
    if (!hash || hash.length !== HASH_SIZE) return err(logError('PROOF_MALFORMED', `add-checkpoint: proof line ${i + 1} is not a base64 hash`));
    proof.push(hash);
  }
  return ok({ oldSize, proof, note });
}

export function addCheckpoint(state: WitnessState, request: AddCheckpointRequest): WitnessResponse {
  const reply = (status: WitnessStatus, body: string, contentType = 'text/plain; charset=utf-8', next = state): WitnessResponse => ({ status, contentType, body, state: next });
  const parsed = parseAddCheckpointBody(request.body);
  if (!parsed.ok) return reply(400, `${parsed.error.message}\n`);
  const { oldSize, proof, note } = parsed.value;
  const split = parseNote(note);
  if (!split.ok) return reply(400, `${split.error.message}\n`);
  const checkpoint = parseCheckpoint(split.value.text);
  if (!checkpoint.ok) return reply(400, `${checkpoint.error.message}\n`);
  const { origin, size, root } = checkpoint.value;
  const keys = state.logs.get(origin);
  if (!keys) return reply(404, `unknown origin ${origin}\n`);
  // Only the log's own key (named as the origin) can vouch for its checkpoints.
  const opened = openNote(note, keys.filter((key) => key.type === SIGNATURE_ED25519 && key.name === origin));
  if (!opened.ok || opened.value.verified.length === 0) return reply(403, `no valid signature by a trusted key of ${origin}\n`);
  if (oldSize > size) return reply(400, `old size ${oldSize} is larger than the checkpoint size ${size}\n`);
  const latest = state.latest.get(origin);
  const latestSize = latest?.size ?? 0;
  if (oldSize !== latestSize) return reply(409, `${latestSize}\n`, 'text/x.tlog.size');
  if (latest && oldSize === size) {
    if (!bytesEqual(latest.root, root)) return reply(409, `${latestSize}\n`, 'text/x.tlog.size');
    if (proof.length !== 0) return reply(422, 'expected an empty proof between equal sizes\n');
  } else if (oldSize === 0) {
    if (proof.length !== 0) return reply(422, 'expected an empty proof from size 0\n');
  } else {
    const consistent = verifyConsistency(oldSize, size, proof, (latest as WitnessRecord).root, root);
    if (!consistent.ok) return reply(422, `${consistent.error.message}\n`);
  }
  const next: WitnessState = { ...state, latest: new Map(state.latest).set(origin, { size, root }) };
  return reply(200, cosign(opened.value.text, state.cosigner, request.time), 'text/plain; charset=utf-8', next);
}
