import type { JWK } from 'jose';
import { eraseRefusal, getRequest, retentionEndsAt, type CaseKeyWrap, type EntryType, type State } from '@evenhand/core';
import { parseEntry } from '@evenhand/log';
import { destroyCaseKey, dueCaseKeys, findCaseKey, listPendingSubmissions, putCaseKeys, readEntries, readGatewayState, RESERVED_WRAP, reserveCaseKey, scheduleErasure, writeGatewayState, type CaseKeyPut, type Store } from '@evenhand/store';
import { ServiceError } from '../errors.ts';
import { caseOfSealed, generateCaseKey, openAtRest, openUnderCaseKey, sealAtRest, sealUnderCaseKey, unwrapCaseKey, wrapCaseKey } from '../sealing/case-key.ts';
import { isSealed } from '../sealing/seal.ts';
import { BoundedCache } from './bounded-cache.ts';
import type { LogMirror } from './mirror.ts';
import { openSealed, sealBody } from './sealed-members.ts';
import type { Submitter } from './submitter.ts';
import type { TransportRing } from './transport-ring.ts';

/** What an erased case's sealed member reads as: a marker, not an error (docs/erasure.md). */
export const ERASED: Readonly<{ erased: true }> = Object.freeze({ erased: true });

/** How far the keeper has read the mirrored log for wraps to this state (gateway_state). */
const CURSOR = 'case-keys.cursor';
const BATCH = 512;
/**
 * Unwraps in flight at once in a catch-up: WebCrypto's jobs share libuv's four threads with the
 * filings' own wrapping and sealing, which must not queue behind a whole batch.
 */
const UNWRAPS_AT_ONCE = 32;
/** Keys made for filings not yet stored (`madeKeys`): far more than are ever in flight at once. */
const MADE_KEYS_HELD = 4_096;

export interface CaseKeeperOptions {
  readonly store: Store;
  readonly party: string;
  readonly ring: TransportRing;
  readonly mirror: LogMirror;
  readonly submitter: Submitter;
  readonly now: () => number;
  /** The long-term seal key: it opens only sealed members written before case keys. */
  readonly sealKey: JWK;
  readonly sealRecipients: ReadonlyMap<string, JWK>;
  /** Plaintext the gateway keeps by log index: an erased case's entries leave it. */
  readonly opened: BoundedCache<number, unknown>;
  /** A new transport key this often, in seconds of the gateway's clock (a week by default). */
  readonly rotationSeconds?: number;
}

/** Request entries whose sealed members are under the request's case key; others (trades) keep the long-term keys. */
function underCaseKey(type: EntryType): boolean {
  return type.startsWith('request.') || type.startsWith('prosecution.');
}

/**
 * The gateway's case keys (issue 17, docs/erasure.md): it wraps a new case key to every
 * recipient's transport key when filing, unwraps the wraps to it as the mirror brings them,
 * keeps each case key sealed under its local key, publishes and rotates its transport keys,
 * destroys a transport private key once nothing still to be unwrapped is wrapped to it, and
 * erases each case key when the case's retention period has run, then says so in the log.
 */
export class CaseKeeper {
  private queue: Promise<unknown> = Promise.resolve();
  /** The catch-up queued and not started yet, which a caller asking now joins (`catchUp`). */
  private waitingCatchUp: Promise<void> | undefined;
  /**
   * Case keys this gateway made for its filings, until the catch-up stores each from the log.
   * The request's page then opens its sealed members at once, without waiting for the catch-up
   * to unwrap the filing's own wrap (issue 14's sustained run: pages waited seconds). Memory,
   * not a row: a restart loses nothing the log does not hold. Bounded, since the key of a filing
   * the exchange refused is never stored.
   */
  private readonly madeKeys = new BoundedCache<string, Uint8Array>(MADE_KEYS_HELD);
  /** Case keys destroyed so far: a reader that opened a member while one was (`erasures` changed meanwhile) must not cache the plaintext. */
  private erased = 0;
  /** A rotation asked for before an erasure: the transport key a case was wrapped to must go first. */
  private rotationWanted = false;

  constructor(private readonly options: CaseKeeperOptions) {}

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(task);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * One round of the gateway's timer: unwrap what the mirror brought, rotate, erase what is due.
   * Only the timer rotates and erases, one round at a time; they submit outside the keeper's
   * queue, since an approver's confirmation seals (and may catch up) inside the submitter's.
   */
  async tick(): Promise<void> {
    await this.catchUp();
    await this.rotate();
    await this.eraseDue();
  }

  /**
   * Reads the mirrored entries after the cursor: unwraps and keeps every case key wrapped to
   * this state, schedules the erasure of each case key whose case has ended, and destroys the
   * transport keys nothing left to read is wrapped to. Each entry is read once.
   *
   * Callers that ask while a catch-up still waits for its turn share it: it starts after they
   * asked, so it reads everything the mirror held by then. Without this, each request page
   * opened under load queued a catch-up of its own behind the others (issue 14's sustained run:
   * pages waited tens of seconds).
   */
  catchUp(): Promise<void> {
    if (this.waitingCatchUp) return this.waitingCatchUp;
    const turn = this.exclusive(async () => {
      this.waitingCatchUp = undefined;
      const { store, party, ring } = this.options;
      let cursor = Number((await readGatewayState(store.db, CURSOR)) ?? '0');
      for (;;) {
        const rows = await readEntries(store.db, cursor, cursor + BATCH);
        if (rows.length === 0) break;
        const touched = new Set<string>();
        const filed: string[] = [];
        const wrapped: { request: string; wrap: CaseKeyWrap; privateJwk: JWK; index: number }[] = [];
        for (const row of rows) {
          const entry = parseEntry(row.bytes);
          if (!entry.ok) continue;
          const body = entry.value.body as { request?: unknown; follows?: unknown; caseKeys?: readonly CaseKeyWrap[] };
          if (typeof body.request === 'string') touched.add(body.request);
          if (typeof body.follows === 'string') touched.add(body.follows);
          if (entry.value.type !== 'request.file' || typeof body.request !== 'string') continue;
          filed.push(body.request);
          const wrap = body.caseKeys?.find((each) => each.to === party);
          const privateJwk = wrap && ring.privateFor(wrap.kid);
          if (wrap && privateJwk) wrapped.push({ request: body.request, wrap, privateJwk, index: row.index });
        }
        // The batch's keys are unwrapped and sealed at rest UNWRAPS_AT_ONCE at a time, then
        // stored in one transaction: one at a time, each of their awaits waited a turn of a loop
        // busy with other work, and under issue 14's sustained load the catch-up fell behind the log.
        const keys: CaseKeyPut[] = [];
        for (let from = 0; from < wrapped.length; from += UNWRAPS_AT_ONCE) {
          const opened = await Promise.all(wrapped.slice(from, from + UNWRAPS_AT_ONCE).map(async ({ request, wrap, privateJwk, index }) => {
            const key = await unwrapCaseKey(wrap.wrapped, privateJwk);
            return key && { request, sealedKey: await sealAtRest(key, ring.localKey, request), wrapKid: wrap.kid, filedIndex: index };
          }));
          for (const value of opened) if (value !== undefined) keys.push(value);
        }
        if (keys.length > 0) await putCaseKeys(store.db, keys);
        // Past its filing, a key this gateway made is the stored one, or none: a wrap to it that
        // does not open (its key file replaced) leaves the case unreadable here, as before.
        for (const request of filed) this.madeKeys.delete(request);
        await this.schedule(touched);
        cursor = rows[rows.length - 1]!.index + 1;
        await writeGatewayState(store.db, CURSOR, String(cursor));
      }
      this.destroyRetired(cursor);
    });
    this.waitingCatchUp = turn;
    return turn;
  }

  /** For each case touched, from the replayed state: erase from the end of retention; nothing more once the log holds this state's erasure. */
  private async schedule(requests: ReadonlySet<string>): Promise<void> {
    const { store, party, mirror } = this.options;
    const treaty = mirror.state.treaty;
    // A provisional-arrest request superseded by a full one ends with it (core caseEndedAt).
    const withEarlier = [...requests].flatMap((id) => [id, getRequest(mirror.state, id)?.follows ?? []].flat());
    for (const id of new Set(withEarlier)) {
      const row = await findCaseKey(store.db, id);
      const record = getRequest(mirror.state, id);
      if (!row || !record || !treaty) continue;
      if (record.erasedBy?.includes(party)) {
        if (row.eraseAfter !== null) await scheduleErasure(store.db, id, null);
      } else {
        // Recomputed whenever the case moves: a preservation's end moves when a request for its
        // data supersedes it (core caseEndedAt).
        const ends = retentionEndsAt(treaty, record, mirror.state) ?? null;
        if (ends !== row.eraseAfter) await scheduleErasure(store.db, id, ends);
      }
    }
  }

  /**
   * Every wrap to this state's older transport keys came before the key now in force was
   * published (core checks each wrap against the key in force). Once the cursor is past that
   * publication, every such wrap has been unwrapped: the older private keys go.
   */
  private destroyRetired(cursor: number): void {
    const { ring, party, mirror } = this.options;
    const latest = mirror.state.transportKeys?.[party];
    if (!latest || cursor <= latest.index) return;
    const position = ring.keys.findIndex((key) => key.kid === latest.kid);
    if (position > 0) ring.destroy(ring.keys.slice(0, position).map((key) => key.kid));
  }

  /**
   * Publishes a transport key when this state has none in force, when the one in force is older
   * than the rotation period or is not one this gateway holds, or when an erasure waits for it.
   * A key not yet published is published before any other is made; one publication at a time.
   */
  async rotate(): Promise<void> {
    const { mirror, party, ring, now, store, submitter } = this.options;
    const state = mirror.state;
    if (!state.treaty?.parties.some((each) => each.id === party)) return;
    const latest = state.transportKeys?.[party];
    const position = latest ? ring.keys.findIndex((key) => key.kid === latest.kid) : -1;
    const waiting = ring.keys.slice(position + 1);
    const due = !latest || position < 0 || now() - latest.at >= (this.options.rotationSeconds ?? 7 * 86_400) || this.rotationWanted;
    if (waiting.length === 0 && !due) return;
    if ((await listPendingSubmissions(store.db)).some((submission) => submission.type === 'seal.publish' && submission.index >= mirror.size)) return;
    const key = waiting.at(-1) ?? (await ring.generate(party, now()));
    try {
      await submitter.submitWhenDue(now, { type: 'seal.publish', body: { kid: key.kid, key: String(key.privateJwk.x) } });
      this.rotationWanted = false;
    } catch (error) {
      // Refused (a key the log already has, say): that key is never published, so it goes.
      if (error instanceof ServiceError && error.code !== 'EXCHANGE_UNREACHABLE') ring.destroy([key.kid]);
      throw error;
    }
  }

  /**
   * Erases the case keys due now, read from the index on erase_after: checks with core's rule
   * that this state may erase now, waits until the transport key the case key was wrapped to
   * is destroyed, destroys the case key, forgets the plaintext, and enters request.erase.
   */
  async eraseDue(limit = 20): Promise<void> {
    const { store, party, mirror, ring, now, submitter } = this.options;
    const state = mirror.state;
    const treaty = state.treaty;
    if (!treaty) return;
    for (const row of await dueCaseKeys(store.db, now(), limit)) {
      const record = getRequest(state, row.request);
      if (!record) continue;
      if (record.erasedBy?.includes(party)) {
        await scheduleErasure(store.db, row.request, null);
        continue;
      }
      const refusal = eraseRefusal(treaty, record, party, now(), state);
      if (refusal) {
        // A longer period by amendment: wait for its end.
        if (refusal.error.code === 'RETENTION_RUNNING') await scheduleErasure(store.db, row.request, retentionEndsAt(treaty, record, state) ?? null);
        // The case is open again, or was never over (a preservation followed by a request for
        // its data ends with that request): off the due list, so that it does not hold up the
        // others; `schedule` puts it back once the case ends.
        else await scheduleErasure(store.db, row.request, null);
        continue;
      }
      if (row.sealedKey !== null) {
        // With the transport key still held, the wrap in any backup of the log would open again.
        if (ring.privateFor(row.wrapKid)) {
          // An older key goes as soon as the keeper has read past its successor; the key in force needs a successor first.
          if (state.transportKeys?.[party]?.kid === row.wrapKid) this.rotationWanted = true;
          continue;
        }
        // Counted before the key goes: a member being opened now would otherwise be cached after
        // the lines below forgot the case's plaintexts, and kept, since entries never change.
        this.erased += 1;
        await destroyCaseKey(store, row.request, row.filedIndex, now());
        this.madeKeys.delete(row.request);
        for (const item of record.history) this.options.opened.delete(item.index);
      }
      if (await this.erasing(row.request)) continue;
      await submitter.submitWhenDue(now, { type: 'request.erase', body: { request: row.request } });
    }
  }

  /** Whether this state's request.erase of `request` is accepted by the exchange and not yet in the mirror. */
  private async erasing(request: string): Promise<boolean> {
    for (const submission of await listPendingSubmissions(this.options.store.db)) {
      if (submission.type !== 'request.erase' || submission.index < this.options.mirror.size) continue;
      const entry = parseEntry(submission.bytes);
      if (entry.ok && (entry.value.body as { request?: unknown }).request === request) return true;
    }
    return false;
  }

  /** The case key of `request`: the key, "erased" once destroyed, "legacy" for a case filed before case keys, or undefined when none reached this state. */
  async keyFor(request: string): Promise<Uint8Array | 'erased' | 'legacy' | undefined> {
    let row = await findCaseKey(this.options.store.db, request);
    if (!row) {
      const made = this.madeKeyFor(request);
      if (made) return made;
      await this.catchUp();
      row = await findCaseKey(this.options.store.db, request);
    }
    if (row) return row.sealedKey === null ? 'erased' : await openAtRest(row.sealedKey, this.options.ring.localKey, request);
    const filing = getRequest(this.options.mirror.state, request)?.history[0];
    if (!filing) return undefined;
    const [stored] = await readEntries(this.options.store.db, filing.index, filing.index + 1);
    const entry = stored && parseEntry(stored.bytes);
    return entry && entry.ok && (entry.value.body as { caseKeys?: unknown }).caseKeys === undefined ? 'legacy' : undefined;
  }

  /**
   * Encrypts an entry's `sealed` member: a filing under a new case key, wrapped to every
   * recipient's transport key in force (`caseKeys`); a later act on a request under that
   * request's case key; anything else (trades), and a case filed before case keys, to the
   * recipients' long-term seal keys as before.
   */
  async sealEntry(type: EntryType, body: Record<string, unknown>, recipients: readonly string[]): Promise<Record<string, unknown>> {
    const request = typeof body.request === 'string' ? body.request : undefined;
    if (type === 'request.file' && request !== undefined) {
      // The parties of the request must be able to read it: wait for their transport keys. An
      // observer gets the case key only if it publishes one (a state party to the treaty); one
      // that cannot is left out rather than holding the filing up (docs/erasure.md).
      const parties = [this.options.party, typeof body.requested === 'string' ? body.requested : ''].filter(Boolean);
      const observers = [...new Set(recipients)].filter((kid) => !parties.includes(kid) && this.options.mirror.state.transportKeys?.[kid] !== undefined);
      const transport = await this.transportKeys([...new Set([...parties, ...observers])]);
      // The key reserved when a file was attached before the filing, so that the attachment opens under it.
      const key = (await this.reservedKey(request)) ?? this.madeKey(request);
      const caseKeys = await Promise.all(transport.map(async (each) => ({ to: each.party, kid: each.kid, wrapped: await wrapCaseKey(key, { kid: each.kid, x: each.key }) })));
      const sealed = body.sealed === undefined || isSealed(body.sealed) ? body.sealed : await sealUnderCaseKey(body.sealed, key, request);
      return { ...body, ...(sealed === undefined ? {} : { sealed }), caseKeys };
    }
    if (body.sealed === undefined || isSealed(body.sealed)) return body;
    if (!underCaseKey(type) || request === undefined) return sealBody(body, recipients, this.options.sealRecipients);
    const key = await this.keyFor(request);
    if (key === 'legacy') return sealBody(body, recipients, this.options.sealRecipients);
    if (key === 'erased') throw new ServiceError('CASE_ERASED', `request ${request}: ${this.options.party} erased this case's personal data, so no sealed member can be added to it`);
    if (key === undefined) throw new ServiceError('CASE_KEY_UNAVAILABLE', `request ${request}: this gateway holds no key for the case, so its sealed member cannot be encrypted; check the gateway's alarms and key file`);
    return { ...body, sealed: await sealUnderCaseKey(body.sealed, key, request) };
  }

  /**
   * A case key for a request this state has not filed yet: an attachment uploaded for it is
   * sealed under the key the filing will then wrap, so that erasing the case erases the
   * attachment too (docs/erasure.md). The same key however often it is asked for.
   */
  async reserve(request: string): Promise<Uint8Array> {
    const { store, ring } = this.options;
    const existing = await findCaseKey(store.db, request);
    // Filed a moment ago by this gateway and not yet read back from the log: the key that filing wraps.
    if (!existing) await reserveCaseKey(store.db, request, await sealAtRest(this.madeKeys.get(request) ?? generateCaseKey(), ring.localKey, request));
    const row = (await findCaseKey(store.db, request))!;
    if (row.sealedKey === null) throw new ServiceError('CASE_ERASED', `request ${request}: ${this.options.party} erased this case's personal data`);
    const key = await openAtRest(row.sealedKey, ring.localKey, request);
    if (!key) throw new ServiceError('CASE_KEY_UNAVAILABLE', `request ${request}: the case key at rest does not open under this gateway's local key; check its key file`);
    return key;
  }

  /**
   * A new case key for a filing, held in memory until the catch-up stores it from the log
   * (`madeKeys`). Two filings of one id take the same key, whichever the exchange accepts.
   */
  private madeKey(request: string): Uint8Array {
    const key = this.madeKeys.get(request) ?? generateCaseKey();
    this.madeKeys.set(request, key);
    return key;
  }

  /** The key this gateway made for its own filing of `request`, while the catch-up has not stored it. */
  private madeKeyFor(request: string): Uint8Array | undefined {
    const key = this.madeKeys.get(request);
    const record = getRequest(this.options.mirror.state, request);
    // Another state's case of that id: the filing this key went with was refused as a second of the id.
    return key && (record === undefined || record.view.requesting === this.options.party) ? key : undefined;
  }

  private async reservedKey(request: string): Promise<Uint8Array | undefined> {
    const row = await findCaseKey(this.options.store.db, request);
    if (!row || row.wrapKid !== RESERVED_WRAP || row.sealedKey === null) return undefined;
    return openAtRest(row.sealedKey, this.options.ring.localKey, request);
  }

  /** How many case keys this gateway has destroyed: unchanged over an `open`, its plaintext may be cached. */
  get erasures(): number {
    return this.erased;
  }

  /** This state's reading of a sealed member: the plaintext, ERASED once the case key is gone, or undefined when it cannot open it. */
  async open(value: unknown): Promise<unknown> {
    if (!isSealed(value)) return undefined;
    const request = caseOfSealed(value.jwe);
    if (request === undefined) return openSealed(value, this.options.party, this.options.sealKey);
    const key = await this.keyFor(request);
    if (key === 'erased') return ERASED;
    return key instanceof Uint8Array ? openUnderCaseKey(value.jwe, key) : undefined;
  }

  /**
   * Waits (bounded) until the mirror holds a newer transport key for a recipient than `wraps`
   * used: the exchange refused them as stale (core TRANSPORT_KEY_STALE), so a rotation is
   * sequenced that a witnessed checkpoint may not cover yet.
   */
  async newerTransportKey(wraps: readonly CaseKeyWrap[], waitMs = 15_000): Promise<void> {
    const { mirror } = this.options;
    const stale = () => wraps.every((wrap) => mirror.state.transportKeys?.[wrap.to]?.kid === wrap.kid);
    const deadline = Date.now() + waitMs;
    while (stale() && Date.now() < deadline) {
      await mirror.sync().catch(() => undefined);
      if (stale()) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Each recipient's transport key in force, waiting a little (bounded) for one just published to reach the mirror. */
  private async transportKeys(recipients: readonly string[], waitMs = 15_000): Promise<{ party: string; kid: string; key: string }[]> {
    const { mirror } = this.options;
    const missing = (state: State) => recipients.filter((party) => state.transportKeys?.[party] === undefined);
    const deadline = Date.now() + waitMs;
    while (missing(mirror.state).length > 0 && Date.now() < deadline) {
      await mirror.sync().catch(() => undefined);
      if (missing(mirror.state).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const absent = missing(mirror.state);
    if (absent.length > 0) throw new ServiceError('TRANSPORT_KEY_MISSING', `no transport key of ${absent.join(', ')} is in the log yet, so the case key cannot be wrapped to ${absent.length === 1 ? 'it' : 'them'}; its gateway publishes one when it starts under the treaty`);
    return recipients.map((party) => ({ party, kid: mirror.state.transportKeys![party]!.kid, key: mirror.state.transportKeys![party]!.key }));
  }
}
