import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { ed25519Sign, ed25519Verify } from '@evenhand/crypto';
import { unpackVerifyJobs, VERDICT, type SignatureAnswers, type SignatureJobs } from './signature-wire.ts';

/**
 * The exchange's second core for Ed25519 (issue 14: "signature verification could use the
 * second core through a worker"): it verifies entry signatures ahead of sequencing and signs
 * receipts (signature-thread.ts). Jobs come on the port it was given; verdicts go back
 * (signature-wire.ts) in small groups, so that the sequencer, which reads them between
 * entries without waiting, finds the first while the rest are verified. A job whose ticket
 * the sequencer has marked taken is passed over: it verified that signature itself.
 */
const VERDICT_GROUP = 8;
const { port, taken } = workerData as { port: MessagePort; taken: Int32Array };
const answer = (answers: SignatureAnswers) => port.postMessage(answers);

port.on('message', (jobs: SignatureJobs) => {
  if ('sign' in jobs) {
    answer({ signed: jobs.sign.map(([ticket, seed, message]) => [ticket, ed25519Sign(seed, message)]) });
    return;
  }
  let verdicts: number[] = [];
  for (const { ticket, key, message, signature } of unpackVerifyJobs(jobs.verify)) {
    const passedOver = Atomics.load(taken, ticket % taken.length) === (ticket | 0);
    verdicts.push(ticket, passedOver ? VERDICT.passedOver : ed25519Verify(key, message, signature) ? VERDICT.valid : VERDICT.invalid);
    if (verdicts.length >= 2 * VERDICT_GROUP) {
      answer({ verified: verdicts });
      verdicts = [];
    }
  }
  if (verdicts.length > 0) answer({ verified: verdicts });
});
parentPort?.postMessage('ready');
