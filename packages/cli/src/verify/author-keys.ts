import { err, ok, type Result, type State } from '@evenhand/core';
import { declaredKeys, treatyOrigin, type AuthorKeyring, type Entry, type NoteVerifier } from '@evenhand/log';
import type { VerifyFailure } from './verify-log.ts';

/**
 * The log's opening: its first entry must be the `treaty.propose` of the treaty the log is
 * named after (evenhand/<treaty-id>), listing each party's `key` (a signed-note vkey). The
 * keys then follow the treaty in force (AuthorKeyring), amendments included.
 */
export function checkOpening(first: Entry): Result<true, VerifyFailure> {
  if (first.type !== 'treaty.propose') {
    return err({ code: 'NO_TREATY', message: `entry 0: a log must open with treaty.propose, found ${first.type}` });
  }
  const treaty = first.body.treaty as { id?: unknown } | undefined;
  // The origin names the treaty: a log cannot pass off another treaty.
  if (typeof treaty?.id !== 'string' || treatyOrigin(treaty.id) !== first.log) {
    return err({ code: 'ENTRY_WRONG_ORIGIN', message: `entry 0: body.treaty.id: the log ${first.log} must open with the treaty it is named after, found ${JSON.stringify(treaty?.id)}` });
  }
  const keys = declaredKeys(first);
  if (!keys.ok) return err({ code: keys.error.code, message: `entry 0: ${keys.error.message}` });
  return ok(true);
}

/**
 * When the verifier knows its own key (--key), the log as it stands must expect that key
 * from it: otherwise the operator substituted it, at the opening or by an amendment.
 */
export function checkOwnKey(keyring: AuthorKeyring, state: State, self: { party: string; key?: NoteVerifier }): Result<true, VerifyFailure> {
  if (!self.key || state.size === 0) return ok(true);
  const { held, treaty } = keyring.compareHeldKey(self.party, self.key.publicKey, state);
  if (held === 'expected') return ok(true);
  return err({
    code: 'OWN_KEY_MISMATCH',
    message: `${treaty} gives ${self.party} ${held === 'other' ? 'another key' : 'no key'} than yours (--key): the log substituted your key, or ${self.party} changed it by amendment and --key is the old one`,
  });
}
