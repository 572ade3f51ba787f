import { err, ok, type Result } from '@evenhand/core';
import { bytesEqual, fromBase64, parseDecimal, toBase64, utf8 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, type Hash } from './hash.ts';
import { noteWithSignature, openNote, signNote, SIGNATURE_ED25519, type NoteSigner, type NoteVerifier } from './note.ts';
import type { Policy } from './policy.ts';
import { verifyInclusion } from './proof-verify.ts';
import { verifyCheckpoint, type VerifierClock } from './verify-checkpoint.ts';

/**
 * The exchange's signed promise for an accepted entry (issue 12, "signed receipts"): a signed
 * note, by the log's own key, whose text is
 *
 *     evenhand-receipt/v1
 *     <origin>
 *     <index>
 *     <leaf hash, base64>
 *     <include-by, Unix seconds>
 *
 * It says: the entry with this leaf hash is at this index of this log, and a checkpoint will
 * cover it by then. Its first line keeps it from ever being read as a checkpoint (whose first
 * line is the origin). Kept by the author, a receipt and a later checkpoint that lacks the
 * entry prove censorship to anyone, offline.
 */
export const RECEIPT_HEADER = 'evenhand-receipt/v1';

export interface Receipt {
  readonly origin: string;
  readonly index: number;
  readonly leafHash: Hash;
  readonly includeBy: number;
}

export function formatReceipt(receipt: Receipt): string {
  return `${RECEIPT_HEADER}\n${receipt.origin}\n${receipt.index}\n${toBase64(receipt.leafHash)}\n${receipt.includeBy}\n`;
}

export function signReceipt(receipt: Receipt, logKey: NoteSigner): Result<string, LogError> {
  return wrongOrigin(receipt, logKey) ?? signNote(formatReceipt(receipt), [logKey]);
}

/**
 * The receipt note signed by `logKey` through `sign`, which makes an Ed25519 signature with it
 * elsewhere (the exchange signs on a worker thread, issue 14) over the bytes it is given.
 */
export async function signReceiptWith(receipt: Receipt, logKey: NoteSigner, sign: (message: Uint8Array) => Promise<Uint8Array>): Promise<Result<string, LogError>> {
  const wrong = wrongOrigin(receipt, logKey);
  if (wrong) return wrong;
  const text = formatReceipt(receipt);
  return noteWithSignature(text, logKey, await sign(utf8(text)));
}

function wrongOrigin(receipt: Receipt, logKey: NoteSigner): Result<never, LogError> | undefined {
  return logKey.name === receipt.origin ? undefined : err(logError('CHECKPOINT_WRONG_ORIGIN', `signer: the log key is named ${logKey.name}, the origin is ${receipt.origin}`));
}

/** A receipt note signed by `logKey` (its name is the origin), or why not. */
export function openReceipt(note: string, logKey: NoteVerifier): Result<Receipt, LogError> {
  const opened = openNote(note, [logKey]);
  if (!opened.ok) return opened;
  if (!opened.value.verified.some((sig) => sig.verifier === logKey && logKey.type === SIGNATURE_ED25519)) {
    return err(logError('NOTE_UNVERIFIED', `receipt: not signed by the log key ${logKey.name}`));
  }
  const lines = opened.value.text.replace(/\n$/, '').split('\n');
  const [header, origin, indexText, hashText, byText] = lines;
  const index = parseDecimal(indexText ?? '');
  const leafHash = fromBase64(hashText ?? '');
  const includeBy = parseDecimal(byText ?? '');
  if (lines.length !== 5 || header !== RECEIPT_HEADER || origin !== logKey.name || index === undefined || !leafHash || leafHash.length !== HASH_SIZE || includeBy === undefined) {
    return err(logError('NOTE_MALFORMED', `receipt: expected "${RECEIPT_HEADER}", the origin ${logKey.name}, an index, a base64 leaf hash and an include-by time, one per line`));
  }
  return ok({ origin, index, leafHash, includeBy });
}

/**
 * A proof of censorship anyone can check offline: the exchange's receipt for an entry, and a
 * checkpoint the witnesses' quorum cosigned after the receipt's include-by time that does not
 * hold that entry at that index: either the tree is too small, or (with `leaf` and its
 * inclusion `proof`) another entry sits at the index.
 */
export interface CensorshipProof {
  readonly receipt: string;
  readonly checkpoint: string;
  /** The leaf hash the checkpoint's tree holds at the receipt's index, and its inclusion proof. */
  readonly leaf?: { readonly hash: Hash; readonly proof: readonly Hash[] };
}

export function verifyCensorshipProof(proof: CensorshipProof, policy: Policy, clock: VerifierClock): Result<{ readonly receipt: Receipt; readonly size: number; readonly reason: string }, LogError> {
  const logKey = policy.logs[0]?.key;
  if (!logKey) return err(logError('POLICY_MALFORMED', 'policy: no log key'));
  const receipt = openReceipt(proof.receipt, logKey);
  if (!receipt.ok) return receipt;
  const checkpoint = verifyCheckpoint(proof.checkpoint, policy, null, clock);
  if (!checkpoint.ok) return checkpoint;
  const { size, root } = checkpoint.value.checkpoint;
  const cosignedAt = Math.min(...checkpoint.value.cosignatures.map((each) => each.timestamp));
  if (cosignedAt <= receipt.value.includeBy) {
    return err(logError('PROOF_MALFORMED', `censorship: the checkpoint was cosigned at ${cosignedAt}, not after the receipt's include-by ${receipt.value.includeBy}; the entry could still be included`));
  }
  if (size <= receipt.value.index) {
    return ok({ receipt: receipt.value, size, reason: `the log promised entry ${receipt.value.index} by ${receipt.value.includeBy}, and its checkpoint of size ${size}, cosigned at ${cosignedAt}, does not reach it` });
  }
  if (!proof.leaf) return err(logError('PROOF_MALFORMED', `censorship: the checkpoint of size ${size} reaches index ${receipt.value.index}; show the leaf it holds there and its inclusion proof`));
  const included = verifyInclusion(receipt.value.index, size, proof.leaf.hash, proof.leaf.proof, root);
  if (!included.ok) return included;
  if (bytesEqual(proof.leaf.hash, receipt.value.leafHash)) return err(logError('PROOF_MALFORMED', `censorship: the checkpoint holds the receipted entry at index ${receipt.value.index}; nothing was censored`));
  return ok({ receipt: receipt.value, size, reason: `the log promised entry ${receipt.value.index} with leaf ${toBase64(receipt.value.leafHash)}, and its checkpoint of size ${size}, cosigned at ${cosignedAt}, holds another entry there` });
}
