import { EXCHANGE_AUTHOR, err, ok, type Result, type State } from '@evenhand/core';
import { bytesEqual } from './encoding.ts';
import type { Entry } from './entry.ts';
import { logError, type LogError } from './errors.ts';
import { parseVerifierKey, SIGNATURE_ED25519 } from './note.ts';

/** The entry keys a treaty document lists, by party id (each a `name+hash+base64` vkey). */
type PartyKeys = ReadonlyMap<string, Uint8Array>;

/**
 * Which key must sign an author's next entry, read from the log's own state, so that a key
 * changed by treaty amendment takes effect for every verifier at the same entry:
 *
 * - author "exchange" signs with the log key (the policy's);
 * - once a treaty is in force, a party signs with the key that treaty gives it. An amendment
 *   that changes a key takes effect when it is adopted: the ratification that adopts it is
 *   still signed with the old key, and the party's next entry with the new one;
 * - a state the treaty in force does not list (one joining by amendment) signs its
 *   ratification with the key the proposal it ratifies gives it: it ratifies before it is a
 *   party (joinerKey);
 * - before any treaty is in force, the parties sign with the opening keys. The exchange
 *   opens with the keys of its configured treaty; a verifier, with those the log's first
 *   entry (a `treaty.propose`) declares, which each state checks against its own key.
 */
export class AuthorKeyring {
  private opening: PartyKeys | undefined;
  /** Without configured opening keys, they are read from the log's first entry. */
  private readonly learnsOpening: boolean;
  private readonly parsed = new Map<string, Uint8Array | undefined>();

  constructor(
    private readonly logKey: Uint8Array,
    openingKeys?: PartyKeys,
  ) {
    this.opening = openingKeys;
    this.learnsOpening = openingKeys === undefined;
  }

  /**
   * The key for `author`'s entry after `state`. With no opening keys yet and an empty log,
   * `entry` (the log's first) must be the `treaty.propose` that declares them.
   */
  keyOf(author: string, state: State, entry?: Entry): Uint8Array | undefined {
    if (author === EXCHANGE_AUTHOR) return this.logKey;
    if (state.treaty) {
      const party = state.treaty.parties.find((candidate) => candidate.id === author);
      if (party) return this.parse(party.key);
      return this.joinerKey(author, state, entry);
    }
    // Read again for every candidate first entry, so that one refused never fixes the keys.
    if (this.learnsOpening && state.size === 0 && entry) {
      const declared = declaredKeys(entry);
      this.opening = declared.ok ? declared.value : undefined;
    }
    return this.opening?.get(author);
  }

  /**
   * How `key`, which `party` holds, compares with the key the log as it stands expects from
   * it (`keyOf`), and which treaty says so: a state's own check that the log has not
   * substituted its key, at the opening or by an amendment it has not followed.
   */
  compareHeldKey(party: string, key: Uint8Array, state: State): { readonly held: 'expected' | 'other' | 'none-listed'; readonly treaty: string } {
    const expected = this.keyOf(party, state);
    const treaty = state.treaty ? `the treaty in force (version ${state.treaty.version})` : 'the treaty the log opens with';
    return { held: !expected ? 'none-listed' : bytesEqual(expected, key) ? 'expected' : 'other', treaty };
  }

  /**
   * A state the treaty in force does not list signs with the key of the document it acts on:
   * its ratification, with the key the ratified proposal gives it; its own proposal, with the
   * key that proposal declares (it binds nobody until every party in force ratifies it).
   * Without an entry (what key does it hold now?), the newest pending proposal listing it.
   */
  private joinerKey(author: string, state: State, entry?: Entry): Uint8Array | undefined {
    const keyIn = (parties: readonly { id: string; key?: string | undefined }[] | undefined) => this.parse(parties?.find((candidate) => candidate.id === author)?.key);
    if (entry?.type === 'treaty.ratify') {
      const { treaty, version } = entry.body;
      return keyIn(state.proposals.find((proposal) => proposal.treaty.id === treaty && proposal.treaty.version === version)?.treaty.parties);
    }
    if (entry?.type === 'treaty.propose') {
      const parties = (entry.body.treaty as { parties?: unknown } | undefined)?.parties;
      const declared = Array.isArray(parties) ? parties.find((party) => party?.id === author)?.key : undefined;
      // Not cached: the key comes from an entry not yet accepted, perhaps never to be.
      return typeof declared === 'string' ? ed25519Key(declared) : undefined;
    }
    for (let i = state.proposals.length - 1; i >= 0; i--) {
      const key = keyIn(state.proposals[i]!.treaty.parties);
      if (key) return key;
    }
    return undefined;
  }

  private parse(vkey: string | undefined): Uint8Array | undefined {
    if (vkey === undefined) return undefined;
    if (!this.parsed.has(vkey)) this.parsed.set(vkey, ed25519Key(vkey));
    return this.parsed.get(vkey);
  }
}

function ed25519Key(vkey: string): Uint8Array | undefined {
  const key = parseVerifierKey(vkey);
  return key.ok && key.value.type === SIGNATURE_ED25519 ? key.value.publicKey : undefined;
}

/**
 * The entry keys the log's first entry declares: it must be a `treaty.propose` whose document
 * lists each party with an Ed25519 verifier key. Errors name the field.
 */
export function declaredKeys(first: Entry): Result<PartyKeys, LogError> {
  if (first.type !== 'treaty.propose') return err(logError('ENTRY_INVALID', `type: a log must open with treaty.propose, which names the parties' keys, found ${first.type}`));
  const treaty = first.body.treaty as { parties?: unknown } | undefined;
  const keys = new Map<string, Uint8Array>();
  for (const [i, party] of (Array.isArray(treaty?.parties) ? treaty.parties : []).entries()) {
    const { id, key } = (party ?? {}) as { id?: unknown; key?: unknown };
    if (typeof id !== 'string' || typeof key !== 'string') continue;
    const parsed = parseVerifierKey(key);
    if (!parsed.ok) return err(logError(parsed.error.code, `body.treaty.parties[${i}].key: ${parsed.error.message}`));
    if (parsed.value.type !== SIGNATURE_ED25519) return err(logError('KEY_MALFORMED', `body.treaty.parties[${i}].key: an entry key must be Ed25519 (0x01)`));
    keys.set(id, parsed.value.publicKey);
  }
  return ok(keys);
}
