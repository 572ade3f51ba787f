import { z } from 'zod';
import { deadlineKindSchema } from '../contract/views.ts';

/**
 * The query of a request's proof route: `?unanswered=<kind>` adds the proof that this
 * obligation went unanswered. Its kinds are every core deadline kind (deadlineKindSchema, from
 * a Record over DeadlineKind, so a missing or extra one does not compile). Other parameters
 * are dropped, as Fastify's validator did before.
 */
export const REQUEST_PROOF_QUERY = z.object({
  unanswered: deadlineKindSchema
    .optional()
    .describe('also prove that this overdue obligation of the request went unanswered (docs/case-proof.md): every entry from the filing to the first checkpoint cosigned after its due date'),
});

export const PROOF_SUMMARY = 'case proof (evenhand.org/case-proof@v1, docs/case-proof.md): one JSON file with the case\'s entries, each run with its range proof, one cosigned checkpoint and the policy; sealed fields stay ciphertext. Check it offline with `evenhand check-proof <file>`';
