import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { proveCase, type CheckpointRef } from '@evenhand/log';
import { readArchivedCheckpoint, type Store } from '@evenhand/store';
import { archivedAfterDue } from './archived-after-due.ts';
import { ServiceError } from '../errors.ts';
import { ProofDownloads } from '../proofs/proof-download.ts';
import { PROOF_SUMMARY, REQUEST_PROOF_QUERY } from '../proofs/proof-query.ts';
import { storeEntrySource } from '../proofs/store-source.ts';
import { idParams, route } from '../contract/common.ts';
import { caseProofAnswer } from '../contract/case-proof.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';

/**
 * Case proofs for anyone, without login (issue 13, "Where people get them"): the transparency
 * page links one for every overdue obligation. The bundle holds the log's own bytes, so sealed
 * members stay ciphertext. Nothing here reads the log from its start: the case's entries come
 * from the sequencer's state and case index, by index, and an unanswered obligation's range
 * ends at the first archived checkpoint cosigned after its due date.
 */
export function registerProofRoutes(app: FastifyInstance, options: { store: Store; sequencer: Sequencer; publisher: CheckpointPublisher; policyText: () => string }): void {
  const { store, sequencer, publisher } = options;
  const downloads = new ProofDownloads();
  const source = storeEntrySource(store, (from, to, size) => sequencer.verifier.tree.rangeProof(from, to, size));

  const latest = (): CheckpointRef => {
    const published = publisher.latest;
    if (!published) throw new ServiceError('NOT_FOUND', 'no checkpoint has met its witness quorum yet: there is nothing to prove a case in');
    return { size: published.size, note: published.note };
  };

  app.get('/v1/requests/:id/proof', { schema: route({ tags: ['public'], summary: `One request's ${PROOF_SUMMARY}`, params: idParams, querystring: REQUEST_PROOF_QUERY, response: { 200: caseProofAnswer } }) }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { unanswered } = request.query as z.output<typeof REQUEST_PROOF_QUERY>;
    const checkpoint = latest();
    return downloads.send(reply, { type: 'request', id, unanswered, size: checkpoint.size }, async () => {
      let claim: Parameters<typeof proveCase>[0]['unanswered'];
      if (unanswered !== undefined) {
        const archived = await readArchivedCheckpoint(store.db, checkpoint.size);
        if (!archived) throw new ServiceError('CHECKPOINT_UNARCHIVED', `the latest checkpoint (size ${checkpoint.size}) is not in the archive, so its witnessed time is unknown`);
        claim = { kind: unanswered, witnessedAt: archived.witnessedAt, checkpointAfter: (minSize, due) => archivedAfterDue(store.db, minSize, checkpoint.size, due) };
      }
      return proveCase({ subject: { type: 'request', id }, state: sequencer.domainState, cases: sequencer.cases, checkpoint, policy: options.policyText(), source, ...(claim ? { unanswered: claim } : {}) });
    });
  });

  app.get('/v1/trades/:id/proof', { schema: route({ tags: ['public'], summary: `One trade's ${PROOF_SUMMARY}`, params: idParams, response: { 200: caseProofAnswer } }) }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const checkpoint = latest();
    return downloads.send(reply, { type: 'trade', id, size: checkpoint.size }, () =>
      proveCase({ subject: { type: 'trade', id }, state: sequencer.domainState, cases: sequencer.cases, checkpoint, policy: options.policyText(), source }),
    );
  });
}
