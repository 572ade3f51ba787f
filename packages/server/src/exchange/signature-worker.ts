import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { ed25519Sign, ed25519Verify } from '@evenhand/crypto';

/**
 * The exchange's second core for Ed25519 (issue 14: "signature verification could use the
 * second core through a worker"): it verifies entry signatures ahead of sequencing and signs
 * receipts (signature-thread.ts). Jobs come on the port it was given; verdicts go back as flat
 * [ticket, 1 or 0, …] lists in small groups, so that the sequencer, which reads them between
 * entries without waiting, finds the first while the rest are verified.
 */
export type SignatureJobs = { readonly verify: [ticket: number, key: Uint8Array, message: Uint8Array, signature: Uint8Array][] } | { readonly sign: [ticket: number, seed: Uint8Array, message: Uint8Array][] };
export type SignatureAnswers = { readonly verified: number[] } | { readonly signed: [ticket: number, signature: Uint8Array][] };

const VERDICT_GROUP = 8;
const port = (workerData as { port: MessagePort }).port;
const answer = (answers: SignatureAnswers) => port.postMessage(answers);

port.on('message', (jobs: SignatureJobs) => {
  if ('sign' in jobs) {
    answer({ signed: jobs.sign.map(([ticket, seed, message]) => [ticket, ed25519Sign(seed, message)]) });
    return;
  }
  let verdicts: number[] = [];
  for (const [ticket, key, message, signature] of jobs.verify) {
    verdicts.push(ticket, ed25519Verify(key, message, signature) ? 1 : 0);
    if (verdicts.length >= 2 * VERDICT_GROUP) {
      answer({ verified: verdicts });
      verdicts = [];
    }
  }
  if (verdicts.length > 0) answer({ verified: verdicts });
});
parentPort?.postMessage('ready');
