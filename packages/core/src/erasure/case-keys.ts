import { z } from 'zod';
import { ok, type Result } from '../result.ts';
import { partyIdSchema } from '../treaty/schema.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { State } from '../request/state.ts';
import { latestTransportKey } from './transport-keys.ts';

/** A transport key id, as the gateway that made it names it, such as "US-t1700000000-4f2a". */
export const transportKidSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a key id of letters, digits, ".", "_", ":" or "-", at most 64 long');

/** An X25519 public key (RFC 8037 `x`): 32 bytes in base64url without padding. */
export const transportKeySchema = z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'an X25519 public key of 32 bytes in base64url');

/**
 * The case key wrapped to one recipient: a compact JWE (RFC 7516 §7.1) whose plaintext is the
 * 32-byte case key, encrypted to the recipient's transport key `kid`. Public: it reveals
 * nothing without the transport private key, which the recipient destroys after unwrapping.
 */
export const caseKeyWrapSchema = z.strictObject({
  to: partyIdSchema,
  kid: transportKidSchema,
  wrapped: z.string().max(2_000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWE'),
});

export const caseKeysSchema = z.array(caseKeyWrapSchema).min(1).max(16);
export type CaseKeyWrap = z.infer<typeof caseKeyWrapSchema>;

/**
 * The wraps of a filing's case key (issue 17). Absent in logs written before case keys, whose
 * sealed members are sealed to the parties' long-term keys. Where present: one wrap per party
 * of the request, and at most one per other recipient (a designated observer that is a party of
 * the treaty); each to its recipient's latest published transport key, so that no case key is
 * wrapped to a key its holder may already have destroyed.
 */
export function checkCaseKeys(state: State, requesting: string, requested: string, wraps: readonly CaseKeyWrap[] | undefined): Result<true, ApplyError> {
  if (wraps === undefined) return ok(true);
  const seen = new Set<string>();
  for (const [i, wrap] of wraps.entries()) {
    if (seen.has(wrap.to)) return fail('CASE_KEYS_INVALID', `body.caseKeys[${i}].to: ${wrap.to} has two wraps of the case key`, `body.caseKeys[${i}].to`);
    seen.add(wrap.to);
    const latest = latestTransportKey(state, wrap.to);
    if (!latest) return fail('TRANSPORT_KEY_MISSING', `body.caseKeys[${i}].to: ${wrap.to} has published no transport key (seal.publish), so nothing can be wrapped to it`, `body.caseKeys[${i}].to`);
    if (latest.kid !== wrap.kid) {
      return fail('TRANSPORT_KEY_STALE', `body.caseKeys[${i}].kid: ${wrap.to}'s transport key in force is ${latest.kid} (log entry ${latest.index}), not ${wrap.kid}`, `body.caseKeys[${i}].kid`);
    }
  }
  for (const party of [requesting, requested]) {
    if (!seen.has(party)) return fail('CASE_KEYS_INVALID', `body.caseKeys: no wrap of the case key to ${party}, a party of the request`, 'body.caseKeys');
  }
  return ok(true);
}
