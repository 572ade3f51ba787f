import { err, ok, type Result } from '@evenhand/core';
import { fromBase64, parseDecimal, toBase64 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, leafHash, type Hash } from './hash.ts';
import { parseNote } from './note.ts';
import { parseCheckpoint } from './checkpoint.ts';
import type { Policy } from './policy.ts';
import { verifyInclusion } from './proof-verify.ts';
import { verifyCheckpoint, type VerifiedCheckpoint } from './verify-checkpoint.ts';

/**
 * C2SP tlog-proof (`c2sp.org/tlog-proof@v1`): an offline proof that an entry is in a
 * cosigned checkpoint — header, optional `extra`, `index N`, the inclusion path (leaf side
 * first), a blank line, then the checkpoint note verbatim.
 */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  readonly extra?: Uint8Array;
  readonly index: number;
  readonly proof: readonly Hash[];
  readonly note: string;
}

export function formatTlogProof(proof: TlogProof): string {
  const extra = proof.extra ? `extra ${toBase64(proof.extra)}\n` : '';
  return `${TLOG_PROOF_HEADER}\n${extra}index ${proof.index}\n${proof.proof.map((hash) => `${toBase64(hash)}\n`).join('')}\n${proof.note}`;
}

export function parseTlogProof(text: string): Result<TlogProof, LogError> {
  const blank = text.indexOf('\n\n');
  if (blank < 0) return err(logError('TLOG_PROOF_MALFORMED', 'tlog-proof: no blank line before the checkpoint'));
  const lines = text.slice(0, blank).split('\n');
  const note = text.slice(blank + 2);
  if (lines[0] !== TLOG_PROOF_HEADER) return err(logError('TLOG_PROOF_MALFORMED', `tlog-proof: the first line must be ${TLOG_PROOF_HEADER}`));
  let at = 1;
  let extra: Uint8Array | undefined;
  if (lines[at]?.startsWith('extra ')) {
    extra = fromBase64((lines[at] as string).slice(6));
    if (!extra) return err(logError('TLOG_PROOF_MALFORMED', 'extra: expected base64'));
    at++;
  }
  const indexLine = lines[at] ?? '';
  const index = indexLine.startsWith('index ') ? parseDecimal(indexLine.slice(6)) : undefined;
  if (index === undefined) return err(logError('TLOG_PROOF_MALFORMED', `index: expected "index <N>" without leading zeros, found ${JSON.stringify(indexLine)}`));
  const proof: Hash[] = [];
  for (const line of lines.slice(at + 1)) {
    const hash = fromBase64(line);
    if (!hash || hash.length !== HASH_SIZE) return err(logError('TLOG_PROOF_MALFORMED', `proof: ${JSON.stringify(line)} is not a base64 hash`));
    if (proof.length >= 64) return err(logError('TLOG_PROOF_MALFORMED', 'proof: more than 64 hashes'));
    proof.push(hash);
  }
  return ok(extra ? { extra, index, proof, note } : { index, proof, note });
}

/** Anything that proves inclusion at a size: a MerkleTree, or a TileReader over published tiles. */
export interface InclusionSource {
  inclusionProof(index: number, size?: number): Result<Hash[], LogError>;
}

/** The tlog-proof of entry `index` in the (cosigned) checkpoint `note`, computed from `source`. */
export function makeTlogProof(source: InclusionSource, index: number, note: string, extra?: Uint8Array): Result<string, LogError> {
  const split = parseNote(note);
  if (!split.ok) return split;
  const checkpoint = parseCheckpoint(split.value.text);
  if (!checkpoint.ok) return checkpoint;
  const proof = source.inclusionProof(index, checkpoint.value.size);
  if (!proof.ok) return proof;
  return ok(formatTlogProof(extra ? { index, proof: proof.value, note, extra } : { index, proof: proof.value, note }));
}

/** Offline verification: the checkpoint against the policy (log, own witness, quorum), then inclusion. */
export function verifyTlogProof(text: string, entry: Uint8Array, policy: Policy, ownWitness: string | null): Result<VerifiedCheckpoint & { index: number }, LogError> {
  const parsed = parseTlogProof(text);
  if (!parsed.ok) return parsed;
  const checkpoint = verifyCheckpoint(parsed.value.note, policy, ownWitness);
  if (!checkpoint.ok) return checkpoint;
  const { size, root } = checkpoint.value.checkpoint;
  const included = verifyInclusion(parsed.value.index, size, leafHash(entry), parsed.value.proof, root);
  if (!included.ok) return included;
  return ok({ ...checkpoint.value, index: parsed.value.index });
}
