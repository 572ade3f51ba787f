import { entryBodySchemas, issuesFromZod, safeParseReporting, reasonsGiven, reasonsRequired, type CaseKeyWrap, type EntryType } from '@evenhand/core';
import type { z } from 'zod';
import { relayedField, ServiceError } from '../errors.ts';
import type { GatewayContext } from './context.ts';
import { gatherSealed } from './sealed-members.ts';
import type { Submitted } from './submitter.ts';

/**
 * From an official's body to a submitted entry: gather the sealed members, check the body
 * against the core schema (so a typo is answered here, naming the field, before anything is
 * signed), encrypt `sealed` (under the request's case key, case-keys.ts; a trade's to the
 * parties' seal keys), then sign and submit. The body is signed as given, without the schema's defaults, as the log stores it.
 */
export async function submitEntry(context: GatewayContext, type: EntryType, body: Record<string, unknown>, time: number, parties: readonly string[], official: string): Promise<Submitted> {
  const plain = withOfficial(type, requireReasons(type, gatherSealed(type, body)), official);
  const parsed = safeParseReporting(entryBodySchemas[type], plain);
  if (!parsed.success) throw bodyInvalid(parsed.error);
  const recipients = [...parties, ...context.sealObservers];
  let sealed = await context.caseKeys.sealEntry(type, plain, recipients);
  let submitted: Submitted | undefined;
  for (let attempt = 1; submitted === undefined; attempt++) {
    try {
      submitted = await context.submitter.submit({ time, type, body: sealed, official });
    } catch (error) {
      // A recipient rotated its transport key between the wrap and the sequencing (core
      // TRANSPORT_KEY_STALE): once the mirror holds the new key, wrap a new case key to it (twice at most).
      if (attempt > 2 || !(type === 'request.file' && error instanceof ServiceError && error.code === 'TRANSPORT_KEY_STALE')) throw error;
      await context.caseKeys.newerTransportKey(sealed.caseKeys as CaseKeyWrap[]);
      sealed = await context.caseKeys.sealEntry(type, plain, recipients);
    }
  }
  // Let the mirror catch up soon, so the official sees the entry in the timeline.
  void context.refresh().catch(() => undefined);
  return submitted;
}

/**
 * The official who takes an act, sealed into it (issue 15, "audit trail"): the parties can
 * read who acted, the public only which state. Treaty entries and registrations of officials
 * name no official: they are sealed to no one, and their authors are the states themselves.
 * Nor do registrations of incidents (issue 17), whose fields are all public and which no
 * party is a recipient of: the gateway's submissions table keeps who registered one.
 */
export function withOfficial(type: EntryType, body: Record<string, unknown>, official: string): Record<string, unknown> {
  if (type.startsWith('treaty.') || type.startsWith('official.') || type.startsWith('incident.')) return body;
  const sealed = typeof body.sealed === 'object' && body.sealed !== null && !Array.isArray(body.sealed) ? (body.sealed as Record<string, unknown>) : {};
  return { ...body, sealed: { ...sealed, official } };
}

/**
 * An act that must give reasons (core `reasonsRequired`) is refused here, on its plaintext:
 * once sealed, with the official's name inside, the exchange cannot tell reasons from none.
 */
export function requireReasons(type: EntryType, body: Record<string, unknown>): Record<string, unknown> {
  if (reasonsRequired(type, body) && !reasonsGiven(body.sealed)) {
    throw new ServiceError('REASONS_REQUIRED', `body.sealed.reasons: ${type === 'request.extend' ? 'an extension' : 'a refusal'} must give reasons (FD 2002/584 art. 17(${type === 'request.extend' ? 4 : 6}))`, 'body.sealed.reasons');
  }
  return body;
}

/** An official's body the core schema refuses: every issue in words, the first one's path (`body.…`) as the field. */
export function bodyInvalid(error: z.ZodError): ServiceError {
  const issues = issuesFromZod(error.issues, ['body']);
  return new ServiceError('BODY_INVALID', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), relayedField(issues[0]?.path));
}
