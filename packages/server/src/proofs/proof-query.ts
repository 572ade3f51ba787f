import type { DeadlineKind } from '@evenhand/core';

/** The obligations a proof can show unanswered: every core deadline kind (a Record, so a missing or extra one does not compile). */
const KINDS: Record<DeadlineKind, true> = {
  acknowledge: true,
  decide: true,
  'reply-to-info-request': true,
  'reply-to-consultation': true,
  surrender: true,
  'file-full-request': true,
  'release-from-provisional-arrest': true,
  'prosecution-report': true,
  provide: true,
  'erase-personal-data': true,
};

/** The query of a request's proof route: `?unanswered=<kind>` adds the proof that this obligation went unanswered. */
export const REQUEST_PROOF_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unanswered: { type: 'string', enum: Object.keys(KINDS), description: 'also prove that this overdue obligation of the request went unanswered (docs/case-proof.md): every entry from the filing to the first checkpoint cosigned after its due date' },
  },
} as const;

export const PROOF_SUMMARY = 'case proof (evenhand.org/case-proof@v1, docs/case-proof.md): one JSON file with the case\'s entries, each run with its range proof, one cosigned checkpoint and the policy; sealed fields stay ciphertext. Check it offline with `evenhand check-proof <file>`';
