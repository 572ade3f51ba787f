import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { getBlob, putBlob, type Store } from '@evenhand/store';
import { ServiceError } from '../errors.ts';
import { bytesAnswer, route } from '../contract/common.ts';
import { blobParams, blobStoredAnswer } from '../contract/log.ts';
import { verifyBlobSignature } from '../signing/blob-signature.ts';

/** Evidence files are bounded like attachments in e-CODEX practice; larger evidence is split. */
export const MAX_BLOB_BYTES = 16 * 1024 * 1024;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Sealed evidence files (DESIGN.md "Confidentiality": evidence is stored by hash and sealed
 * like the other sealed fields). The exchange keeps the encrypted bytes under their SHA-256
 * and serves them to whoever asks; only the recipients can decrypt. Uploads are signed by
 * a party's entry key, so the exchange stores nothing on behalf of strangers.
 */
export async function registerBlobRoutes(app: FastifyInstance, options: { store: Store; authorKeys: (author: string) => Uint8Array | undefined; now: () => number }): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES }, (_request, body, done) => done(null, body));
    // No body schema: the body is the sealed bytes, of any content type, hashed as they came.
    const schema = route({
      tags: ['evidence'],
      summary: 'Store a sealed evidence file under its SHA-256 (hex); headers x-evenhand-author and x-evenhand-signature',
      description: `The body is the sealed file's bytes, at most ${MAX_BLOB_BYTES} bytes, of any content type. The headers are required: x-evenhand-author names a party, and x-evenhand-signature is that party's entry key's signature of the hash (signing/blob-signature.ts).`,
      params: blobParams,
      response: { 201: blobStoredAnswer },
    });
    scope.put('/v1/blobs/:hash', { bodyLimit: MAX_BLOB_BYTES, schema }, async (request, reply) => {
      const { hash } = request.params as { hash: string };
      if (!HEX_SHA256.test(hash)) throw new ServiceError('BAD_REQUEST', 'path.hash: expected 64 lowercase hex digits (SHA-256)', 'path.hash');
      const author = request.headers['x-evenhand-author'];
      const signature = request.headers['x-evenhand-signature'];
      if (typeof author !== 'string' || typeof signature !== 'string') {
        const missing = typeof author === 'string' ? 'headers.x-evenhand-signature' : 'headers.x-evenhand-author';
        throw new ServiceError('BAD_REQUEST', `${missing}: required, with x-evenhand-author naming a party and x-evenhand-signature its entry key's signature of the hash`, missing);
      }
      const key = options.authorKeys(author);
      if (!key) throw new ServiceError('ENTRY_UNKNOWN_AUTHOR', `headers.x-evenhand-author: no key is known for ${author}`, 'headers.x-evenhand-author');
      if (!verifyBlobSignature(key, hash, signature)) throw new ServiceError('ENTRY_BAD_SIGNATURE', `headers.x-evenhand-signature: not ${author}'s signature of this hash`, 'headers.x-evenhand-signature');
      const bytes = request.body instanceof Buffer ? new Uint8Array(request.body) : new Uint8Array();
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== hash) throw new ServiceError('BAD_REQUEST', `path.hash: the body hashes to ${actual}, not ${hash}`, 'path.hash');
      await putBlob(options.store.db, { hash, bytes, author, createdAt: options.now() });
      return reply.status(201).send({ hash, size: bytes.length } satisfies z.output<typeof blobStoredAnswer>);
    });
  });

  app.get('/v1/blobs/:hash', { schema: route({ tags: ['evidence'], summary: 'A sealed evidence file by its SHA-256', params: blobParams, response: { 200: bytesAnswer('the sealed bytes, as stored') } }) }, async (request, reply) => {
    const { hash } = request.params as { hash: string };
    if (!HEX_SHA256.test(hash)) throw new ServiceError('BAD_REQUEST', 'path.hash: expected 64 lowercase hex digits (SHA-256)', 'path.hash');
    const bytes = await getBlob(options.store.db, hash);
    if (!bytes) throw new ServiceError('NOT_FOUND', `no blob ${hash}`);
    return reply.header('content-type', 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(Buffer.from(bytes));
  });
}
