import { GeneralEncrypt, generalDecrypt, importJWK, type GeneralJWE, type JWK } from 'jose';

/**
 * Sealed fields (DESIGN.md "Confidentiality"): the `sealed` member of an entry body holds
 * personal data, evidence and free text. The submitting gateway encrypts it as one JWE
 * (RFC 7516 general JSON serialization) with a recipient per party of the request and per
 * designated observer, using ECDH-ES+A256KW on X25519 (RFC 8037) and A256GCM. The exchange,
 * the witnesses and the public see only ciphertext; each recipient's gateway decrypts.
 */
export const SEAL_ALGORITHM = 'ECDH-ES+A256KW';
export const SEAL_ENCRYPTION = 'A256GCM';

/** A recipient: a key id (the party, e.g. "RU") and its X25519 public key as a JWK. */
export interface SealRecipient {
  readonly kid: string;
  readonly publicJwk: JWK;
}

export interface SealedMember {
  /** The general JSON JWE, serialised, so that the entry body stays plain JSON strings. */
  readonly jwe: string;
}

export function isSealed(value: unknown): value is SealedMember {
  return typeof value === 'object' && value !== null && typeof (value as { jwe?: unknown }).jwe === 'string';
}

export async function seal(plaintext: unknown, recipients: readonly SealRecipient[]): Promise<SealedMember> {
  if (recipients.length === 0) throw new Error('sealing needs at least one recipient');
  const encryptor = new GeneralEncrypt(new TextEncoder().encode(JSON.stringify(plaintext))).setProtectedHeader({ enc: SEAL_ENCRYPTION });
  for (const recipient of recipients) {
    const key = await importJWK({ ...recipient.publicJwk, alg: SEAL_ALGORITHM }, SEAL_ALGORITHM);
    encryptor.addRecipient(key).setUnprotectedHeader({ alg: SEAL_ALGORITHM, kid: recipient.kid });
  }
  return { jwe: JSON.stringify(await encryptor.encrypt()) };
}

export type UnsealResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: 'SEALED_MALFORMED' | 'SEALED_NOT_FOR_US'; readonly message: string };

/** Decrypts a sealed member with one recipient's private key; a key that is not a recipient gets SEALED_NOT_FOR_US. */
export async function unseal(member: SealedMember, kid: string, privateJwk: JWK): Promise<UnsealResult> {
  let jwe: GeneralJWE;
  try {
    jwe = JSON.parse(member.jwe) as GeneralJWE;
  } catch {
    return { ok: false, code: 'SEALED_MALFORMED', message: 'sealed.jwe is not a JSON-serialised JWE' };
  }
  if (!Array.isArray(jwe.recipients) || !jwe.recipients.some((recipient) => recipient.header?.kid === kid)) {
    return { ok: false, code: 'SEALED_NOT_FOR_US', message: `sealed.jwe has no recipient "${kid}"` };
  }
  try {
    const key = await importJWK({ ...privateJwk, alg: SEAL_ALGORITHM }, SEAL_ALGORITHM);
    const { plaintext } = await generalDecrypt({ ...jwe, recipients: jwe.recipients.filter((recipient) => recipient.header?.kid === kid) }, key);
    return { ok: true, value: JSON.parse(new TextDecoder().decode(plaintext)) };
  } catch (error) {
    return { ok: false, code: 'SEALED_MALFORMED', message: `sealed.jwe does not decrypt: ${error instanceof Error ? error.message : String(error)}` };
  }
}
