import { ok, type Result } from '../result.ts';
import type { UnixSeconds } from '../time.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { State } from '../request/state.ts';

/**
 * Transport keys (issue 17, docs/erasure.md). A case key reaches the other party only through
 * the log, so it is wrapped to a key the recipient publishes there: an X25519 public key
 * (RFC 7748; RFC 8037 `x`, base64url) that the recipient's gateway rotates and whose private
 * half it destroys once every case key wrapped to it is unwrapped. A backup of the log then
 * holds wraps that no surviving key opens: forward secrecy for the case keys. The state keeps
 * only each party's latest key, the one every new wrap must use.
 */
export interface TransportKey {
  readonly party: string;
  readonly kid: string;
  /** The X25519 public key, base64url without padding (43 characters, 32 bytes). */
  readonly key: string;
  readonly at: UnixSeconds;
  /** The log index of the `seal.publish` entry: from there on, wraps to the party use this key. */
  readonly index: number;
}

export function latestTransportKey(state: State, party: string): TransportKey | undefined {
  return state.transportKeys?.[party];
}

/** `seal.publish`: the author's gateway puts its new transport key in force; a key or id it used last is refused. */
export function applySealPublish(state: State, author: string, time: UnixSeconds, body: { readonly kid: string; readonly key: string }): Result<State, ApplyError> {
  const previous = latestTransportKey(state, author);
  if (previous && (previous.kid === body.kid || previous.key === body.key)) {
    return fail('TRANSPORT_KEY_REUSED', `body.${previous.kid === body.kid ? 'kid' : 'key'}: ${author}'s transport key in force already has this ${previous.kid === body.kid ? 'id' : 'key'}; a rotation publishes a new key under a new id`, `body.${previous.kid === body.kid ? 'kid' : 'key'}`);
  }
  const published: TransportKey = { party: author, kid: body.kid, key: body.key, at: time, index: state.size };
  return ok({ ...state, transportKeys: { ...state.transportKeys, [author]: published }, size: state.size + 1 });
}
