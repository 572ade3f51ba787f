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
 * `fetch` with one deadline over the whole call, the body included, read here so that a
 * failure anywhere in the call is one rejection, and with nothing left behind once it ends.
 * Under `AbortSignal.timeout` a stalled body is aborted too, but the rejection comes from the
 * body read, which callers made outside their try around `fetch`: a witness that sent its
 * headers and then stalled threw out of requestCosignature and failed the whole signing round.
 * And that signal's timer stays armed after the answer is read, then fires, making an
 * exception and an abort event per call (issue 14: in a gateway under the sustained benchmark,
 * making those exceptions alone took 0.6% of its main thread). A peer that stalls its body is
 * a timeout here, like one that never answers; a failure to connect rejects as `fetch` does.
 * The timer, like that signal's, does not keep the process alive. A signal in `init` ends the
 * call early too (a stopping gateway abandons its long poll), with that signal's reason.
 */
export async function fetchWithin(url: string, init: RequestInit, timeoutMs: number): Promise<TimedAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CallTimedOut(timeoutMs)), timeoutMs);
  timer.unref();
  const outer = init.signal ?? undefined;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}
