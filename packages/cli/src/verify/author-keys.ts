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
 * When the verifier knows its keys (--key, --key-history), the log as it stands must expect
 * one of them from it: otherwise the operator substituted its key, at the opening or by an
 * amendment, or the party changed it by amendment and the new key is not in the history.
 */
export function checkOwnKey(keyring: AuthorKeyring, state: State, self: { party: string; keys: readonly NoteVerifier[] }): Result<true, VerifyFailure> {
  if (self.keys.length === 0 || state.size === 0) return ok(true);
  const compared = self.keys.map((key) => keyring.compareHeldKey(self.party, key.publicKey, state));
  if (compared.some((each) => each.held === 'expected')) return ok(true);
  const { held, treaty } = compared[0]!;
  return err({
    code: 'OWN_KEY_MISMATCH',
    message: `${treaty} gives ${self.party} ${held === 'other' ? 'a key other than yours' : 'no key'} (--key/--key-history): the log substituted your key, or ${self.party} changed it by amendment and the new key is not among those given`,
  });
}
