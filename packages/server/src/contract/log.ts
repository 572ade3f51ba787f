import { z } from 'zod';
import type { PublicationStatus } from '../exchange/publisher.ts';
import { documents } from './documents.ts';
import { wholeQuery } from './common.ts';

/**
 * The exchange's answers about the log itself (issue 16, "API contracts"): an accepted entry,
 * proofs between sizes, the log's health and a stored evidence file. The public views'
 * answers are views.ts's; the C2SP text and bytes are described where their routes are.
 */

const logIndex = z.number().int().min(0).describe('a log index');
const base64Hashes = z.array(z.string()).describe('SHA-256 hashes, base64');

/** `?wait=1` of POST /v1/entries: wait for a witnessed checkpoint that covers the entry. */
export const submitQuery = z.object({
  wait: z.enum(['0', '1']).optional().describe('1: answer once a witnessed checkpoint covers the entry, with its c2sp.org/tlog-proof@v1 (at most about 20 s)'),
});

/** Longest a GET /v1/checkpoint?covering= holds its answer: a filing's own wait (gateway routes-requests.ts) is 5 s. */
export const MAX_CHECKPOINT_WAIT_MS = 5_000;

/** Long polls held at once; past them, GET /v1/checkpoint?covering= answers at once, and the gateway polls. */
export const MAX_CHECKPOINT_POLLS = 256;

/** GET /v1/checkpoint: the latest witnessed checkpoint, held back until one covers an entry (issue 14, "quick receipts"). */
export const checkpointQuery = z.strictObject({
  covering: wholeQuery(0).optional().describe('a log index: answer as soon as a witnessed checkpoint covers it'),
  wait: wholeQuery(0, MAX_CHECKPOINT_WAIT_MS).optional().describe(`with covering: the longest wait in milliseconds (at most ${MAX_CHECKPOINT_WAIT_MS}, by default that); then the latest checkpoint, whether it covers the entry or not`),
});

/** What every accepted entry answers: where it is, and the signed receipt when the exchange has a log key to sign it with. */
const acceptedShape = {
  index: logIndex.describe('the log index of the entry'),
  leafHash: z.string().describe("the entry's leaf hash (RFC 6962), hex"),
  receipt: z.string().optional().describe("the log's signed receipt (a signed note): the promise of a checkpoint covering the entry by includeBy"),
  includeBy: z.number().int().optional().describe('Unix seconds by which a checkpoint will cover the entry'),
};

/** 201: taken; with ?wait=1 also the witnessed checkpoint's size and the entry's tlog-proof. */
export const acceptedAnswer = z.strictObject({
  ...acceptedShape,
  size: z.number().int().min(1).optional().describe('with ?wait=1: the size of the witnessed checkpoint the proof is against'),
  tlogProof: z.string().optional().describe('with ?wait=1: the c2sp.org/tlog-proof@v1 of the entry in that checkpoint'),
});

/** Entries one batch may carry (issue 14): a gateway's queue after an outage, sent in one request. */
export const MAX_BATCH_ENTRIES = 128;

/** POST /v1/entries/batch: signed entries, each as the exact bytes /v1/entries takes, in base64. */
export const batchBody = z.strictObject({
  entries: z
    .array(z.base64().max(90_000).describe("one signed entry's bytes (RFC 8785 canonical JSON, at most 64 KiB), base64"))
    .min(1)
    .max(MAX_BATCH_ENTRIES)
    .describe('sequenced in this order, each checked as if it had been submitted alone'),
});

/** Each entry's outcome, in the order sent: where it is, or why it was refused. */
export const batchAnswer = z.strictObject({
  results: z.array(z.union([z.strictObject(acceptedShape), z.strictObject({ code: z.string(), message: z.string(), field: z.string().optional() })])),
});

/** 202: with ?wait=1, taken and stored, but no witnessed checkpoint covered it in time. */
export const acceptedUnwitnessedAnswer = z.strictObject({ ...acceptedShape, message: z.string() });

export const inclusionQuery = z.object({
  index: wholeQuery(0).describe('the log index of the entry'),
  size: wholeQuery(1).describe('the tree size to prove it in'),
});

export const inclusionAnswer = z.strictObject({ index: logIndex, size: z.number().int().min(1), proof: base64Hashes });

export const consistencyQuery = z.object({
  old: wholeQuery(0).describe('the older tree size'),
  new: wholeQuery(0).describe('the newer tree size'),
});

export const consistencyAnswer = z.strictObject({ old: z.number().int().min(0), new: z.number().int().min(0), proof: base64Hashes });

const publicationSchema = documents<PublicationStatus>()(
  z.strictObject({
    publishedSize: z.number().int().min(0).describe('the size of the latest checkpoint that met its witness quorum'),
    signedSize: z.number().int().min(0).describe('the size of the latest checkpoint the log signed'),
    lastAttemptAt: z.number().int().optional().describe('when the exchange last asked the witnesses'),
    problem: z.string().optional().describe('why the last attempt did not publish, in plain words'),
    cosigners: z.array(z.string()).describe('the witnesses that cosigned the latest published checkpoint'),
  }),
);

export const healthAnswer = z.strictObject({ origin: z.string(), size: z.number().int().min(0).describe('entries in the log, witnessed or not'), publication: publicationSchema });

/** An evidence file's path: its SHA-256, checked by the route (64 lowercase hex digits) so its refusal names `hash`. */
export const blobParams = z.strictObject({ hash: z.string().describe('the SHA-256 of the sealed bytes, 64 lowercase hex digits') });

export const blobStoredAnswer = z.strictObject({ hash: z.string(), size: z.number().int().min(0).describe('bytes stored') });

/** The rest of a `/tile/…` or `/checkpoints/…` path. */
export const wildcardParams = z.strictObject({ '*': z.string() });
