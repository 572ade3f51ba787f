import { err, ok, type Result } from '@evenhand/core';
import { bytesEqual, parseVerifierKey, SIGNATURE_ED25519, treatyOrigin, type Entry, type JsonValue, type NoteVerifier } from '@evenhand/log';
import type { VerifyFailure } from './verify-log.ts';

/**
 * Authors' keys, learned from the log itself: its first entry must be a `treaty.propose`
 * whose treaty lists each party's `key` (a signed-note vkey). The operator, author
 * "exchange", signs with the log key of the policy. When the verifier knows its own key,
 * a treaty that carries another key for it is refused: the operator cannot substitute it.
 */
export function learnAuthorKeys(first: Entry, logKey: NoteVerifier, self: { party: string; key?: NoteVerifier }): Result<Map<string, Uint8Array>, VerifyFailure> {
  if (first.type !== 'treaty.propose') {
    return err({ code: 'NO_TREATY', message: `entry 0: a log must open with treaty.propose, found ${first.type}` });
  }
  const treaty = first.body.treaty as { id?: JsonValue; parties?: JsonValue } | undefined;
  // The origin names the treaty (evenhand/<treaty-id>): a log cannot pass off another treaty.
  if (typeof treaty?.id !== 'string' || treatyOrigin(treaty.id) !== first.log) {
    return err({ code: 'ENTRY_WRONG_ORIGIN', message: `entry 0: body.treaty.id: the log ${first.log} must open with the treaty it is named after, found ${JSON.stringify(treaty?.id)}` });
  }
  const parties = Array.isArray(treaty?.parties) ? treaty.parties : [];
  const keys = new Map<string, Uint8Array>([['exchange', logKey.publicKey]]);
  for (const [i, party] of parties.entries()) {
    if (typeof party !== 'object' || party === null || Array.isArray(party)) continue;
    const { id, key } = party as { id?: JsonValue; key?: JsonValue };
    if (typeof id !== 'string' || typeof key !== 'string') continue;
    const parsed = parseVerifierKey(key);
    if (!parsed.ok) return err({ code: parsed.error.code, message: `entry 0: body.treaty.parties[${i}].key: ${parsed.error.message}` });
    if (parsed.value.type !== SIGNATURE_ED25519) return err({ code: 'KEY_MALFORMED', message: `entry 0: body.treaty.parties[${i}].key: an entry key must be Ed25519 (0x01)` });
    keys.set(id, parsed.value.publicKey);
  }
  const own = keys.get(self.party);
  if (self.key && (!own || !bytesEqual(own, self.key.publicKey))) {
    return err({ code: 'OWN_KEY_MISMATCH', message: `entry 0: the treaty in the log gives ${self.party} ${own ? 'another key' : 'no key'} than yours (--key): the log substituted your key` });
  }
  return ok(keys);
}
