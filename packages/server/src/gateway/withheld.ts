import { isoTime } from '@evenhand/core';
import { bytesEqual, leafHash, openReceipt, type NoteVerifier } from '@evenhand/log';
import { readCheckpoint, receiptsBetween, type Store } from '@evenhand/store';
import type { CheckpointOffer } from '../witness/witness-app.ts';
import type { Problem } from './mirror-problems.ts';

/**
 * A tree that stops short of an entry of this state whose receipt's include-by time (plus
 * the treaty's skew) had passed both when the offer arrived and when this witness last
 * cosigned: the exchange has had a checkpoint since its promise fell due and still leaves
 * the entry out, so cosigning would vouch for its withholding (issue 12, signed receipts).
 * Both times count, so an offer queued or in flight when the promise fell due is not taken
 * for censorship. The evidence keeps the receipt, the offered note (signed by the log), and
 * the latest checkpoint cosigned that this gateway holds (`latestNote`, verified with its
 * quorum, or else its own witness's): when that lacks the entry and was witnessed after the
 * include-by time, receipt and checkpoint are the portable proof (log receipt.ts
 * `verifyCensorshipProof`).
 */
export async function withheldBy(store: Store, context: { readonly origin: string; readonly skew: number; readonly logKey: NoteVerifier; readonly latestNote: string | undefined }, size: number, offer: CheckpointOffer): Promise<Problem | undefined> {
  const cosigned = await readCheckpoint(store.db, 'witness_state', context.origin);
  if (cosigned === undefined) return undefined;
  for (const submission of await receiptsBetween(store.db, size, Number.MAX_SAFE_INTEGER)) {
    const receipt = openReceipt(submission.receipt ?? '', context.logKey);
    if (!receipt.ok) continue;
    const due = receipt.value.includeBy + context.skew;
    if (offer.arrivedAt <= due || cosigned.updatedAt <= due) continue;
    return {
      code: 'CENSORED',
      message: `the tree of size ${size} leaves out this state's ${submission.type} at index ${submission.index}, which the exchange's signed receipt promised by ${isoTime(receipt.value.includeBy)}`,
      evidence: { receipt: submission.receipt ?? '', entryIndex: String(submission.index), ...(offer.note ? { 'offered-checkpoint': offer.note } : {}), 'cosigned-checkpoint': context.latestNote ?? cosigned.note },
    };
  }
  return undefined;
}

/**
 * An entry of `fresh`, the entries from index `own` on of the tree of `size` offered in `note`,
 * that is not the one a receipt of this state promised at its index: the exchange signed that
 * this state's entry would stand there, and a tree holding another is censorship (issue 12).
 * The evidence keeps the receipt and the offered note.
 */
export async function displacedBy(store: Store, fresh: readonly Uint8Array[], own: number, size: number, note: string): Promise<Problem | undefined> {
  for (const submission of await receiptsBetween(store.db, own, own + fresh.length)) {
    const bytes = fresh[submission.index - own];
    if (bytes && bytesEqual(leafHash(bytes), submission.leafHash)) continue;
    return {
      code: 'CENSORED',
      message: `the tree of size ${size} holds another entry at index ${submission.index}, where the exchange's signed receipt put this state's ${submission.type}`,
      evidence: { receipt: submission.receipt ?? '', entryIndex: String(submission.index), ...(note ? { 'offered-checkpoint': note } : {}) },
    };
  }
  return undefined;
}
