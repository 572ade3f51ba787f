import type { EntryType } from './entries.ts';

/**
 * The members of each entry type's `sealed` part (entries.ts): personal data, evidence and
 * free text, which the gateway encrypts to the parties before signing and no rule ever reads
 * (DESIGN.md "Confidentiality"). The first member is the one an official writes when acting;
 * `required` names those `apply` insists on (a refusal's and an extension's reasons, FD
 * 2002/584 art. 17(4) and 17(6), are checked by their handlers).
 */
export const SEALED_MEMBERS: Partial<Record<EntryType, readonly string[]>> = {
  'request.file': ['identity', 'evidence', 'statement', 'caseReference', 'court', 'warrantDate'],
  'request.ask-info': ['questions'],
  'request.supply-info': ['answer', 'evidence'],
  'request.extend': ['reasons'],
  'request.consult': ['message'],
  'request.consult-reply': ['message'],
  'request.decide': ['reasons'],
  'request.assure': ['text'],
  'request.withdraw': ['reasons'],
  'request.provide': ['note'],
  'request.proposal-closed': ['official', 'reasons', 'decision'],
  'prosecution.milestone': ['detail'],
  'prosecution.outcome': ['detail'],
  'trade.propose': ['note'],
  'trade.sign': ['note'],
  'trade.attest': ['note'],
  'trade.surrender': ['note'],
  'trade.abort': ['reasons'],
};

/** Entry types whose first sealed member `apply` always requires. */
export const SEALED_REQUIRED: ReadonlySet<EntryType> = new Set(['request.extend']);

/**
 * Whether a sealed member gives reasons. Ciphertext counts as given, since no one but the
 * parties can read it (and the gateway that sealed it checked the plaintext first); in
 * plaintext, `reasons` must be written. A sealed member that names only the official who acted
 * (issue 15) gives none.
 */
export function reasonsGiven(sealed: unknown): boolean {
  if (typeof sealed !== 'object' || sealed === null) return false;
  if ('jwe' in sealed) return true;
  const reasons = (sealed as { reasons?: unknown }).reasons;
  return typeof reasons === 'string' && reasons.trim().length > 0;
}

/** The acts that must give reasons: an extension (FD 2002/584 art. 17(4)) and a refusal (art. 17(6)). */
export function reasonsRequired(type: EntryType, body: { readonly decision?: unknown }): boolean {
  return type === 'request.extend' || (type === 'request.decide' && typeof body.decision === 'string' && body.decision.startsWith('refuse'));
}
