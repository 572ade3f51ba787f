import { ok, type Result } from '../result.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { EntryBody } from '../request/entries.ts';
import { emptyMap, mapGet, mapSet, type PersistentMap } from '../request/persistent-map.ts';
import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';

/**
 * The officials each state has registered in the log (issue 13, "two approvals anyone can
 * check"): a pseudonymous id and the Ed25519 public key the official signs approvals with.
 * The other states, the public and `check-proof` learn the keys from the log alone, so a
 * gateway cannot name a second approver it has no key for. Ids and keys are never reused,
 * revoked ones included: otherwise one person could stand as two approvers, or a revoked id
 * could come back with a new key and take the old one's history with it.
 */
export interface OfficialRecord {
  readonly party: string;
  readonly id: string;
  /** Base64 Ed25519 public key (RFC 8032). */
  readonly key: string;
  readonly registeredAt: { readonly index: number; readonly time: UnixSeconds };
  readonly revokedAt?: { readonly index: number; readonly time: UnixSeconds } | undefined;
}

export interface OfficialBook {
  /** Keyed by `officialKey(party, id)`. */
  readonly byId: PersistentMap<OfficialRecord>;
  /** Which official holds each key, across every party: a key serves one official once. */
  readonly byKey: PersistentMap<string>;
  /** Officials each party has ever registered, and how many of them are not revoked. */
  readonly counts: Readonly<Record<string, { readonly registered: number; readonly active: number }>>;
}

/**
 * The fewest active officials a state may keep once it has registered any: the two-person
 * rule needs two, so a revocation that leaves fewer would leave its cases with no legal next
 * act (issue 11). A replacement is registered first, then the old key revoked.
 */
export const MIN_ACTIVE_OFFICIALS = 2;

export function emptyOfficialBook(): OfficialBook {
  return { byId: emptyMap(), byKey: emptyMap(), counts: {} };
}

function officialKey(party: string, id: string): string {
  return `${party}/${id}`;
}

export function getOfficial(book: OfficialBook, party: string, id: string): OfficialRecord | undefined {
  return mapGet(book.byId, officialKey(party, id));
}

/** Whether `party` has registered officials, so that its binding acts must carry their signatures. */
export function hasRegisteredOfficials(book: OfficialBook, party: string): boolean {
  return (book.counts[party]?.registered ?? 0) > 0;
}

export function applyRegister(state: State, author: string, time: UnixSeconds, body: EntryBody<'official.register'>): Result<State, ApplyError> {
  const book = state.officials;
  const founding = !hasRegisteredOfficials(book, author);
  if (founding && body.officials.length < MIN_ACTIVE_OFFICIALS) {
    return fail('OFFICIALS_TOO_FEW', `body.officials: a state's founding set names at least ${MIN_ACTIVE_OFFICIALS} officials, found ${body.officials.length}: its decisions need two approvers`, 'body.officials');
  }
  let { byId, byKey } = book;
  for (const [position, official] of body.officials.entries()) {
    if (mapGet(byId, officialKey(author, official.id))) {
      return fail('OFFICIAL_EXISTS', `body.officials[${position}].id: ${author} has registered ${official.id} already; an id is never reused, even once revoked`, `body.officials[${position}].id`);
    }
    const holder = mapGet(byKey, official.key);
    if (holder !== undefined) {
      return fail('OFFICIAL_KEY_REUSED', `body.officials[${position}].key: the key is registered to ${holder} already; each official holds a key of their own, so one person cannot approve twice`, `body.officials[${position}].key`);
    }
    byId = mapSet(byId, officialKey(author, official.id), { party: author, id: official.id, key: official.key, registeredAt: { index: state.size, time } });
    byKey = mapSet(byKey, official.key, officialKey(author, official.id));
  }
  const count = book.counts[author] ?? { registered: 0, active: 0 };
  const added = body.officials.length;
  const counts = { ...book.counts, [author]: { registered: count.registered + added, active: count.active + added } };
  return ok({ ...state, officials: { byId, byKey, counts }, size: state.size + 1 });
}

export function applyRevoke(state: State, author: string, time: UnixSeconds, body: EntryBody<'official.revoke'>): Result<State, ApplyError> {
  const book = state.officials;
  const record = getOfficial(book, author, body.official);
  if (!record) return fail('OFFICIAL_UNKNOWN', `body.official: ${author} has registered no official ${body.official}`, 'body.official');
  if (record.revokedAt) return fail('OFFICIAL_REVOKED', `body.official: ${body.official} was revoked already, at entry ${record.revokedAt.index}`, 'body.official');
  const count = book.counts[author] ?? { registered: 0, active: 0 };
  if (count.active - 1 < MIN_ACTIVE_OFFICIALS) {
    return fail('OFFICIALS_TOO_FEW', `body.official: revoking ${body.official} would leave ${author} ${count.active - 1} active official(s), and its acts need two approvers; register a replacement first`, 'body.official');
  }
  const byId = mapSet(book.byId, officialKey(author, body.official), { ...record, revokedAt: { index: state.size, time } });
  const counts = { ...book.counts, [author]: { ...count, active: count.active - 1 } };
  return ok({ ...state, officials: { ...book, byId, counts }, size: state.size + 1 });
}
