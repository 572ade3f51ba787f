import type { FastifyReply } from 'fastify';
import type { CaseProof, CaseProveError } from '@evenhand/log';
import type { Result } from '@evenhand/core';
import { relayedField, ServiceError, type FieldPath, type RelayedField } from '../errors.ts';
import { BoundedCache } from '../gateway/bounded-cache.ts';

/** The prover's fields name its own inputs (log case-prover.ts); over HTTP the obligation is `?unanswered=` and the case the path's id. */
const PROOF_INPUTS: Readonly<Record<string, FieldPath>> = { unanswered: 'query.unanswered', request: 'path.id', trade: 'path.id' };

function proofField(field: string | undefined): FieldPath | RelayedField | undefined {
  return field !== undefined && Object.hasOwn(PROOF_INPUTS, field) ? PROOF_INPUTS[field] : relayedField(field);
}

/** Bundles kept built: a popular overdue request is proved once per checkpoint, not once per reader. */
const KEEP = 64;

/** What names one bundle: the subject, the obligation claimed unanswered, and the checkpoint's size. */
export interface ProofKey {
  readonly type: 'request' | 'trade';
  readonly id: string;
  readonly unanswered?: string | undefined;
  readonly size: number;
}

/**
 * Case proofs served for download (issue 13, "Where people get them"): built on demand by log
 * `proveCase`, kept by (subject, obligation, tree size) in a bounded cache, since the same
 * tree always gives the same bundle, and sent as a JSON file whose name says what it proves.
 */
export class ProofDownloads {
  private readonly built = new BoundedCache<string, { readonly text: string; readonly name: string }>(KEEP);

  async send(reply: FastifyReply, key: ProofKey, build: () => Promise<Result<CaseProof, CaseProveError>>): Promise<FastifyReply> {
    const cacheKey = `${key.type}\n${key.id}\n${key.unanswered ?? ''}\n${key.size}`;
    let file = this.built.get(cacheKey);
    if (file === undefined) {
      const made = await build();
      if (!made.ok) throw new ServiceError(made.error.code, made.error.message, proofField(made.error.field));
      // Named by the checkpoint the bundle is proved in: for an unanswered obligation, an earlier one than the head's.
      const size = Number(made.value.checkpoint.split('\n')[1]);
      file = { text: `${JSON.stringify(made.value, null, 1)}\n`, name: fileName({ ...key, size: Number.isSafeInteger(size) ? size : key.size }) };
      this.built.set(cacheKey, file);
    }
    return reply.header('content-type', 'application/json; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).send(file.text);
  }
}

/** e.g. evenhand-proof-US-2021-002-decide-1234.json: ids are the parties' own, so anything outside a safe set becomes "_". */
export function fileName(key: ProofKey): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `evenhand-proof-${safe(key.id)}${key.unanswered ? `-${safe(key.unanswered)}` : ''}-${key.size}.json`;
}
