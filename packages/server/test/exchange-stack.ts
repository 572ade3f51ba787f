import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_ROOT, parseCheckpoint, parseNote, parsePolicy, toBase64, verifierOf, type NoteSigner, type Policy, type SeenCheckpoint } from '@evenhand/log';
import { ORIGIN, scenarioKeys, scenarioPolicy, type ScenarioKeys } from '@evenhand/testing';
import { startExchange, type ExchangeConfig, type RunningExchange } from '../src/exchange/start-exchange.ts';
import { startWitness, type RunningWitness } from '../src/witness/start-witness.ts';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { SimulatedClock } from '../src/simulated-clock.ts';
import type { StoreConfig } from '@evenhand/store';
import type { AnyDomainEntry } from '@evenhand/core';

/** An exchange and the three witnesses of the 2021 policy, each on its own loopback port and SQLite file. */
export interface Stack {
  readonly dir: string;
  readonly keys: ScenarioKeys;
  readonly witnesses: Map<string, RunningWitness>;
  exchange: RunningExchange;
  readonly policyText: string;
  readonly policy: Policy;
  readonly writers: Map<string, AuthorWriter>;
  /** The clock of the exchange and the witnesses, unless the test gave its own `now`. */
  readonly clock: SimulatedClock;
  restartExchange(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly exchangeStore?: StoreConfig;
  /** More authors than the scenario's (benchmarks with many parties). */
  readonly extraAuthors?: ReadonlyMap<string, NoteSigner>;
  readonly minPublishIntervalMs?: number;
  readonly clearingTickMs?: number;
  /** The operator's bearer token for POST /v1/clearing/run (off without one). */
  readonly operatorToken?: string;
  /** The clock of the exchange and the witnesses (tests move it forward); a simulated clock by default. */
  readonly now?: () => number;
  /** Where the simulated clock starts: 400 days ago by default, before any scenario entry. */
  readonly start?: number;
  /** The exchange's snapshots of its replay (issue 14): interval, --full-replay, observers. */
  readonly snapshots?: ExchangeConfig['snapshots'];
}

const DAY = 86_400;

/** The witnesses of the 2021 policy (US, RU and CH), each on its own loopback port and SQLite file in `dir`, and the policy with their URLs. */
export async function startScenarioWitnesses(dir: string, keys: ScenarioKeys, now?: () => number): Promise<{ witnesses: Map<string, RunningWitness>; policyText: string; policy: Policy }> {
  const witnesses = new Map<string, RunningWitness>();
  for (const [name, cosigner] of keys.witnesses) {
    witnesses.set(name, await startWitness({ store: { engine: 'sqlite', file: join(dir, `witness-${name}.db`) }, cosigner, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), ...(now ? { now } : {}) }));
  }
  const policyText = scenarioPolicy(keys, new Map([...witnesses].map(([name, witness]) => [name, witness.url])));
  const policy = parsePolicy(policyText);
  if (!policy.ok) throw new Error(policy.error.message);
  return { witnesses, policyText, policy: policy.value };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-stack-'));
  const keys = scenarioKeys();
  const clock = new SimulatedClock(options.start ?? Math.floor(Date.now() / 1000) - 400 * DAY, { frozen: true });
  const now = options.now ?? clock.now;
  const { witnesses, policyText, policy } = await startScenarioWitnesses(dir, keys, now);
  const authors = new Map([...keys.authors, ...(options.extraAuthors ?? [])]);
  const authorKeys = new Map([...authors].map(([author, signer]) => [author, signer.publicKey]));
  const open = () =>
    startExchange({
      store: options.exchangeStore ?? { engine: 'sqlite', file: join(dir, 'exchange.db') },
      origin: ORIGIN,
      logSigner: keys.log,
      policyText,
      authorKeys,
      minPublishIntervalMs: options.minPublishIntervalMs ?? 200,
      ...(options.clearingTickMs === undefined ? {} : { clearingTickMs: options.clearingTickMs }),
      operatorToken: options.operatorToken,
      now,
      publishTickMs: 1000,
      ...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
    });
  const stack: Stack = {
    dir,
    keys,
    witnesses,
    exchange: await open(),
    policyText,
    policy,
    writers: new Map([...authors].map(([author, signer]) => [author, new AuthorWriter(author, ORIGIN, signer.seed)])),
    clock,
    async restartExchange() {
      await stack.exchange.close();
      stack.exchange = await open();
    },
    async close() {
      await stack.exchange.close();
      for (const witness of witnesses.values()) await witness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** The `seen` an author puts in its entry: the exchange's latest witnessed checkpoint. */
export async function latestSeen(url: string): Promise<SeenCheckpoint> {
  const response = await fetch(`${url}/checkpoint`);
  if (response.status !== 200) return { size: 0, root: toBase64(EMPTY_ROOT) };
  const note = parseNote(await response.text());
  if (!note.ok) throw new Error(note.error.message);
  const checkpoint = parseCheckpoint(note.value.text);
  if (!checkpoint.ok) throw new Error(checkpoint.error.message);
  return { size: checkpoint.value.size, root: toBase64(checkpoint.value.root) };
}

export async function postEntry(url: string, bytes: Uint8Array, wait = false): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/entries${wait ? '?wait=1' : ''}`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A request filed, acknowledged and granted on condition of reciprocity: one leg for clearing. */
export function conditionalGrant(id: string, requesting: string, requested: string, at: number): AnyDomainEntry[] {
  const body = { request: id, requested, kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: new Date((at - 365 * 86_400) * 1000).toISOString().slice(0, 10) };
  return [
    { author: requesting, time: at, type: 'request.file', body },
    { author: requested, time: at + 60, type: 'request.acknowledge', body: { request: id } },
    { author: requested, time: at + 120, type: 'request.decide', body: { request: id, decision: 'grant-conditional', onReciprocity: true, approvers: ['approver-1', 'approver-2'] } },
  ] as unknown as AnyDomainEntry[];
}

export interface Submitted {
  readonly bytes: Uint8Array;
  readonly body: Record<string, unknown>;
}

/**
 * Signs each domain entry as its author (chain and `seen` from the exchange's latest
 * checkpoint) and submits it, the shared clock moved to its time first (the exchange checks
 * entry times against its clock and the witnessed time); the last one with `?wait=1` when
 * asked. Throws, naming the entry, on the first refusal.
 */
export async function submitEntries(stack: Stack, entries: readonly AnyDomainEntry[], options: { waitForLast?: boolean } = {}): Promise<Submitted[]> {
  const out: Submitted[] = [];
  for (const [position, domain] of entries.entries()) {
    const writer = stack.writers.get(domain.author)!;
    stack.clock.advanceTo(domain.time);
    const signed = writer.sign(domain, await latestSeen(stack.exchange.url));
    const response = await postEntry(stack.exchange.url, signed.bytes, options.waitForLast === true && position === entries.length - 1);
    if (response.status !== 201) throw new Error(`entry ${position} (${domain.type} by ${domain.author}): ${response.status} ${JSON.stringify(response.body)}`);
    writer.commit(signed);
    out.push({ bytes: signed.bytes, body: response.body });
  }
  return out;
}
