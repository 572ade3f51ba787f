import { createHash } from 'node:crypto';
import { ServiceError } from '../errors.ts';
import { signBlob } from '../signing/blob-signature.ts';
import { answerText } from '../transport/timed-fetch.ts';
import { ExchangeUnreachable, type ExchangeClient } from './exchange-client.ts';

/** How long the exchange has to take or give a whole evidence file (up to MAX_BLOB_BYTES). */
const BLOB_TIMEOUT_MS = 30_000;

/** What `sealedBlob` gives when the exchange serves bytes that do not hash to the reference's name. */
export const ALTERED = Symbol('altered');

/** The exchange out of reach, in the words of the evidence route that called it. */
function unreachable(what: string) {
  return (error: unknown): never => {
    throw new ServiceError('EXCHANGE_UNREACHABLE', `${what}: ${error instanceof ExchangeUnreachable ? error.reason : String(error)}`);
  };
}

/**
 * Stores a sealed evidence file at the exchange under the SHA-256 (hex) of its bytes, signed by
 * this state's entry key (PUT /v1/blobs/<hash>); gives the hash. Any failure to store it, a
 * stalled answer included (transport/timed-fetch.ts), is EXCHANGE_UNREACHABLE.
 */
export async function putSealedBlob(exchange: ExchangeClient, party: string, entrySeed: Uint8Array, sealed: Uint8Array, timeoutMs = BLOB_TIMEOUT_MS): Promise<string> {
  const hash = createHash('sha256').update(sealed).digest('hex');
  const headers = { 'content-type': 'application/jose+json', 'x-evenhand-author': party, 'x-evenhand-signature': signBlob(entrySeed, hash) };
  const answer = await exchange.putBlob(hash, sealed, headers, timeoutMs).catch(unreachable('the exchange did not take the evidence'));
  if (answer.status !== 201) throw new ServiceError('EXCHANGE_UNREACHABLE', `the exchange refused the evidence: ${answer.status} ${answerText(answer).slice(0, 200)}`);
  return hash;
}

/**
 * A sealed file at the exchange, by the SHA-256 (hex) its reference names: its text, undefined
 * when the exchange has none (404), or ALTERED when the bytes it serves do not hash to the name
 * (the exchange is not trusted with integrity either). Throws EXCHANGE_UNREACHABLE when it does
 * not give a whole answer in time, or answers with another status: an error page is not the file.
 */
export async function sealedBlob(exchange: ExchangeClient, ref: string, hash: string, timeoutMs = BLOB_TIMEOUT_MS): Promise<string | undefined | typeof ALTERED> {
  const answer = await exchange.blob(hash, timeoutMs).catch(unreachable(`the exchange did not answer for the evidence file ${ref}`));
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new ServiceError('EXCHANGE_UNREACHABLE', `the exchange answered ${answer.status} for the evidence file ${ref}`);
  return createHash('sha256').update(answer.bytes).digest('hex') === hash ? answerText(answer) : ALTERED;
}
