import type { JWK } from 'jose';
import { getRequest, type RequestRecord } from '@evenhand/core';
import { listPendingSubmissions, type Store } from '@evenhand/store';
import { parseEntry } from '@evenhand/log';
import { ServiceError } from '../errors.ts';
import type { Alarms } from './alarms.ts';
import type { LogMirror } from './mirror.ts';
import type { Submitter } from './submitter.ts';
import type { BoundedCache } from './bounded-cache.ts';
import type { CaseKeeper } from './case-keys.ts';

/** What the gateway's routes share. */
export interface GatewayContext {
  readonly party: string;
  readonly origin: string;
  readonly store: Store;
  readonly mirror: LogMirror;
  readonly submitter: Submitter;
  readonly alarms: Alarms;
  /** The gateway's clock: every entry it signs is dated by it (no request can set another time). */
  readonly now: () => number;
  /** Seal public keys by recipient id: every party's, and the observers'. */
  readonly sealRecipients: ReadonlyMap<string, JWK>;
  /** Observers every sealed member is also encrypted to (DESIGN.md "Confidentiality"). */
  readonly sealObservers: readonly string[];
  readonly sealKey: JWK;
  /**
   * Sealed members this state has opened, by log index. An entry never changes once in the
   * log, so its plaintext can be kept instead of decrypting the JWE on every read.
   */
  readonly openedSealed: BoundedCache<number, unknown>;
  /** Each case's key (issue 17): seals and opens request entries' sealed members, and erases them on time. */
  readonly caseKeys: CaseKeeper;
  /** Brings the mirror up to the exchange's latest checkpoint (on demand, besides the timer). */
  readonly refresh: () => Promise<void>;
  /**
   * Waits, at most `ms`, until the mirror holds the entry at `index` (a witnessed checkpoint
   * covers it): true once it does. So that what an official just did is in the view they see next.
   */
  readonly waitForMirror: (index: number, ms: number) => Promise<boolean>;
}

/**
 * A request this state is a party to, or 404: a request between other states is answered as
 * if it did not exist, so the console cannot even confirm that it does (issue 4: "an
 * official sees only ... the requests their state is a party to"). An unknown id triggers
 * one sync first, since the request may have been filed moments ago.
 */
export async function ownRequest(context: GatewayContext, id: string): Promise<RequestRecord> {
  let record = getRequest(context.mirror.state, id);
  if (!record) {
    await context.refresh();
    record = getRequest(context.mirror.state, id);
  }
  if (!record) {
    // Filed by this state moments ago, and not yet in a witnessed checkpoint: wait a little,
    // then say so rather than "unknown" (issue 11: a new request opens without an error).
    const pending = await pendingFiling(context, id);
    if (pending !== undefined) {
      await context.waitForMirror(pending, 5_000);
      record = getRequest(context.mirror.state, id);
      if (!record) throw new ServiceError('REQUEST_PENDING', `request ${id} was filed as log entry ${pending}; it appears here as soon as a witnessed checkpoint covers it, usually within seconds`);
    }
  }
  if (!record || (record.view.requesting !== context.party && record.view.requested !== context.party)) {
    throw new ServiceError('REQUEST_UNKNOWN', `no request ${id} of ${context.party} in the verified log`);
  }
  return record;
}

/** The log index of this state's filing of `id` that the exchange accepted but the mirror does not hold yet. */
async function pendingFiling(context: GatewayContext, id: string): Promise<number | undefined> {
  for (const submission of await listPendingSubmissions(context.store.db)) {
    if (submission.type !== 'request.file' || submission.index < context.mirror.size) continue;
    const entry = parseEntry(submission.bytes);
    if (entry.ok && (entry.value.body as { request?: unknown }).request === id) return submission.index;
  }
  return undefined;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServiceError('BAD_REQUEST', 'body: expected a JSON object', 'body');
  return body as Record<string, unknown>;
}
