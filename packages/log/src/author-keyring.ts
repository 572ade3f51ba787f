import { EXCHANGE_AUTHOR, err, ok, type Result, type State } from '@evenhand/core';
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
 * - a party the treaty in force does not list (one joining by amendment) signs with the key
 *   the newest pending proposal that lists it gives it: it ratifies before it is a party;
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

  /** The opening keys, once known: configured, or learned from the first entry. */
  get openingKeys(): PartyKeys | undefined {
    return this.opening;
  }

  /**
   * The key for `author`'s entry after `state`. With no opening keys yet and an empty log,
   * `entry` (the log's first) must be the `treaty.propose` that declares them.
   */
  keyOf(author: string, state: State, entry?: Entry): Uint8Array | undefined {
    if (author === EXCHANGE_AUTHOR) return this.logKey;
    if (state.treaty) {
      const party = state.treaty.parties.find((candidate) => candidate.id === author);
      if (party) return party.key === undefined ? undefined : this.parse(party.key);
      for (let i = state.proposals.length - 1; i >= 0; i--) {
        const listed = state.proposals[i]!.treaty.parties.find((candidate) => candidate.id === author);
        if (listed) return listed.key === undefined ? undefined : this.parse(listed.key);
      }
      return undefined;
    }
    // Read again for every candidate first entry, so that one refused never fixes the keys.
    if (this.learnsOpening && state.size === 0 && entry) {
      const declared = declaredKeys(entry);
      this.opening = declared.ok ? declared.value : undefined;
    }
    return this.opening?.get(author);
  }

  private parse(vkey: string): Uint8Array | undefined {
    if (!this.parsed.has(vkey)) {
      const key = parseVerifierKey(vkey);
      this.parsed.set(vkey, key.ok && key.value.type === SIGNATURE_ED25519 ? key.value.publicKey : undefined);
    }
    return this.parsed.get(vkey);
  }
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
