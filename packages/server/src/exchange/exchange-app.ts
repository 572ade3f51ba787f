import type { FastifyInstance, FastifyReply } from 'fastify';
import { ARCHIVE_PAGE_WIDTH, encodeArchivePage, encodeBundle, formatTlogProof, signReceipt, signReceiptWith, tileWidth, toBase64, toHex, TILE_HEIGHT, TILE_WIDTH, type NoteSigner, type Receipt } from '@evenhand/log';
import { listArchivedCheckpoints, readEntries, type Store } from '@evenhand/store';
import { z } from 'zod';
import { createServiceApp, type ServiceTransport } from '../error-handler.ts';
import { registerApiContract } from '../contract/docs.ts';
import type { Answer } from '../contract/documents.ts';
import { bytesAnswer, route, textAnswer } from '../contract/common.ts';
import { acceptedAnswer, acceptedUnwitnessedAnswer, batchAnswer, batchBody, checkpointQuery, consistencyAnswer, consistencyQuery, healthAnswer, inclusionAnswer, inclusionQuery, MAX_BATCH_ENTRIES, MAX_CHECKPOINT_POLLS, MAX_CHECKPOINT_WAIT_MS, submitQuery, wildcardParams } from '../contract/log.ts';
import { registerMetrics } from '../transport/metrics.ts';
import { ServiceError, statusOf } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';
import { parseTileIndex, parseTilePath } from './tile-path.ts';
import { registerViewRoutes } from './view-routes.ts';
import { registerIncidentRoutes } from './incident-routes.ts';
import { registerProofRoutes } from './proof-routes.ts';
import { registerBlobRoutes } from './blob-routes.ts';
import { registerClearingRoutes } from './clearing-routes.ts';
import { ExchangeAuthor } from './exchange-author.ts';
import { scheduleTradeExpiry } from './trade-expiry.ts';
import { CASE_PROOFS_PAGE, registerStaticPage, registerStaticSite } from '../static-site.ts';

export interface ExchangeOptions {
  /** Logging and HTTPS, from the exchange's config (issue 16). */
  readonly transport?: ServiceTransport;
  readonly store: Store;
  readonly sequencer: Sequencer;
  readonly publisher: CheckpointPublisher;
  readonly origin: string;
  /** The witness policy in force at the head (tlog-policy text). */
  readonly policyText: () => string;
  readonly now: () => number;
  /** Entry-signing public keys by author (the treaty's), also for evidence uploads. */
  readonly authorKeys: (author: string) => Uint8Array | undefined;
  /** Longest wait for `?wait=1`: Rekor v2 tells clients to allow 20 s. */
  readonly maxWaitMs?: number;
  /** The log key's seed, to sign the trades a clearing round proposes as author "exchange". */
  readonly exchangeSeed?: Uint8Array;
  /** The log key, which signs each accepted entry's receipt (log receipt.ts). */
  readonly receiptSigner?: NoteSigner;
  /** Seconds within which a checkpoint will cover an accepted entry: the receipt's promise (60 by default). */
  readonly maxMergeDelaySeconds?: number;
  /** The operator's bearer token for `POST /v1/clearing/run`; without one the route is off. */
  readonly operatorToken?: string | undefined;
  readonly clearingTickMs?: number;
  /** How often the exchange looks for trades past their deadline to call off (tests shorten it). */
  readonly tradeExpiryTickMs?: number;
}

/** C2SP tlog-tiles: everything but the checkpoint is immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The exchange (DESIGN.md "Topology"): it sequences signed entries, publishes witnessed
 * checkpoints, and serves the log as C2SP tiles, proofs, and derived public views. It is
 * built without listening, so tests use inject() or listen on a free loopback port.
 */
export async function buildExchangeApp(options: ExchangeOptions): Promise<FastifyInstance> {
  const { sequencer, publisher, store } = options;
  const app = createServiceApp(70 * 1024, options.transport);
  registerMetrics(app, 'exchange', [
    { name: 'evenhand_log_entries', help: 'Entries sequenced into the log', read: () => sequencer.size },
    { name: 'evenhand_checkpoint_size', help: 'Size of the latest witnessed checkpoint published', read: () => publisher.latest?.size ?? 0 },
    { name: 'evenhand_checkpoint_age_seconds', help: 'Seconds since the latest witnessed checkpoint was published, by the exchange\'s clock', read: () => (publisher.latest ? options.now() - publisher.latest.updatedAt : 0) },
    { name: 'evenhand_witness_lag_entries', help: 'Entries of the log beyond the size each witness last cosigned', label: 'witness', read: () => new Map([...publisher.witnessSizesNow].map(([name, size]) => [name, sequencer.size - size])) },
  ]);
  await registerApiContract(app, { title: 'Evenhand exchange', description: 'Sequences signed entries into the transparency log and serves it (C2SP tlog-tiles, tlog-proof), with public views derived from it.' });

  await app.register(async (entries) => {
    // The exact bytes matter (RFC 8785 canonical form is checked), so the body stays raw.
    entries.addContentTypeParser(['application/json', 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    entries.post(
      '/v1/entries',
      {
        // No body schema: the route reads the raw bytes, which the sequencer parses and checks.
        schema: route({
          tags: ['log'],
          summary: 'Submit a signed entry',
          description:
            'The body is the entry as RFC 8785 canonical JSON, signed by its author. With ?wait=1 the answer waits until a witnessed checkpoint covers the entry and carries a c2sp.org/tlog-proof@v1.\n\n' +
            'Send it as `application/json` or `application/octet-stream`: its exact bytes are what the signature covers, so they are read as they are, never re-encoded. ' +
            'The entry is `{v, log, author, seq, prev, seen: {size, root}, time, type, body, sig}`, at most 64 KiB (DESIGN.md "The log"); a refusal names the log or core code and the field (`body.x` for the entry\'s body).',
          querystring: submitQuery,
          response: { 201: acceptedAnswer, 202: acceptedUnwitnessedAnswer },
        }),
      },
      async (request, reply) => {
        const bytes = request.body instanceof Buffer ? new Uint8Array(request.body) : new Uint8Array();
        const result = await sequencer.submit(bytes);
        if (!result.ok) return reply.status(statusOf(result.error.code)).send(refusal(result.error));
        const { index } = result.value;
        const accepted = await acceptedEntry(result.value);
        publisher.nudge();
        if ((request.query as z.output<typeof submitQuery>).wait !== '1') return reply.status(201).send(accepted satisfies Answer<typeof acceptedAnswer>);
        const checkpoint = await publisher.waitFor(index, options.maxWaitMs ?? 20_000);
        if (!checkpoint) return reply.status(202).send({ ...accepted, message: 'accepted and stored; no witnessed checkpoint covers it yet, fetch the proof later from /v1/proof/inclusion' } satisfies Answer<typeof acceptedUnwitnessedAnswer>);
        const proof = sequencer.verifier.tree.inclusionProof(index, checkpoint.size);
        if (!proof.ok) throw new ServiceError('INTERNAL', proof.error.message);
        return reply.status(201).send({ ...accepted, size: checkpoint.size, tlogProof: formatTlogProof({ index, proof: proof.value, note: checkpoint.note }) } satisfies Answer<typeof acceptedAnswer>);
      },
    );
  });

  /** Batches parsed and sequenced at once (one per author at a time is plenty); more wait (503), so that their bodies, up to ~12 MB each, cannot exhaust memory. */
  const MAX_BATCHES_IN_FLIGHT = 16;
  let batchesInFlight = 0;
  /** Each counted batch's place: given back once, by the handler when it is done, or when the connection closes before the handler began. */
  const places = new WeakMap<object, { release(): void; sequencing: boolean }>();
  // A batch (issue 14, "appends near the signature limit"): a queue of entries in one request,
  // sequenced together, so that one commit and one round trip serve many. Its bodies are JSON
  // around base64, so the exact bytes of each entry survive the parsing.
  app.post(
    '/v1/entries/batch',
    {
      bodyLimit: MAX_BATCH_ENTRIES * 92_000,
      // Counted before the body is read, so that waiting batches hold no memory. The place is
      // given back when the handler is done with the batch, or, for a client that went away
      // before its body was read, when its connection closes: `onResponse` never runs for an
      // aborted request, and sixteen clients that sent part of a body and hung up took every
      // place for good. A batch being sequenced keeps its place until it is done, whoever hangs up.
      onRequest: async (request, reply) => {
        if (batchesInFlight >= MAX_BATCHES_IN_FLIGHT) return reply.status(503).header('retry-after', '1').send({ code: 'RATE_LIMITED', message: `the exchange is sequencing ${MAX_BATCHES_IN_FLIGHT} batches already; send this one again in a second` });
        batchesInFlight += 1;
        let held = true;
        const place = {
          sequencing: false,
          release() {
            if (held) batchesInFlight -= 1;
            held = false;
          },
        };
        places.set(request, place);
        reply.raw.once('close', () => {
          if (!place.sequencing) place.release();
        });
      },
      schema: route({
        tags: ['log'],
        summary: 'Submit signed entries in one request, each checked and sequenced as if submitted alone, in the order sent',
        body: batchBody,
        response: { 200: batchAnswer },
      }),
    },
    async (request) => {
      const place = places.get(request);
      if (place) place.sequencing = true;
      try {
        const { entries } = request.body as z.output<typeof batchBody>;
        // Submitted in order before any is awaited: they join the sequencer's queue together.
        // Settled one by one: a storage failure in a later group commit must not hide the
        // indexes of the entries an earlier one stored.
        const results = await Promise.allSettled(entries.map((encoded) => sequencer.submit(new Uint8Array(Buffer.from(encoded, 'base64')), { verifyAhead: true })));
        publisher.nudge();
        return {
          results: await Promise.all(
            results.map(async (settled) => {
              if (settled.status === 'rejected') return refusal({ code: 'INTERNAL', message: settled.reason instanceof Error ? settled.reason.message : String(settled.reason) });
              return settled.value.ok ? await acceptedEntry(settled.value.value, 'thread') : refusal(settled.value.error);
            }),
          ),
        } satisfies Answer<typeof batchAnswer>;
      } finally {
        place?.release();
      }
    },
  );

  /** A refused entry's answer: the log's or the core's code, its words and the field. */
  function refusal({ code, message, field }: { code: string; message: string; field?: string | undefined }) {
    return field === undefined ? { code, message } : { code, message, field };
  }

  /**
   * An accepted entry's answer, with the signed receipt (issue 12): the author's portable proof
   * that the exchange took the entry at this index and promised a checkpoint covering it by
   * `includeBy`.
   */
  async function acceptedEntry({ index, leafHash }: { index: number; leafHash: Uint8Array }, signOn: 'here' | 'thread' = 'here') {
    const includeBy = options.now() + (options.maxMergeDelaySeconds ?? 60);
    const receipt = options.receiptSigner ? await signedReceipt({ origin: options.origin, index, leafHash, includeBy }, options.receiptSigner, signOn) : undefined;
    return { index, leafHash: toHex(leafHash), ...(receipt?.ok ? { receipt: receipt.value, includeBy } : {}) };
  }

  /**
   * A batch's receipts are signed on the sequencer's signature thread when there is one, so
   * that the event loop keeps sequencing (issue 14); a single entry's here, since the trip to
   * the thread and back would cost its author more time than the signature.
   */
  async function signedReceipt(receipt: Receipt, signer: NoteSigner, signOn: 'here' | 'thread') {
    const thread = signOn === 'thread' ? sequencer.signatureThread : undefined;
    if (!thread) return signReceipt(receipt, signer);
    return signReceiptWith(receipt, signer, (message) => thread.sign(signer.seed, message));
  }

  // The public read API may be read from any web page (issue 15: CORS on the public API): a
  // journalist's notebook or another site's chart. Nothing it serves is secret or per-user.
  app.addHook('onSend', async (request, reply) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && /^\/(v1\/(?!clearing)|checkpoint|tile\/|checkpoints\/|policy)/.test(request.url)) reply.header('access-control-allow-origin', '*');
  });

  await registerBlobRoutes(app, { store, authorKeys: options.authorKeys, now: options.now });
  const author = options.exchangeSeed ? new ExchangeAuthor(sequencer, options.origin, options.exchangeSeed, () => publisher.latest) : undefined;
  await registerClearingRoutes(app, { sequencer, publisher, now: options.now, author, operatorToken: options.operatorToken, ...(options.clearingTickMs === undefined ? {} : { scheduleTickMs: options.clearingTickMs }) });
  if (author) scheduleTradeExpiry(app, { sequencer, publisher, author, now: options.now, ...(options.tradeExpiryTickMs === undefined ? {} : { tickMs: options.tradeExpiryTickMs }) });

  const sendLatestCheckpoint = (reply: FastifyReply) => {
    const latest = publisher.latest;
    if (!latest) throw new ServiceError('NOT_FOUND', 'no checkpoint has met its witness quorum yet');
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(latest.note);
  };
  const checkpointNote = textAnswer('the checkpoint note with its witnesses\' cosignatures (C2SP tlog-checkpoint)');
  app.get('/checkpoint', { schema: route({ tags: ['log'], summary: 'The latest witnessed checkpoint (C2SP signed note)', response: { 200: checkpointNote } }) }, async (_request, reply) => sendLatestCheckpoint(reply));
  // A long poll for a gateway that has just filed (issue 14, "quick receipts"): polling /checkpoint
  // at an interval would add up to that interval to every filing; held here, the answer leaves
  // as the checkpoint is published. Anyone may ask, so it is bounded three ways: the wait, its
  // own count of polls held (apart from the submissions' ?wait=1), and the index, which must be
  // an entry the log has or the next one: a gateway asks about an entry it has just filed.
  let pollsHeld = 0;
  app.get(
    '/v1/checkpoint',
    { schema: route({ tags: ['log'], summary: 'The latest witnessed checkpoint, once one covers an entry', description: `As /checkpoint; with ?covering=<index> the answer waits until a witnessed checkpoint covers that entry, at most ?wait= milliseconds (${MAX_CHECKPOINT_WAIT_MS} at most and by default), then gives the latest checkpoint, covering or not. It does not wait for an index beyond the log's next entry, nor while ${MAX_CHECKPOINT_POLLS} others wait.`, querystring: checkpointQuery, response: { 200: checkpointNote } }) },
    async (request, reply) => {
      const query = request.query as z.output<typeof checkpointQuery>;
      if (query.covering !== undefined && query.covering <= sequencer.size && pollsHeld < MAX_CHECKPOINT_POLLS) {
        pollsHeld += 1;
        try {
          await publisher.waitFor(query.covering, query.wait ?? MAX_CHECKPOINT_WAIT_MS);
        } finally {
          pollsHeld -= 1;
        }
      }
      return sendLatestCheckpoint(reply);
    },
  );

  app.get('/policy', { schema: route({ tags: ['log'], summary: "The witness policy in force at the log's head (C2SP tlog-policy): the treaty's witnesses and quorum once a treaty names them", response: { 200: textAnswer('the policy (C2SP tlog-policy text)') } }) }, async (_request, reply) => reply.header('content-type', 'text/plain; charset=utf-8').send(options.policyText()));

  app.get('/tile/*', { schema: route({ tags: ['log'], summary: 'Hash tiles and entry bundles (C2SP tlog-tiles)', description: 'Paths as tlog-tiles states them: `tile/<L>/<N>[.p/<W>]` for hashes, `tile/entries/<N>[.p/<W>]` for entry bundles; every tile but the partial ones of the head is immutable.', params: wildcardParams, response: { 200: bytesAnswer('a hash tile (32-byte hashes) or an entry bundle (each entry prefixed by its uint16 length)') } }) }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const tile = parseTilePath(path);
    if (!tile) throw new ServiceError('NOT_FOUND', `tile/${path} is not a tlog-tiles path`);
    const size = sequencer.size;
    const level = tile.kind === 'hash' ? tile.level : 0;
    if (tileWidth(level, tile.n, size) < tile.width) throw new ServiceError('NOT_FOUND', `tile/${path} is beyond the log's ${size} entries`);
    reply.header('cache-control', IMMUTABLE).header('content-type', 'application/octet-stream');
    if (tile.kind === 'entries') {
      const first = tile.n * TILE_WIDTH;
      const entries = sequencer.recentEntries.range(first, first + tile.width) ?? (await readEntries(store.db, first, first + tile.width)).map((row) => row.bytes);
      return reply.send(Buffer.from(encodeBundle(entries)));
    }
    const first = tile.n * TILE_WIDTH;
    return reply.send(Buffer.from(sequencer.verifier.tree.hashesAt(tile.level * TILE_HEIGHT, first, first + tile.width)));
  });

  app.get('/checkpoints/*', { schema: route({ tags: ['log'], summary: "A page of the checkpoint archive: the first publication of each size from N·256+1 to (N+1)·256, with its cosignatures (a JSON array of notes)", params: wildcardParams, response: { 200: z.array(z.string()).describe('checkpoint notes with their cosignatures, in increasing size') } }) }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const n = parseTileIndex(path);
    if (n === undefined) throw new ServiceError('NOT_FOUND', `checkpoints/${path} is not a page of the checkpoint archive (N in tlog-tiles' 3-digit groups, e.g. x001/234)`);
    const published = publisher.latest?.size ?? 0;
    if (n * ARCHIVE_PAGE_WIDTH >= published) throw new ServiceError('NOT_FOUND', `checkpoints/${path} is beyond the latest published size ${published}`);
    const last = (n + 1) * ARCHIVE_PAGE_WIDTH;
    const rows = await listArchivedCheckpoints(store.db, n * ARCHIVE_PAGE_WIDTH, last, ARCHIVE_PAGE_WIDTH);
    // A page is final once a later size is published: sizes are archived in increasing order.
    reply.header('cache-control', published > last ? IMMUTABLE : 'no-store').header('content-type', 'application/json');
    return reply.send(Buffer.from(encodeArchivePage(rows.map((row) => row.note))));
  });

  app.get('/v1/proof/inclusion', { schema: route({ tags: ['log'], summary: 'Inclusion proof, as tiles would give it', querystring: inclusionQuery, response: { 200: inclusionAnswer } }) }, async (request): Promise<Answer<typeof inclusionAnswer>> => {
    const { index, size } = request.query as z.output<typeof inclusionQuery>;
    if (size > sequencer.size) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `query.size: the log has ${sequencer.size} entries`, 'query.size');
    const proof = sequencer.verifier.tree.inclusionProof(index, size);
    if (!proof.ok) throw new ServiceError(proof.error.code, proof.error.message);
    return { index, size, proof: proof.value.map(toBase64) };
  });

  app.get('/v1/proof/consistency', { schema: route({ tags: ['log'], summary: 'Consistency proof between two sizes', querystring: consistencyQuery, response: { 200: consistencyAnswer } }) }, async (request): Promise<Answer<typeof consistencyAnswer>> => {
    const query = request.query as z.output<typeof consistencyQuery>;
    if (query.new > sequencer.size) throw new ServiceError('PROOF_INDEX_OUT_OF_RANGE', `query.new: the log has ${sequencer.size} entries`, 'query.new');
    const proof = sequencer.verifier.tree.consistencyProof(query.old, query.new);
    if (!proof.ok) throw new ServiceError(proof.error.code, proof.error.message);
    return { old: query.old, new: query.new, proof: proof.value.map(toBase64) };
  });

  registerViewRoutes(app, { sequencer, publisher, now: options.now });
  registerIncidentRoutes(app, { sequencer, publisher, now: options.now });
  registerProofRoutes(app, { store, sequencer, publisher, policyText: options.policyText });
  // The public transparency page (packages/web), built on the /v1 views above.
  await registerStaticSite(app, 'transparency.html');
  // What a case proof shows and how to check it (issue 13), linked from the page above.
  registerStaticPage(app, CASE_PROOFS_PAGE, 'proofs.html');
  app.get('/v1/health', { schema: route({ tags: ['log'], summary: 'Log size, publication and witness status', response: { 200: healthAnswer } }) }, async (): Promise<Answer<typeof healthAnswer>> => ({ origin: options.origin, size: sequencer.size, publication: publisher.health }));

  return app;
}
