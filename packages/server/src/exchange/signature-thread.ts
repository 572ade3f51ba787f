import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { ed25519Sign } from '@evenhand/crypto';
import { startModuleWorker } from '../worker-module.ts';
import { packVerifyJobs, VERDICT, type SignatureAnswers, type SignatureJobs, type VerifyJob } from './signature-wire.ts';

/** Jobs sent to the thread in one message at most. */
const JOBS_PER_MESSAGE = 64;
/**
 * Slots of the shared list of tickets the sequencer took before their verdict came (a ticket
 * marks slot `ticket % TAKEN_SLOTS`): far more than are ever in flight, so a slot is reused
 * only long after its ticket was settled.
 */
const TAKEN_SLOTS = 4_096;

type SignJob = [number, Uint8Array, Uint8Array];

/**
 * The exchange's Ed25519 work on a worker thread (signature-worker.ts), off the event loop
 * that sequences (issue 14, appends near the signature limit).
 *
 * Verifying ahead: the sequencer asks when an entry is submitted and takes the verdict when it
 * checks the entry, without waiting. A verdict that has not arrived, a thread that is still
 * starting or has died, all mean "not verified ahead", and the sequencer verifies the
 * signature itself. So the thread can only save time, never decide alone: a valid verdict is
 * used only for the key it was asked with (EntryVerifier.check compares it with the key in
 * force at the entry).
 *
 * Signing: receipts are signed on the thread; while it is not running, here.
 */
export class SignatureThread {
  private ready = false;
  private nextTicket = 1;
  private verifyOutbox: VerifyJob[] = [];
  private signOutbox: SignJob[] = [];
  private flushQueued = false;
  /** Verifications asked and not yet taken; a verdict on another is dropped. */
  private readonly asked = new Set<number>();
  /** Verifications found valid and not yet taken. */
  private readonly valid = new Set<number>();
  /** Signatures asked for and not yet made, with what to sign them here if the thread dies. */
  private readonly signing = new Map<number, { readonly job: SignJob; readonly resolve: (signature: Uint8Array) => void }>();
  /** Verdicts read from the thread, and verdicts that were there when their entry was checked (tests, benchmarks). */
  answered = 0;
  usedAhead = 0;
  /** Jobs the thread passed over, their entry checked here before it reached them (tests, benchmarks). */
  passedOver = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    /** Shared with the thread: the tickets taken here before their verdict came, which it need not verify (signature-worker.ts). */
    private readonly taken: Int32Array,
  ) {
    worker.once('message', (message) => {
      if (message === 'ready') this.ready = true;
    });
    // A thread that fails leaves the exchange doing every signature itself, as it did before.
    worker.on('error', () => this.stopped());
    worker.on('exit', () => this.stopped());
    port.on('message', (answers: SignatureAnswers) => this.read(answers));
    worker.unref();
    port.unref();
  }

  static start(): SignatureThread {
    const { port1, port2 } = new MessageChannel();
    const taken = new Int32Array(new SharedArrayBuffer(TAKEN_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const worker = startModuleWorker(import.meta.url, 'signature-worker', { workerData: { port: port2, taken }, transferList: [port2] });
    return new SignatureThread(worker, port1, taken);
  }

  /** Whether the thread has started and takes jobs. */
  get running(): boolean {
    return this.ready;
  }

  /**
   * Asks for `signature` over `message` (in parts) to be verified under `key`. Returns the
   * ticket to `take`, or undefined while the thread is not running. The bytes are read when
   * the jobs leave, at the end of the current task at the latest: they must not change before.
   */
  ask(key: Uint8Array, message: Uint8Array | readonly Uint8Array[], signature: Uint8Array): number | undefined {
    if (!this.ready) return undefined;
    const ticket = this.nextTicket++;
    // Copied once, into the buffer the jobs leave in (`flush`), which is moved to the thread, not cloned.
    this.verifyOutbox.push({ ticket, key, message: message instanceof Uint8Array ? [message] : message, signature });
    this.asked.add(ticket);
    this.queueFlush(this.verifyOutbox.length);
    return ticket;
  }

  /**
   * Whether the thread has found the ticket's signature valid by now. Reads the verdicts that
   * have arrived, without waiting for more. The ticket is forgotten either way.
   */
  take(ticket: number): boolean {
    if (this.asked.has(ticket) && !this.valid.has(ticket)) this.collectAnswers();
    const valid = this.valid.delete(ticket);
    if (valid) this.usedAhead += 1;
    // The sequencer verifies it now: the thread, when it comes to it, passes it over for the
    // jobs after it. Verifying it there too would only keep the thread behind the sequencer,
    // and under load two fifths of the signatures were then verified twice (issue 14, measured on the
    // growth log at 10^5 entries: 5,010 of 12,000).
    else if (this.asked.has(ticket)) Atomics.store(this.taken, ticket % TAKEN_SLOTS, ticket | 0);
    this.asked.delete(ticket);
    return valid;
  }

  /** Reads the answers that have arrived, without waiting; returns how many verdicts were read in all. */
  collectAnswers(): number {
    for (let received = receiveMessageOnPort(this.port); received; received = receiveMessageOnPort(this.port)) this.read(received.message as SignatureAnswers);
    return this.answered;
  }

  /** An Ed25519 signature of `message` by the key of `seed`, made on the thread when it runs. */
  sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
    if (!this.ready) return Promise.resolve(ed25519Sign(seed, message));
    return new Promise((resolve) => {
      const job: SignJob = [this.nextTicket++, seed.slice(), message.slice()];
      // A signature awaited keeps the process alive until it comes; an idle thread does not.
      if (this.signing.size === 0) this.port.ref();
      this.signing.set(job[0], { job, resolve });
      this.signOutbox.push(job);
      this.queueFlush(this.signOutbox.length);
    });
  }

  private read(answers: SignatureAnswers): void {
    if ('signed' in answers) {
      for (const [ticket, signature] of answers.signed) {
        this.signing.get(ticket)?.resolve(signature);
        this.signing.delete(ticket);
      }
      if (this.signing.size === 0) this.port.unref();
      return;
    }
    const verdicts = answers.verified;
    for (let i = 0; i < verdicts.length; i += 2) {
      this.answered += 1;
      if (verdicts[i + 1] === VERDICT.valid && this.asked.has(verdicts[i]!)) this.valid.add(verdicts[i]!);
      else if (verdicts[i + 1] === VERDICT.passedOver) this.passedOver += 1;
    }
  }

  private queueFlush(waiting: number): void {
    if (waiting >= JOBS_PER_MESSAGE) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      // The entries of one batch request are submitted in one go: they leave together.
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.verifyOutbox.length > 0) {
      const verify = packVerifyJobs(this.verifyOutbox);
      this.verifyOutbox = [];
      this.port.postMessage({ verify } satisfies SignatureJobs, [verify]);
    }
    if (this.signOutbox.length > 0) {
      const sign = this.signOutbox;
      this.signOutbox = [];
      this.port.postMessage({ sign } satisfies SignatureJobs);
    }
  }

  /** The thread is gone: what it was asked to sign is signed here; verdicts not yet read never come. */
  private stopped(): void {
    this.ready = false;
    for (const { job, resolve } of this.signing.values()) resolve(ed25519Sign(job[1], job[2]));
    this.signing.clear();
    this.port.unref();
  }

  async close(): Promise<void> {
    this.ready = false;
    await this.worker.terminate();
    this.stopped();
    this.port.close();
  }
}
