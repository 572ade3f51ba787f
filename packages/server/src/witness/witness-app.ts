import Fastify, { type FastifyError, type FastifyInstance, type FastifySchema } from 'fastify';
import { z } from 'zod';
import { addCheckpoint, addSignatureLines, bytesEqual, parseAddCheckpointBody, parseCheckpoint, parseNote, type NoteSigner, type NoteVerifier, type WitnessRecord } from '@evenhand/log';
import { readCheckpoint, swapCheckpoint, type Store } from '@evenhand/store';
import { clientErrorAnswerer, failureAnswer, installInputCheck, PROTOTYPE_NAMES_LEFT_TO_INPUT_CHECK, transportOptions, type ServiceTransport } from '../error-handler.ts';
import { ServiceError } from '../errors.ts';
import { registerMetrics } from '../transport/metrics.ts';
import { registerApiContract } from '../contract/docs.ts';
import { route, textAnswer } from '../contract/common.ts';
import { addCheckpointContract, cosignedCheckpointContract } from '../contract/witness.ts';

/** A checkpoint offered to a witness: the log-signed note, and when it arrived (before any queue). */
export interface CheckpointOffer {
  readonly note: string;
  readonly arrivedAt: number;
}

export interface WitnessOptions {
  readonly store: Store;
  /** The witness's cosigning key (cosignature/v1, type 0x04). */
  readonly cosigner: NoteSigner;
  /** Trusted log keys per origin. */
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  readonly now: () => number;
  /**
   * An extra condition before cosigning, beyond tlog-witness: a state's gateway uses it to
   * cosign only what agrees with its own mirror of the log (DESIGN.md "Gateway").
   */
  readonly agrees?: (origin: string, size: number, root: Uint8Array, offer: CheckpointOffer) => Promise<string | undefined>;
  /** Logging and HTTPS, from the witness's config (issue 16). */
  readonly transport?: ServiceTransport;
}

/**
 * The C2SP tlog-witness service: `POST /add-checkpoint`. The pure `addCheckpoint` decides;
 * this shell loads the witness's latest checkpoint for the origin and stores the new one by
 * compare-and-swap before answering, one request per origin at a time, so the witness can
 * never roll back nor cosign two inconsistent checkpoints, even across crashes.
 */
export function buildWitnessApp(options: WitnessOptions): FastifyInstance {
  const app = Fastify({
    ...transportOptions(options.transport ?? {}),
    bodyLimit: 64 * 1024,
    // tlog-witness answers in text: so does a request that reached no route.
    clientErrorHandler: clientErrorAnswerer(options.transport ?? {}, (body) => ({ contentType: 'text/plain', text: `${body.message}\n` })),
    ...PROTOTYPE_NAMES_LEFT_TO_INPUT_CHECK,
  }) as unknown as FastifyInstance;
  installInputCheck(app);
  registerMetrics(app, `witness-${options.cosigner.name}`);
  // The routes go in a plugin registered after the contract, so that /docs lists them, while the
  // app stays synchronous to build: a gateway builds its own witness this way and injects into it.
  void app.register(async (scope) => {
    await registerApiContract(scope, { title: `Evenhand witness (${options.cosigner.name})`, description: 'A C2SP tlog-witness: it cosigns checkpoints of the logs it knows only when they are consistent with the last one it cosigned, and shows the latest it cosigned.' });
    registerWitnessRoutes(scope, options);
  });
  return app;
}

/** The witness's routes and its add-checkpoint handling, on the scope that carries its contract. */
function registerWitnessRoutes(app: FastifyInstance, options: WitnessOptions): void {
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // tlog-witness answers in text, failures included: so does a query this witness cannot read.
  // Anything else is a 500 whose details stay in the log: the store's own message (a PostgreSQL
  // error, say) is no answer for a client.
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => {
    const text = (status: number, message: string) => reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(`${message}\n`);
    // A query it cannot read, in the validator's own words, as this witness always answered it.
    if (!(error instanceof ServiceError) && error.validation) return text(400, error.message);
    const { status, body } = failureAnswer(error, request, app);
    return text(status, body.message);
  });
  const queues = new Map<string, Promise<unknown>>();

  app.post('/add-checkpoint', { schema: addCheckpointContract('Cosign a checkpoint (C2SP tlog-witness add-checkpoint)') }, async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const origin = originOf(body);
    const previous = queues.get(origin) ?? Promise.resolve();
    const arrivedAt = options.now();
    const turn = previous.then(() => handle(body, origin, arrivedAt));
    queues.set(origin, turn.catch(() => undefined));
    const answer = await turn;
    return reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  });

  app.get('/', { schema: route({ tags: ['witness'], summary: 'This witness: its name and the origins of the logs it witnesses', failures: 'as-listed', response: { 200: witnessAnswer } }) }, async (): Promise<z.output<typeof witnessAnswer>> => ({
    witness: options.cosigner.name,
    origins: [...options.logs.keys()],
  }));

  // The latest checkpoint this witness cosigned, with its cosignature (issue 12, "split views
  // across parties"): anyone can compare it with what the exchange shows them, so a log that
  // shows one party one history and another party another is caught by both.
  const cosigned = cosignedCheckpointContract('The latest checkpoint this witness cosigned, with its cosignature: public, for every party to compare with what the exchange shows them');
  const cosignedSchema: FastifySchema = { ...cosigned, querystring: originQuery, response: { ...cosigned.response, 400: textAnswer('the query names no single origin') } };
  app.get('/checkpoint/cosigned', { schema: cosignedSchema }, async (request, reply) => {
    const origin = (request.query as z.output<typeof originQuery>).origin ?? (options.logs.size === 1 ? [...options.logs.keys()][0]! : '');
    const stored = origin ? await readCheckpoint(options.store.db, 'witness_state', origin) : undefined;
    if (!stored) return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send(`this witness has cosigned no checkpoint of ${origin || '(give ?origin=)'}\n`);
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(stored.note);
  });

  async function handle(body: string, origin: string, arrivedAt: number) {
    const stored = origin ? await readCheckpoint(options.store.db, 'witness_state', origin) : undefined;
    // A witness never dates a cosignature before one it gave: a clock set back would let an
    // old tree pass as freshly witnessed.
    if (stored && options.now() < stored.updatedAt) {
      return { status: 422 as const, contentType: 'text/plain; charset=utf-8', body: `this witness's clock (${options.now()}) is behind its last cosignature (${stored.updatedAt}); it will not cosign until its clock is right\n` };
    }
    const latest = new Map<string, WitnessRecord>();
    if (stored) latest.set(origin, { size: stored.size, root: stored.root });
    const response = addCheckpoint({ cosigner: options.cosigner, logs: options.logs, latest }, { body, time: options.now() });
    if (response.status !== 200) return withMirrorVerdict(response, body, stored, arrivedAt);
    const record = response.state.latest.get(origin);
    if (!record) return { ...response, status: 500, body: 'the witness lost track of the origin\n' };
    const note = parseAddCheckpointBody(body);
    if (options.agrees) {
      const disagreement = await options.agrees(origin, record.size, record.root, { note: note.ok ? note.value.note : '', arrivedAt });
      // Not in tlog-witness's codes: the witness refuses to vouch, as with a bad proof.
      if (disagreement) return { ...response, status: 422, body: `${disagreement}\n` };
    }
    // Kept with this witness's own cosignature: what it publishes as the latest it vouched for.
    const saved = await swapCheckpoint(options.store.db, 'witness_state', stored && { size: stored.size, root: stored.root }, {
      origin,
      size: record.size,
      root: record.root,
      note: note.ok ? addSignatureLines(note.value.note, [response.body]) : '',
      updatedAt: options.now(),
    });
    if (!saved) {
      const now = await readCheckpoint(options.store.db, 'witness_state', origin);
      return { ...response, status: 409, contentType: 'text/x.tlog.size', body: `${now?.size ?? 0}\n` };
    }
    return response;
  }

  /**
   * A log-signed checkpoint refused for its proof (422), or of a size already cosigned with
   * another root (409): the log may have signed two histories. The mirror reads the claimed
   * tree from the tiles, raises SPLIT_VIEW with both notes if it contradicts what it verified,
   * and its words join the refusal. A 409 for a stale size is the protocol's retry, not this.
   */
  async function withMirrorVerdict<T extends { status: number; body: string }>(response: T, body: string, stored: { size: number; root: Uint8Array } | undefined, arrivedAt: number): Promise<T> {
    if (!options.agrees || (response.status !== 422 && response.status !== 409)) return response;
    const parsed = parseAddCheckpointBody(body);
    const note = parsed.ok ? parseNote(parsed.value.note) : undefined;
    const checkpoint = note?.ok ? parseCheckpoint(note.value.text) : undefined;
    if (!checkpoint?.ok || !options.logs.has(checkpoint.value.origin)) return response;
    const { origin, size, root } = checkpoint.value;
    if (response.status === 409 && !(stored && stored.size === size && !bytesEqual(stored.root, root))) return response;
    // Only a note the log signed reached a 422 or 409 here (addCheckpoint checks that first).
    const disagreement = await options.agrees(origin, size, root, { note: parsed.ok ? parsed.value.note : '', arrivedAt });
    return disagreement ? { ...response, body: `${response.body.trimEnd()}; ${disagreement}\n` } : response;
  }
}

const witnessAnswer = z.strictObject({ witness: z.string().describe("the witness's name, as in its cosignatures"), origins: z.array(z.string()).describe('the origins of the logs it witnesses') });

/** Unknown parameters are dropped: only `origin` is read. */
const originQuery = z.object({ origin: z.string().optional().describe('the log origin; may be left out when the witness witnesses one log') });

/** The origin line of the checkpoint in an add-checkpoint body, or '' when unreadable. */
function originOf(body: string): string {
  const parsed = parseAddCheckpointBody(body);
  if (!parsed.ok) return '';
  const note = parseNote(parsed.value.note);
  if (!note.ok) return '';
  const checkpoint = parseCheckpoint(note.value.text);
  return checkpoint.ok ? checkpoint.value.origin : '';
}
