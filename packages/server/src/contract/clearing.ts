import { z } from 'zod';

/**
 * The answer of an on-demand clearing round (`POST /v1/clearing/run`, issue 6): the round's
 * pool and solver figures, the `clearing.round` entry that records it, and each proposed trade
 * with its log index or the refusal of its `trade.propose` entry.
 */

const refusalSchema = z.strictObject({ code: z.string(), message: z.string(), field: z.string().optional() });

export const clearingRoundAnswer = z.strictObject({
  round: z.string().describe('the round id, round-<log size at its start>'),
  recorded: z.union([z.number().int().min(0), refusalSchema]).describe("the log index of the round's clearing.round entry, or why it was refused"),
  pool: z.number().int().min(0).describe('requests in the pool'),
  poolAt: z.number().int().min(0).describe('the log size the pool was built at'),
  poolDigest: z.string().describe("SHA-256 of the pool's encoding, hex: what an auditor rebuilds (clear --audit)"),
  objective: z.number().describe('total weight of the legs in the plan'),
  bound: z.number().describe('a proven upper bound on the best objective'),
  gap: z.number().describe('certified relative gap (bound - objective) / bound'),
  optimal: z.boolean(),
  credits: z.record(z.string(), z.number()).describe('fairness credits after the round, by account'),
  trades: z.array(
    z.strictObject({
      trade: z.string(),
      index: z.number().int().min(0).optional().describe('the log index of its trade.propose entry'),
      code: z.string().optional().describe('why its entry was refused'),
      message: z.string().optional(),
    }),
  ),
});
