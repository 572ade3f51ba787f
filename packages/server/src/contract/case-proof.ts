import { z } from 'zod';
import { CASE_PROOF_FORMAT, type CaseProof } from '@evenhand/log';

/**
 * A case proof file (evenhand.org/case-proof@v1, docs/case-proof.md), as the gateway's and the
 * exchange's proof routes send it. `evenhand check-proof` reads the same shape.
 */
export const caseProofSchema = z
  .strictObject({
    format: z.literal(CASE_PROOF_FORMAT),
    subject: z.strictObject({ type: z.enum(['request', 'trade']), id: z.string() }),
    policy: z.string().describe('tlog-policy text: the log key, and the witnesses before any treaty names them'),
    checkpoint: z.string().describe('the cosigned checkpoint note, verbatim'),
    runs: z.array(
      z.strictObject({
        from: z.number().int().min(0),
        entries: z.array(z.string()).describe("each entry's bytes, base64, exactly as the log holds them"),
        proof: z.array(z.string()).describe("the range proof of the run at the checkpoint's size, base64 hashes"),
      }),
    ),
    unanswered: z
      .strictObject({
        kind: z.string(),
        delivery: z.union([z.strictObject({ by: z.literal('cosignature'), witness: z.string() }), z.strictObject({ by: z.literal('entry'), index: z.number().int() })]),
      })
      .optional(),
  })
  .meta({ id: 'CaseProof' }) satisfies z.ZodType<CaseProof>;

/** The proof routes' answer: the file itself, to be saved (content-disposition: attachment). */
export const caseProofAnswer = { description: 'the case proof file', content: { 'application/json; charset=utf-8': { schema: caseProofSchema } } };
