import type { FastifyInstance } from 'fastify';
import { archivedCheckpointAfter, proveCase, quorumTreaty, treatyPolicy, witnessedTime, type CheckpointRef, type Policy } from '@evenhand/log';
import { ServiceError } from '../errors.ts';
import { ProofDownloads } from '../proofs/proof-download.ts';
import { PROOF_SUMMARY, REQUEST_PROOF_QUERY } from '../proofs/proof-query.ts';
import { storeEntrySource } from '../proofs/store-source.ts';
import { ownRequest, type GatewayContext } from './context.ts';
import { ExchangeUnreachable } from './exchange-client.ts';
import { ownTrade } from './routes-trades.ts';
import { idParams, route } from '../contract/common.ts';
import { caseProofAnswer } from '../contract/case-proof.ts';

const tags = ['requests'];

export interface ProofRouteOptions {
  /** The gateway's witness policy: its log key goes into each bundle, and its quorum checks archived checkpoints. */
  readonly policy: Policy;
  readonly policyText: string;
  /** A page of the exchange's checkpoint archive (`checkpoints/<N>`), or undefined when it has none. */
  readonly archivePage: (path: string) => Promise<Uint8Array | undefined>;
}

/**
 * "Download proof" in the console (issue 13): a case proof of a request or trade this state is
 * party to, made from the gateway's own verified mirror (its store, tree, state and case
 * index, never a walk of the log) and proved in the latest checkpoint the gateway verified. An
 * unanswered obligation's range ends at the first checkpoint of the exchange's archive cosigned
 * after its due date; that checkpoint is checked against the treaty's quorum, and the range
 * proofs from this gateway's own tree must give its root, or the bundle is refused.
 */
export function registerProofRoutes(app: FastifyInstance, context: GatewayContext, options: ProofRouteOptions): void {
  const { mirror } = context;
  const downloads = new ProofDownloads();
  const source = storeEntrySource(context.store, (from, to, size) => mirror.rangeProof(from, to, size));

  const latest = () => {
    const verified = mirror.verified;
    if (!verified) throw new ServiceError('NOT_FOUND', 'this gateway has verified no checkpoint yet: there is nothing to prove a case in');
    return { checkpoint: { size: verified.checkpoint.size, note: verified.note } satisfies CheckpointRef, witnessedAt: witnessedTime(verified) };
  };

  const checkpointAfter = async (minSize: number, size: number, due: number): Promise<CheckpointRef | undefined> => {
    const quorum = treatyPolicy(options.policy, quorumTreaty(mirror.state), null);
    if (!quorum.ok) throw new ServiceError(quorum.error.code, quorum.error.message);
    try {
      return await archivedCheckpointAfter(options.archivePage, quorum.value, minSize, size, due);
    } catch (error) {
      if (error instanceof ExchangeUnreachable) throw new ServiceError('EXCHANGE_UNREACHABLE', `query.unanswered: the exchange's checkpoint archive, where the range ends, is out of reach (${error.message})`, 'query.unanswered');
      throw error;
    }
  };

  app.get('/api/requests/:id/proof', { preHandler: app.authenticate, schema: route({ tags, summary: `One request's ${PROOF_SUMMARY}`, params: idParams, querystring: REQUEST_PROOF_QUERY, response: { 200: caseProofAnswer } }) }, async (request, reply) => {
    const record = await ownRequest(context, (request.params as { id: string }).id);
    const { unanswered } = request.query as { unanswered?: string };
    const { checkpoint, witnessedAt } = latest();
    return downloads.send(reply, { type: 'request', id: record.id, unanswered, size: checkpoint.size }, () =>
      proveCase({
        subject: { type: 'request', id: record.id },
        state: mirror.state,
        cases: mirror.cases,
        checkpoint,
        policy: options.policyText,
        source,
        ...(unanswered === undefined ? {} : { unanswered: { kind: unanswered, witnessedAt, checkpointAfter: (minSize, due) => checkpointAfter(minSize, checkpoint.size, due) } }),
      }),
    );
  });

  app.get('/api/trades/:id/proof', { preHandler: app.authenticate, schema: route({ tags: ['trades'], summary: `One trade's ${PROOF_SUMMARY}`, params: idParams, response: { 200: caseProofAnswer } }) }, async (request, reply) => {
    const trade = await ownTrade(context, (request.params as { id: string }).id);
    const { checkpoint } = latest();
    return downloads.send(reply, { type: 'trade', id: trade.id, size: checkpoint.size }, () =>
      proveCase({ subject: { type: 'trade', id: trade.id }, state: mirror.state, cases: mirror.cases, checkpoint, policy: options.policyText, source }),
    );
  });
}
