/** An answer read whole within its deadline: its status and its body's bytes. */
export interface TimedAnswer {
  readonly status: number;
  readonly bytes: Uint8Array;
}

/** The answer's body as UTF-8 text (a note, a JSON view, a witness's lines). */
export function answerText(answer: TimedAnswer): string {
  return new TextDecoder().decode(answer.bytes);
}

/** Why a call did not end within its deadline. */
export class CallTimedOut extends Error {
  constructor(timeoutMs: number) {
    super(`no whole answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * `fetch` with one deadline over the whole call, the body included, and nothing left behind
 * once it ends. `AbortSignal.timeout` gives neither at once: its deadline covers a body read
 * only while the caller reads it under the same signal, and its timer stays armed after the
 * answer is read, then fires, making an exception and an abort event per call (issue 14: in a
 * gateway under the sustained benchmark, making those exceptions alone took 0.6% of its main
 * thread). So a peer that sends its headers and
 * then stalls its body, as a hostile witness may, is a timeout here, like one that never
 * answers; a failure to connect rejects as `fetch` does.
 */
export async function fetchWithin(url: string, init: RequestInit, timeoutMs: number): Promise<TimedAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CallTimedOut(timeoutMs)), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
