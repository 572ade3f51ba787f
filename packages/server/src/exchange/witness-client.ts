import { formatAddCheckpointBody, type Hash, type PolicyWitness } from '@evenhand/log';
import { answerText, fetchWithin, type TimedAnswer } from '../transport/timed-fetch.ts';

export type CosignOutcome =
  | { readonly ok: true; readonly lines: string[] }
  | { readonly ok: false; readonly status: number | 'unreachable'; readonly detail: string; readonly witnessSize?: number };

/**
 * Asks one witness to cosign (C2SP tlog-witness `POST <url>/add-checkpoint`). A 409 carries
 * the witness's latest size, which the caller retries from; every failure is an outcome,
 * never an exception, so one unreachable witness cannot stop publication by the others.
 */
export async function requestCosignature(witness: PolicyWitness, oldSize: number, proof: readonly Hash[], note: string, timeoutMs: number): Promise<CosignOutcome> {
  if (!witness.url) return { ok: false, status: 'unreachable', detail: `witness ${witness.name} has no URL in the policy` };
  let answer: TimedAnswer;
  try {
    // The body within the same deadline: a witness that sends its headers and then stalls is as
    // unreachable as one that never answers, and its round ends like the others' (publisher.ts).
    answer = await fetchWithin(`${witness.url.replace(/\/$/, '')}/add-checkpoint`, { method: 'POST', body: formatAddCheckpointBody(oldSize, proof, note), headers: { 'content-type': 'text/plain; charset=utf-8' } }, timeoutMs);
  } catch (error) {
    return { ok: false, status: 'unreachable', detail: `${witness.name} at ${witness.url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = answerText(answer);
  if (answer.status === 200) return { ok: true, lines: text.split('\n').filter((line) => line.startsWith('\u2014 ')) };
  if (answer.status === 409) {
    const size = Number(text.trim());
    return Number.isSafeInteger(size) ? { ok: false, status: 409, detail: `${witness.name} is at size ${size}`, witnessSize: size } : { ok: false, status: 409, detail: `${witness.name}: 409 without a size` };
  }
  return { ok: false, status: answer.status, detail: `${witness.name}: ${answer.status} ${text.trim().slice(0, 200)}` };
}
