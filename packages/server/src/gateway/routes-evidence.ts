import { auditDecryption } from './decryption-audit.ts';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { MAX_BLOB_BYTES } from '../exchange/blob-routes.ts';
import type { SealedMember } from '../sealing/seal.ts';
import { sealBody } from './sealed-members.ts';
import { caseOfSealed, sealUnderCaseKey } from '../sealing/case-key.ts';
import { ALTERED, putSealedBlob, sealedBlob } from './evidence-blobs.ts';
import type { ExchangeClient } from './exchange-client.ts';
import { ownRequest, type GatewayContext } from './context.ts';
import { getRequest } from '@evenhand/core';
import { ERASED } from './case-keys.ts';
import { z } from 'zod';
import { bytesAnswer, route } from '../contract/common.ts';

const tags = ['evidence'];
const REF = /^sha256:([0-9a-f]{64})$/;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface EvidencePlaintext {
  readonly filename: string;
  readonly contentType: string;
  readonly data: string;
}

/**
 * Evidence files (DESIGN.md "Confidentiality"): the gateway seals a file to this state, the
 * counterpart and the observers (JWE, as for sealed fields), stores the ciphertext at the
 * exchange under its SHA-256, and answers the reference `sha256:<hex>` that a filing's or a
 * reply's sealed `evidence` list carries. Reading fetches the ciphertext and decrypts it
 * with this state's key; a file this state cannot open is answered as not found.
 */
export function registerEvidenceRoutes(app: FastifyInstance, context: GatewayContext, options: { exchange: ExchangeClient; entrySeed: Uint8Array }): void {
  app.register(async (scope) => {
    // Every type as bytes: without this, a text/plain or JSON file would reach the route parsed
    // as a string or an object by Fastify's own parsers, and be refused as empty.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES / 2 }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/evidence',
      {
        preHandler: [app.authenticate, requireRole('clerk', 'reviewer')],
        bodyLimit: MAX_BLOB_BYTES / 2,
        schema: route({
          tags,
          summary: "Seal an evidence file and store it at the exchange: under a filed request's own case key (?request=US-2021-001), so that erasing the case erases it too (docs/erasure.md); or, before the request is filed, to this state, the counterpart (?for=RU) and the observers",
          description: 'The body is the file itself, in bytes of any content type, with its name in the X-Filename header (percent-encoded).',
          querystring: z.strictObject({ for: z.string().regex(/^[A-Z]{2,3}$/).optional(), request: z.string().max(64).optional() }),
          response: { 201: z.strictObject({ ref: z.string().describe('sha256:<hex> of the sealed file, as an entry names it'), filename: z.string(), size: z.number().int() }) },
        }),
      },
      async (request, reply) => {
        const query = request.query as { for?: string; request?: string };
        const bytes = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
        if (bytes.length === 0) throw new ServiceError('BAD_REQUEST', 'body: the evidence file is empty');
        // Header values are ASCII: a browser sends a name with other letters percent-encoded.
        const filename = decodedName(String(request.headers['x-filename'] ?? 'evidence.bin')).slice(0, 200);
        const plaintext: EvidencePlaintext = { filename, contentType: String(request.headers['content-type'] ?? 'application/octet-stream'), data: bytes.toString('base64') };
        const sealed = Buffer.from(query.request !== undefined ? await sealForCase(context, query.request, plaintext) : await sealForParties(context, query.for, plaintext));
        const hash = await putSealedBlob(options.exchange, context.party, options.entrySeed, sealed);
        return reply.status(201).send({ ref: `sha256:${hash}`, filename, size: bytes.length });
      },
    );
  });

  app.get('/api/evidence/:ref', { preHandler: app.authenticate, schema: route({ tags, summary: 'An evidence file this state can open, decrypted', params: z.strictObject({ ref: z.string().max(100).describe('sha256:<64 hex digits>') }), response: { 200: bytesAnswer('the file, with its own content type and name') } }) }, async (request, reply) => {
    const match = REF.exec((request.params as { ref: string }).ref);
    if (!match) throw new ServiceError('BAD_REQUEST', 'path.ref: expected sha256:<64 hex digits>', 'path.ref');
    const sealed = await sealedBlob(options.exchange, match[0], match[1]!);
    if (sealed === undefined) throw new ServiceError('NOT_FOUND', `no evidence ${match[0]}`);
    if (sealed === ALTERED) throw new ServiceError('EXCHANGE_UNREACHABLE', 'the exchange served other bytes than the reference names');
    // Under a case key (a compact JWE naming the case), or to the parties' long-term keys.
    const opened = await context.caseKeys.open({ jwe: sealed });
    if (opened === ERASED) throw new ServiceError('CASE_ERASED', `evidence ${match[0]} belongs to a case whose personal data ${context.party} has erased`);
    if (opened === undefined) throw new ServiceError('NOT_FOUND', `no evidence ${match[0]} that ${context.party} can open`);
    await auditDecryption(context, request.official!.username, { type: 'evidence', id: match[0] }, []);
    const file = opened as EvidencePlaintext;
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]+/g, '_')}"`)
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(file.data, 'base64'));
  });
}

/**
 * A file sealed under the case key of a request this state is party to (core's case keys,
 * sealing/case-key.ts), or of one it is about to file: the key is then reserved, and the filing
 * wraps it (an attachment of the filing, erased with the case).
 */
async function sealForCase(context: GatewayContext, id: string, plaintext: EvidencePlaintext): Promise<string> {
  if (!getRequest(context.mirror.state, id)) await context.refresh();
  if (!getRequest(context.mirror.state, id)) {
    if (!REQUEST_ID.test(id)) throw new ServiceError('BAD_REQUEST', 'query.request: a request id of letters, digits, ".", "_" or "-", at most 64 long', 'query.request');
    return (await sealUnderCaseKey(plaintext, await context.caseKeys.reserve(id), id)).jwe;
  }
  const record = await ownRequest(context, id);
  const key = await context.caseKeys.keyFor(record.id);
  if (key === 'erased') throw new ServiceError('CASE_ERASED', `query.request: ${context.party} erased the personal data of ${record.id}; nothing can be added to it`, 'query.request');
  // A case filed before case keys: its files go to the parties' long-term keys, as its entries do.
  if (key === 'legacy') return sealForParties(context, record.view.requesting === context.party ? record.view.requested : record.view.requesting, plaintext);
  if (key === undefined) throw new ServiceError('CASE_KEY_UNAVAILABLE', `query.request: this gateway holds no key for ${record.id}, so the file cannot be sealed under it; check the gateway's alarms and key file`, 'query.request');
  return (await sealUnderCaseKey(plaintext, key, record.id)).jwe;
}

/** A file for a request not filed yet (a filing's attachment): to this state, the counterpart and the observers. */
async function sealForParties(context: GatewayContext, counterpart: string | undefined, plaintext: EvidencePlaintext): Promise<string> {
  if (counterpart === undefined || counterpart === context.party || !context.sealRecipients.has(counterpart)) {
    throw new ServiceError('BAD_REQUEST', `query.for: expected another party with a seal key, found ${counterpart ?? 'none'} (or name the filed request: ?request=<id>)`, 'query.for');
  }
  // Sealed as an entry's sealed member is, to the same recipients (sealed-members.ts).
  const sealed = await sealBody({ sealed: plaintext }, [context.party, counterpart, ...context.sealObservers], context.sealRecipients);
  return (sealed.sealed as SealedMember).jwe;
}

/**
 * Whether the exchange holds the sealed file a reference names, in a form `reader` opens: under
 * the case key of `request`, which both its parties hold, or to `reader`'s seal key (a JWE's
 * recipients are named in clear). So an answer with data (request.provide, issue 17) never
 * names a file the requesting party cannot fetch and open: not one sealed to a third state or
 * another case, nor one missing from the store.
 */
export async function evidenceSealedTo(exchange: ExchangeClient, ref: string, reader: string, request: string): Promise<'ok' | 'missing' | 'not-for-reader'> {
  const match = REF.exec(ref);
  if (!match) return 'missing';
  const text = await sealedBlob(exchange, ref, match[1]!);
  if (text === undefined || text === ALTERED) return 'missing';
  if (!text.startsWith('{')) return caseOfSealed(text) === request ? 'ok' : 'not-for-reader';
  try {
    const jwe = JSON.parse(text) as { recipients?: { header?: { kid?: unknown } }[] };
    return (jwe.recipients ?? []).some((recipient) => recipient.header?.kid === reader) ? 'ok' : 'not-for-reader';
  } catch {
    return 'not-for-reader';
  }
}

function decodedName(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}
