import { answerText, fetchWithin, type TimedAnswer } from '../transport/timed-fetch.ts';

/**
 * The gateway's HTTP client for the exchange: tiles, the checkpoint, statistics and entry
 * submission. Every call has a timeout, so a hung exchange shows as EXCHANGE_UNREACHABLE
 * instead of freezing the mirror or an official's request.
 */
export class ExchangeUnreachable extends Error {
  constructor(
    message: string,
    /** What failed, without the address and path (a caller that names the call in its own words). */
    readonly reason = message,
  ) {
    super(message);
    this.name = 'ExchangeUnreachable';
  }
}

export class ExchangeClient {
  constructor(
    readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** One call, its answer read whole within the timeout (transport/timed-fetch.ts); any failure to get it is ExchangeUnreachable. */
  private async call(path: string, init: RequestInit = {}, timeoutMs = this.timeoutMs): Promise<TimedAnswer> {
    try {
      return await fetchWithin(`${this.url}${path}`, init, timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ExchangeUnreachable(`the exchange at ${this.url} did not answer ${path}: ${reason}`, reason);
    }
  }

  /** The latest published checkpoint note, or undefined before the first publication (404). */
  async checkpoint(): Promise<string | undefined> {
    const answer = await this.call('/checkpoint');
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new ExchangeUnreachable(`the exchange answered /checkpoint with ${answer.status}`);
    return answerText(answer);
  }

  /**
   * Waits, at most `waitMs`, until the exchange has published a witnessed checkpoint that
   * covers entry `index` (its long poll, GET /v1/checkpoint?covering=). Whether it says so is
   * only a hint to sync now: the mirror still verifies whatever checkpoint it fetches.
   * `signal` abandons the wait (a gateway stopping its round loop).
   */
  async checkpointCovering(index: number, waitMs: number, signal?: AbortSignal): Promise<void> {
    const wait = Math.max(0, Math.floor(waitMs));
    // A second beyond the wait for the answer to travel: an exchange that holds it longer is not honouring the wait.
    await this.call(`/v1/checkpoint?covering=${index}&wait=${wait}`, signal ? { signal } : {}, wait + 1000);
  }

  /** A tile or entry bundle; undefined when the exchange does not have it. */
  async tile(path: string): Promise<Uint8Array | undefined> {
    const answer = await this.call(`/${path}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new ExchangeUnreachable(`the exchange answered /${path} with ${answer.status}`);
    return answer.bytes;
  }

  /** A public view (JSON); undefined when the exchange does not serve it. */
  /** A public view as served, or why it was not: a status other than 200, or a body that is not JSON. */
  async view(path: string): Promise<{ served: true; body: unknown } | { served: false; why: string }> {
    const answer = await this.call(path);
    if (answer.status !== 200) return { served: false, why: `answered ${answer.status}` };
    try {
      return { served: true, body: JSON.parse(answerText(answer)) as unknown };
    } catch {
      return { served: false, why: 'answered 200 with a body that is not JSON' };
    }
  }

  /** A stored evidence file (GET /v1/blobs/<hash>) as answered, whatever the status; `timeoutMs` to read it whole (evidence-blobs.ts). */
  async blob(hash: string, timeoutMs: number): Promise<TimedAnswer> {
    return this.call(`/v1/blobs/${hash}`, {}, timeoutMs);
  }

  /** Stores an evidence file (PUT /v1/blobs/<hash>) with its author's headers; the answer whatever the status (evidence-blobs.ts). */
  async putBlob(hash: string, bytes: Uint8Array, headers: Record<string, string>, timeoutMs: number): Promise<TimedAnswer> {
    return this.call(`/v1/blobs/${hash}`, { method: 'PUT', body: bytes, headers }, timeoutMs);
  }

  /** Posts canonical entry bytes; the answer's status and JSON body as the exchange gave them. */
  async submit(bytes: Uint8Array): Promise<{ status: number; body: Record<string, unknown> }> {
    const answer = await this.call('/v1/entries', { method: 'POST', body: bytes, headers: { 'content-type': 'application/json' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answerText(answer)) as Record<string, unknown>;
    } catch {
      body = { code: 'INTERNAL', message: `the exchange answered ${answer.status} without JSON` };
    }
    return { status: answer.status, body };
  }
}
