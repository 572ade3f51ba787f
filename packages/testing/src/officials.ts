import { approvalMessage, type AnyDomainEntry, type EntryType } from '@evenhand/core';
import { ed25519PublicKey, ed25519Sign } from '@evenhand/crypto';
import { testSeed } from './scenario-fixture.ts';

/** A test official (issue 13): a pseudonymous id and a key derived from it, never a real one. */
export interface TestOfficial {
  readonly id: string;
  readonly seed: Uint8Array;
  /** Base64 public key, as official.register carries it. */
  readonly key: string;
}

export function testOfficial(id: string): TestOfficial {
  const seed = testSeed(`official:${id}`);
  return { id, seed, key: Buffer.from(ed25519PublicKey(seed)).toString('base64') };
}

/** The founding registration of `officials` for `author`, signed by the state's key alone. */
export function foundingRegistration(author: string, time: number, officials: readonly TestOfficial[]): AnyDomainEntry {
  return { author, time, type: 'official.register', body: { officials: officials.map(({ id, key }) => ({ id, key })) } } as AnyDomainEntry;
}

/**
 * An act of `author` with two approvers' signatures. `signers` give the names and the keys
 * used; a test forges an approval by pairing a registered name with another key.
 */
export function approvedEntry(treatyId: string, author: string, time: number, type: EntryType, body: Record<string, unknown>, signers: readonly { id: string; seed: Uint8Array }[]): AnyDomainEntry {
  const message = approvalMessage(treatyId, author, type, body);
  const approvals = signers.map((signer) => Buffer.from(ed25519Sign(signer.seed, message)).toString('base64'));
  return { author, time, type, body: { ...body, approvers: signers.map((signer) => signer.id), approvals } } as unknown as AnyDomainEntry;
}
