import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apply, genesis, loadTreaty, type AnyDomainEntry, type State, type Treaty } from '@evenhand/core';
import {
  AuthorKeyring, domainPart, EMPTY_ROOT, entryLink, EntryVerifier, formatVerifierKey, makeSigner, signEntry, toBase64, treatyOrigin, verifierOf,
  type JsonObject, type NoteSigner,
} from '../src/index.ts';
import { logSigner, seedOf } from './helpers.ts';

const loaded = loadTreaty(readFileSync(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url), 'utf8'));
if (!loaded.ok) throw new Error('the 2021 treaty does not load');
const origin = treatyOrigin(loaded.value.id);
const log = logSigner(origin);
const signer = (label: string) => makeSigner(label.split(':')[0]!, seedOf(`keyring:${label}`));
const usOld = signer('US:old');
const usNew = signer('US:new');
const ru = signer('RU');
const tr = signer('TR');
const T = 1_700_000_000;

function withKeys(treaty: Treaty, version: number, keys: Record<string, NoteSigner>, extra: Treaty['parties'] = []): Treaty {
  const parties = [...treaty.parties, ...extra].map((party) => (keys[party.id] ? { ...party, key: formatVerifierKey(verifierOf(keys[party.id]!)) } : party));
  return { ...treaty, version, parties };
}
const v1 = withKeys(loaded.value, 1, { US: usOld, RU: ru });
const v2 = withKeys(v1, 2, { US: usNew });

/**
 * A replaying verifier as the exchange, the gateways and `evenhand verify` run one: the keys
 * come from the keyring over the state that the entries before build.
 */
class Replay {
  state: State = genesis();
  readonly keyring: AuthorKeyring;
  readonly verifier: EntryVerifier;
  private readonly chains = new Map<string, { seq: number; link: string }>();

  constructor(openingKeys?: ReadonlyMap<string, Uint8Array>) {
    this.keyring = new AuthorKeyring(log.publicKey, openingKeys);
    this.verifier = new EntryVerifier(origin, (author, entry) => this.keyring.keyOf(author, this.state, entry));
  }

  /** Signs `domain` with `by` as the author's next entry, then checks, appends and applies it. */
  add(domain: AnyDomainEntry, by: NoteSigner): string {
    const prior = this.chains.get(domain.author);
    const { bytes } = signEntry(
      {
        v: 1, log: origin, author: domain.author, seq: (prior?.seq ?? 0) + 1, prev: prior?.link ?? '',
        seen: { size: 0, root: toBase64(EMPTY_ROOT) }, time: domain.time, type: domain.type, body: JSON.parse(JSON.stringify(domain.body)) as JsonObject,
      },
      by.seed,
    );
    const added = this.verifier.add(bytes, { skewSeconds: 300, seenWitnessedAt: 'unchecked' });
    if (!added.ok) return added.error.code;
    this.chains.set(domain.author, { seq: (prior?.seq ?? 0) + 1, link: entryLink(bytes) });
    const applied = apply(this.state, domainPart(added.value.entry) as AnyDomainEntry);
    assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
    this.state = applied.value;
    return 'OK';
  }
}

const propose = (author: string, treaty: Treaty) => ({ author, time: T, type: 'treaty.propose', body: { treaty } }) as AnyDomainEntry;
const ratify = (author: string, treaty: Treaty) => ({ author, time: T, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } }) as AnyDomainEntry;
/** Any further entry of an author's: a proposal (version 9) that nobody ratifies. */
const anyEntry = (author: string) => propose(author, withKeys(v1, 9, {}));

function adopted(replay = new Replay()): Replay {
  assert.equal(replay.add(propose('US', v1), usOld), 'OK');
  assert.equal(replay.add(ratify('US', v1), usOld), 'OK');
  assert.equal(replay.add(ratify('RU', v1), ru), 'OK');
  assert.equal(replay.state.treaty?.version, 1);
  return replay;
}

test('a verifier learns the opening keys from the first entry; the exchange opens with configured ones', () => {
  const replay = adopted();
  assert.deepEqual(replay.keyring.keyOf('US', replay.state), usOld.publicKey);
  assert.deepEqual(replay.keyring.keyOf('exchange', replay.state), log.publicKey);
  assert.equal(replay.keyring.keyOf('TR', replay.state), undefined);
  // The exchange's configured keys rule the opening: a first entry declaring others is refused.
  const configured = new Replay(new Map([['US', usNew.publicKey], ['RU', ru.publicKey]]));
  assert.equal(configured.add(propose('US', v1), usOld), 'ENTRY_BAD_SIGNATURE');
});

test('a refused first entry does not fix the opening keys for the next candidate', () => {
  const replay = new Replay();
  // Declares US's key as usNew but is signed with usOld: refused, and learns nothing.
  assert.equal(replay.add(propose('US', v2), usOld), 'ENTRY_BAD_SIGNATURE');
  assert.equal(replay.add(propose('US', v1), usOld), 'OK');
  assert.deepEqual(replay.keyring.keyOf('US', replay.state), usOld.publicKey);
});

test('a key changed by amendment takes effect at adoption, for every author the same way', () => {
  const replay = adopted();
  assert.equal(replay.add(propose('US', v2), usOld), 'OK');
  // Pending: the treaty in force still gives US its old key.
  assert.equal(replay.add(ratify('US', v2), usNew), 'ENTRY_BAD_SIGNATURE');
  assert.equal(replay.add(ratify('US', v2), usOld), 'OK');
  assert.deepEqual(replay.keyring.keyOf('US', replay.state), usOld.publicKey);
  // RU's ratification adopts version 2; from the next entry on, US signs with its new key.
  assert.equal(replay.add(ratify('RU', v2), ru), 'OK');
  assert.equal(replay.state.treaty?.version, 2);
  assert.equal(replay.add(anyEntry('US'), usOld), 'ENTRY_BAD_SIGNATURE');
  assert.equal(replay.add(anyEntry('US'), usNew), 'OK');
  assert.deepEqual(replay.keyring.keyOf('US', replay.state), usNew.publicKey);
  assert.deepEqual(replay.keyring.keyOf('RU', replay.state), ru.publicKey);
  // A state's own check of the key it holds against the log as it stands.
  assert.deepEqual(replay.keyring.compareHeldKey('US', usOld.publicKey, replay.state), { held: 'other', treaty: 'the treaty in force (version 2)' });
  assert.equal(replay.keyring.compareHeldKey('US', usNew.publicKey, replay.state).held, 'expected');
  assert.equal(replay.keyring.compareHeldKey('TR', tr.publicKey, replay.state).held, 'none-listed');
});

test('a state joining by amendment ratifies with the key the pending proposal gives it', () => {
  const replay = adopted();
  const joined = {
    ...withKeys(v1, 2, { TR: tr }, [{ ...v1.parties[1]!, id: 'TR', name: 'Republic of Türkiye' }]),
    lawProfiles: { ...v1.lawProfiles, TR: v1.lawProfiles.RU! },
  };
  assert.equal(replay.add(propose('US', joined), usOld), 'OK');
  assert.deepEqual(replay.keyring.keyOf('TR', replay.state), tr.publicKey);
  // A rival proposal gives TR another key: TR's ratification of version 2 still takes the
  // key version 2 lists, and TR may propose with the key its own proposal declares.
  const trOther = signer('TR:other');
  const rival = { ...joined, version: 3, parties: joined.parties.map((party) => (party.id === 'TR' ? { ...party, key: formatVerifierKey(verifierOf(trOther)) } : party)) };
  assert.equal(replay.add(propose('TR', rival), tr), 'ENTRY_BAD_SIGNATURE');
  assert.equal(replay.add(propose('TR', rival), trOther), 'OK');
  assert.deepEqual(replay.keyring.keyOf('TR', replay.state), trOther.publicKey, 'without an entry: the newest proposal');
  assert.equal(replay.add(ratify('TR', joined), trOther), 'ENTRY_BAD_SIGNATURE');
  assert.equal(replay.add(ratify('TR', joined), tr), 'OK');
  assert.equal(replay.add(ratify('US', joined), usOld), 'OK');
  assert.equal(replay.add(ratify('RU', joined), ru), 'OK');
  assert.deepEqual(replay.state.treaty?.parties.map((party) => party.id), ['US', 'RU', 'TR']);
  assert.deepEqual(replay.keyring.keyOf('TR', replay.state), tr.publicKey);
});
