import type { FastifyInstance } from 'fastify';
import type { AnyDomainEntry } from '@evenhand/core';
import { addSignatureLines, cosign, EMPTY_ROOT, parseNote, signCheckpoint, toBase64, treeFromEntries, writeTiles, type MerkleTree, type NoteSigner } from '@evenhand/log';
import { ORIGIN, type ScenarioKeys } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';

/** A log as a (possibly malicious) exchange would serve it: its checkpoint note and its tiles. */
export interface ServedLog {
  readonly note: string;
  /** Tiles, entry bundles and checkpoint archive pages, by path. */
  readonly tiles: Map<string, Uint8Array>;
  readonly root: Uint8Array;
  readonly size: number;
  /** The tree itself, for the consistency proofs an exchange sends a witness. */
  readonly tree?: MerkleTree;
  /** The public views (`/v1/statistics?size=…`), as the exchange answers them; none by default. */
  readonly views?: (view: string, query: Record<string, string>) => unknown;
}

export interface ServedLogOptions {
  /** The key that signs the checkpoint (default: the scenario's log key). */
  readonly logKey?: NoteSigner;
  /** The seed that signs entry i (default: its author's key), to forge an entry. */
  readonly seedOf?: (author: string, index: number) => Uint8Array;
  /** The witnesses that cosign (default: US, RU and CH). */
  readonly cosigners?: readonly string[];
  /** The cosignatures' timestamp (default: now). */
  readonly time?: number;
}

/**
 * Signs and chains each entry as its author would, builds the tree, and signs and cosigns
 * its checkpoint: what the gateway's mirror reads from an exchange, built in the test so a
 * fake exchange can serve honest or tampered versions of it.
 */
export function buildServedLog(keys: ScenarioKeys, entries: readonly AnyDomainEntry[], options: ServedLogOptions = {}): ServedLog {
  const seen = { size: 0, root: toBase64(EMPTY_ROOT) };
  const last = new Map<string, { seq: number; bytes: Uint8Array }>();
  const bytes = entries.map((entry, index) => {
    const writer = new AuthorWriter(entry.author, ORIGIN, options.seedOf?.(entry.author, index) ?? keys.authors.get(entry.author)!.seed);
    const previous = last.get(entry.author);
    if (previous) writer.resume(previous);
    const signed = writer.sign(entry, seen);
    last.set(entry.author, { seq: signed.entry.seq, bytes: signed.bytes });
    return signed.bytes;
  });
  const tree = treeFromEntries(bytes);
  const signed = signCheckpoint({ origin: ORIGIN, size: tree.size, root: tree.root() }, options.logKey ?? keys.log);
  if (!signed.ok) throw new Error(signed.error.message);
  const note = parseNote(signed.value);
  if (!note.ok) throw new Error(note.error.message);
  const cosignatures = (options.cosigners ?? ['US', 'RU', 'CH']).map((name) => cosign(note.value.text, keys.witnesses.get(name)!, options.time ?? Math.floor(Date.now() / 1000)));
  return { note: addSignatureLines(signed.value, cosignatures), tiles: writeTiles(tree, (i) => bytes[i]!), root: tree.root(), size: tree.size, tree };
}

/**
 * The read side of a fake exchange: GET /checkpoint, /tile/..., /checkpoints/... and the views,
 * from whatever log it serves now. `requested`, when given, collects each tile path asked for
 * (and `checkpoint` for each GET /checkpoint); `checkpointGate`, when given, holds each
 * GET /checkpoint until the promise it returns settles.
 */
export function serveLogRoutes(app: FastifyInstance, current: () => ServedLog | undefined, requested?: string[], checkpointGate?: () => Promise<void>): void {
  app.get('/checkpoint', async (_request, reply) => {
    requested?.push('checkpoint');
    await checkpointGate?.();
    const served = current();
    return served ? reply.type('text/plain').send(served.note) : reply.status(404).send('none');
  });
  for (const prefix of ['tile', 'checkpoints']) {
    app.get(`/${prefix}/*`, async (request, reply) => {
      const path = `${prefix}/${(request.params as { '*': string })['*']}`;
      requested?.push(path);
      const tile = current()?.tiles.get(path);
      return tile ? reply.type('application/octet-stream').send(Buffer.from(tile)) : reply.status(404).send('no such file');
    });
  }
  app.get('/v1/:view', async (request, reply) => {
    const view = current()?.views?.((request.params as { view: string }).view, request.query as Record<string, string>);
    return view === undefined ? reply.status(404).send({ code: 'NOT_FOUND', message: 'no such view' }) : reply.send(view);
  });
}
