import type { EntryType } from './entries.ts';

/**
 * The members of each entry type's `sealed` part (entries.ts): personal data, evidence and
 * free text, which the gateway encrypts to the parties before signing and no rule ever reads
 * (DESIGN.md "Confidentiality"). The first member is the one an official writes when acting;
 * `required` names those `apply` insists on (a refusal's and an extension's reasons, FD
 * 2002/584 art. 17(4) and 17(6), are checked by their handlers).
 */
export const SEALED_MEMBERS: Partial<Record<EntryType, readonly string[]>> = {
  'request.file': ['identity', 'evidence', 'statement'],
  'request.ask-info': ['questions'],
  'request.supply-info': ['answer', 'evidence'],
  'request.extend': ['reasons'],
  'request.consult': ['message'],
  'request.consult-reply': ['message'],
  'request.decide': ['reasons'],
  'request.assure': ['text'],
  'request.withdraw': ['reasons'],
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
