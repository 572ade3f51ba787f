import type { JWK } from 'jose';
import { SEALED_MEMBERS, type EntryType } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import { isSealed, seal, unseal, type SealRecipient } from '../sealing/seal.ts';

/**
 * Moves top-level sealed members into `sealed`; the plaintext body the schema checks. A
 * `sealed` that already looks encrypted (`{jwe}`) is refused: the gateway cannot tell a JWE
 * from plaintext put in that member, and sealBody would pass it to the exchange unencrypted.
 */
export function gatherSealed(type: EntryType, body: Record<string, unknown>): Record<string, unknown> {
  if (isSealed(body.sealed)) throw new ServiceError('BAD_REQUEST', 'body.sealed: send the sealed members in plaintext; this gateway encrypts them to the parties itself, and does not accept a "jwe" from the client', 'body.sealed');
  // The members the core names for this type (core request/sealed-members.ts) may also come at the top level.
  const keys = SEALED_MEMBERS[type] ?? [];
  const out: Record<string, unknown> = {};
  const sealed: Record<string, unknown> = typeof body.sealed === 'object' && body.sealed !== null && !Array.isArray(body.sealed) ? { ...(body.sealed as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'sealed') continue;
    if (keys.includes(key)) sealed[key] = value;
    else out[key] = value;
  }
  if (body.sealed !== undefined && (typeof body.sealed !== 'object' || body.sealed === null || Array.isArray(body.sealed))) out.sealed = body.sealed;
  else if (Object.keys(sealed).length > 0) out.sealed = sealed;
  return out;
}

/** Encrypts `sealed` to every recipient; a recipient without a known seal key is an error, never a silent omission. */
export async function sealBody(body: Record<string, unknown>, recipients: readonly string[], keys: ReadonlyMap<string, JWK>): Promise<Record<string, unknown>> {
  if (body.sealed === undefined || isSealed(body.sealed)) return body;
  const resolved: SealRecipient[] = [];
  for (const kid of new Set(recipients)) {
    const publicJwk = keys.get(kid);
    if (!publicJwk) throw new ServiceError('BAD_REQUEST', `body.sealed: no seal key is configured for ${kid}, so its copy could not be encrypted`, 'body.sealed');
    resolved.push({ kid, publicJwk });
  }
  return { ...body, sealed: await seal(body.sealed, resolved) };
}

/** This state's reading of a sealed member: the plaintext, or undefined when it is not a recipient. */
export async function openSealed(value: unknown, kid: string, privateJwk: JWK): Promise<unknown> {
  if (!isSealed(value)) return undefined;
  const opened = await unseal(value, kid, privateJwk);
  return opened.ok ? opened.value : undefined;
}
