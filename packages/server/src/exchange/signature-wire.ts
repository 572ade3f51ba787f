/**
 * What the sequencer's thread (signature-thread.ts) and its worker (signature-worker.ts) send
 * each other: jobs one way, verdicts and signatures back. Apart from the worker, so that the
 * thread can use the format without loading the worker's code.
 *
 * Verification jobs travel packed in one buffer per message, moved to the worker rather than
 * cloned: each job as its own arrays cost the sequencer about 9 µs an entry in copies, the
 * clone and the transfer list (issue 14, profiled on the growth log at 10^5 entries), on the
 * event loop whose time bounds the appends.
 */
export type SignatureJobs = { readonly verify: ArrayBuffer } | { readonly sign: [ticket: number, seed: Uint8Array, message: Uint8Array][] };

/** Verdicts as flat [ticket, VERDICT code, …] lists; signatures as [ticket, signature] pairs. */
export type SignatureAnswers = { readonly verified: number[] } | { readonly signed: [ticket: number, signature: Uint8Array][] };

export const VERDICT = {
  invalid: 0,
  valid: 1,
  /** Not verified: the sequencer took the ticket before the worker came to it, and verified the signature itself. */
  passedOver: 2,
} as const;

/** A signature to verify: `message` in parts, as the entry's bytes give it. */
export interface VerifyJob {
  readonly ticket: number;
  readonly key: Uint8Array;
  readonly message: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

/** Each job's header: the ticket (a float64, so any ticket fits), then the key's, signature's and message's lengths (uint32 each), then 4 bytes to align the next. */
const HEADER_BYTES = 24;

const partsLength = (parts: readonly Uint8Array[]) => parts.reduce((sum, part) => sum + part.length, 0);

/** The jobs in one buffer: for each, its header, key, signature and message. */
export function packVerifyJobs(jobs: readonly VerifyJob[]): ArrayBuffer {
  let total = 0;
  for (const job of jobs) total += HEADER_BYTES + job.key.length + job.signature.length + partsLength(job.message);
  const buffer = new ArrayBuffer(total);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let at = 0;
  const copy = (part: Uint8Array) => {
    bytes.set(part, at);
    at += part.length;
  };
  for (const job of jobs) {
    const header = at;
    at += HEADER_BYTES;
    copy(job.key);
    copy(job.signature);
    const messageStart = at;
    job.message.forEach(copy);
    // The lengths as copied: the message's is known once its parts are in.
    view.setFloat64(header, job.ticket, true);
    view.setUint32(header + 8, job.key.length, true);
    view.setUint32(header + 12, job.signature.length, true);
    view.setUint32(header + 16, at - messageStart, true);
  }
  return buffer;
}

/** The jobs of a packed buffer, in order, each part a view into it (no copy). */
export function* unpackVerifyJobs(buffer: ArrayBuffer): Generator<{ readonly ticket: number; readonly key: Uint8Array; readonly message: Uint8Array; readonly signature: Uint8Array }> {
  const view = new DataView(buffer);
  let at = 0;
  while (at < buffer.byteLength) {
    const ticket = view.getFloat64(at, true);
    const keyLength = view.getUint32(at + 8, true);
    const signatureLength = view.getUint32(at + 12, true);
    const messageLength = view.getUint32(at + 16, true);
    at += HEADER_BYTES;
    const key = new Uint8Array(buffer, at, keyLength);
    const signature = new Uint8Array(buffer, at + keyLength, signatureLength);
    const message = new Uint8Array(buffer, at + keyLength + signatureLength, messageLength);
    at += keyLength + signatureLength + messageLength;
    yield { ticket, key, message, signature };
  }
}
