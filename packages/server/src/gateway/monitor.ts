import { statistics } from '@evenhand/core';
import { bytesEqual, canonicalJson, openReceipt, type NoteVerifier } from '@evenhand/log';
import { listPendingSubmissions, markSubmissionIncluded, type Store } from '@evenhand/store';
import type { Alarms } from './alarms.ts';
import type { ExchangeClient } from './exchange-client.ts';
import type { LogMirror } from './mirror.ts';

/**
 * The checks a gateway runs after each sync of its mirror (issue 4: "it raises a visible
 * alarm when the exchange's published state differs from its own replay; an entry it
 * submitted is not included in time").
 */

/**
 * Every accepted submission must appear, byte for byte, at its index under a verified
 * checkpoint: by the include-by time of the exchange's signed receipt, or within
 * `timeoutSeconds` of the submission when there is none. An exchange that acknowledges and
 * then drops or withholds an entry is caught here; the receipt with the verified checkpoint
 * that lacks the entry is kept as the evidence anyone can check (log receipt.ts).
 */
export async function checkInclusion(store: Store, mirror: LogMirror, alarms: Alarms, now: number, timeoutSeconds: number, logKey: NoteVerifier): Promise<void> {
  const verifiedSize = mirror.verified?.checkpoint.size ?? 0;
  const late: string[] = [];
  const replaced: string[] = [];
  const evidence: Record<string, string> = {};
  for (const submission of await listPendingSubmissions(store.db)) {
    const receipt = submission.receipt ? openReceipt(submission.receipt, logKey) : undefined;
    const due = receipt?.ok ? receipt.value.includeBy : submission.submittedAt + timeoutSeconds;
    if (submission.index < verifiedSize) {
      if (bytesEqual(mirror.leafHashAt(submission.index), submission.leafHash)) await markSubmissionIncluded(store.db, submission.index, now);
      else replaced.push(`${submission.type} at index ${submission.index}`);
    } else if (now > due) {
      late.push(`${submission.type} at index ${submission.index} (due by ${due}, ${now - due} s ago)`);
      if (submission.receipt) evidence[`receipt-${submission.index}`] = submission.receipt;
    }
  }
  if (mirror.verified) evidence.checkpoint = mirror.verified.note;
  if (replaced.length > 0) {
    alarms.raise('NOT_INCLUDED', `the verified log holds other entries where the exchange accepted ours: ${replaced.join(', ')}. The exchange dropped or replaced them: keep its receipts and report it to the other parties.`, evidence);
  } else if (late.length > 0) {
    alarms.raise('NOT_INCLUDED', `no verified checkpoint covers ${late.join(', ')}. Check /api/log-health for quorum or reachability alarms; if the log grows without them, the exchange is withholding them, and its receipts with a later checkpoint prove it.`, evidence);
  } else {
    alarms.clear('NOT_INCLUDED');
  }
}

/**
 * The exchange publishes statistics "anyone can recompute" (DESIGN.md): recompute them at
 * the same size and instant, and raise VIEW_MISMATCH when they differ. Sizes that differ
 * (the log grew between the two reads) prove nothing either way, so they are skipped.
 */
export async function checkView(exchange: ExchangeClient, mirror: LogMirror, alarms: Alarms): Promise<void> {
  const published = await exchange.statistics();
  if (published.size !== mirror.size) return;
  const own = statistics(mirror.state, published.at);
  // Through JSON first: JCS has no form for undefined members, JSON drops them as the wire did.
  if (canonicalJson(JSON.parse(JSON.stringify(own))) === canonicalJson(published.pairs)) {
    alarms.clear('VIEW_MISMATCH');
    return;
  }
  alarms.raise('VIEW_MISMATCH', `the exchange's published statistics at size ${published.size} differ from this gateway's replay of the same entries. The public page misreports the record: compare /api/statistics with the exchange's /v1/statistics and report it.`);
}

/**
 * Fetches every other witness's latest cosigned checkpoint and compares it with this state's
 * view (LogMirror.comparePeer raises SPLIT_VIEW with both notes as evidence). A witness that
 * does not answer is skipped: it may be down, and proves nothing either way.
 */
export async function checkPeers(mirror: LogMirror, timeoutMs: number): Promise<void> {
  await Promise.all(
    mirror.peers().map(async (peer) => {
      let note: string;
      try {
        const response = await fetch(`${peer.url.replace(/\/+$/, '')}/checkpoint/cosigned`, { signal: AbortSignal.timeout(timeoutMs) });
        if (response.status !== 200) return;
        note = await response.text();
      } catch {
        return;
      }
      await mirror.comparePeer(peer.name, note);
    }),
  );
}
