import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessionScenario, scenario2021, type Accession, type AnyDomainEntry, type Treaty } from '@evenhand/core';
import { verifierOf } from '@evenhand/log';
import { SimulatedClock, startExchange, startGateway, startWitness, trustCertificates, type RunningExchange, type RunningGateway, type RunningWitness } from '@evenhand/server';
import { countEntries, openStore } from '@evenhand/store';
import { prepareDemo, type DemoPorts } from './demo-setup.ts';
import { localCertificates } from './demo-tls.ts';
import { seedScenario, type StateOfficials } from './seed-scenario.ts';

/** The demo's services log only failures (a 500's cause, a failed round), so that its URLs and logins stay readable. */
const FAILURES_ONLY = { logLevel: 'error' } as const;

/** Whether a demo directory's services speak HTTP or HTTPS: fixed at its first run, since the witnesses' addresses are in its log. */
function schemeOf(dir: string, tls: boolean): 'http' | 'https' {
  const wanted = tls ? 'https' : 'http';
  const file = join(dir, 'scheme');
  const before = existsSync(file) ? readFileSync(file, 'utf8').trim() : existsSync(join(dir, 'exchange.db')) ? 'http' : undefined;
  if (before !== undefined && before !== wanted) {
    throw new Error(`${dir} holds a demo made ${before === 'https' ? 'with' : 'without'} --tls, and its witnesses' addresses are in its log: run it ${before === 'https' ? 'with' : 'without'} --tls, or start over with --fresh`);
  }
  return wanted;
}

export interface RunningDemo {
  readonly exchange: RunningExchange;
  readonly witness: RunningWitness;
  readonly gateways: ReadonlyMap<string, RunningGateway>;
  readonly logins: ReadonlyMap<string, string>;
  readonly policyFile: string;
  readonly operatorTokenFile: string;
  readonly seeded: number;
  /** The local CA the services' certificates chain to, with --tls. */
  readonly caFile?: string | undefined;
  close(): Promise<void>;
}

export interface DemoOptions {
  readonly dir: string;
  readonly fresh: boolean;
  readonly ports: DemoPorts;
  readonly treaty: Treaty;
  /** States that join the base treaty's parties by amendment, in order (--states beyond the treaty's). */
  readonly accessions?: readonly Accession[];
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** Serve everything over HTTPS with a local CA's certificates (demo-tls.ts). */
  readonly tls?: boolean;
}

/**
 * The format of the demo's data. A directory made by an older Evenhand whose log the current
 * rules no longer replay is moved aside, not reused and not deleted.
 */
const DEMO_FORMAT = '3';

/**
 * The whole mechanism on one machine (DESIGN.md "One process for a single machine"): the
 * neutral witness, the exchange, and one gateway per state with its embedded witness, on
 * embedded SQLite under `dir`. On a first run (or with `fresh`) it creates keys and
 * accounts and seeds the 2021 scenario, and each further state's accession, through the
 * gateways' HTTP API; a later run resumes. Every service runs on one simulated clock, which
 * the seeder moves to each act's date: the history is dated and checked exactly as in
 * production, with no time check switched off, and the clock then catches up with today.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const { dir, ports, log } = options;
  if (options.fresh) rmSync(dir, { recursive: true, force: true });
  setAsideOlderFormat(dir, log);
  mkdirSync(dir, { recursive: true });
  const scheme = schemeOf(dir, options.tls === true);
  const demo = await prepareDemo(dir, options.treaty, options.accessions ?? [], ports, scheme);
  writeFileSync(join(dir, 'format'), `${DEMO_FORMAT}\n`);
  // With --tls every service serves the local CA's certificate, and every call between them
  // (and the seeding officials' own) trusts that CA: nothing is switched off to make it work.
  const certificates = scheme === 'https' ? localCertificates(join(dir, 'tls')) : undefined;
  writeFileSync(join(dir, 'scheme'), `${scheme}\n`);
  if (certificates) trustCertificates(certificates.ca);
  const transport = certificates ? { ...FAILURES_ONLY, tls: { certFile: certificates.cert, keyFile: certificates.key } } : FAILURES_ONLY;
  const exchangeDb = join(dir, 'exchange.db');
  const existing = await countExisting(exchangeDb);
  const entries = existing === 0 ? demoEntries(demo.treaty, demo.amendments, options.now()) : [];
  // A minute before the first act, so that the log's first checkpoint follows it.
  const clock = new SimulatedClock(entries.length > 0 ? entries[0]!.time - 60 : undefined, { real: options.now });
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    const witness = await startWitness({ store: { engine: 'sqlite', file: join(dir, 'witness-ch.db') }, cosigner: demo.neutralWitness, logs: new Map([[demo.origin, [verifierOf(demo.logSigner)]]]), port: ports.witness, now: clock.now, transport });
    started.push(witness);
    const authorKeys = new Map<string, Uint8Array>([...demo.parties.map((party) => [party.id, party.entryPublicKey] as const), ['exchange', demo.logSigner.publicKey]]);
    const exchange = await startExchange({ store: { engine: 'sqlite', file: exchangeDb }, origin: demo.origin, logSigner: demo.logSigner, policyText: demo.policyText, authorKeys, operatorToken: demo.operatorToken, port: ports.exchange, now: clock.now, minPublishIntervalMs: 250, publishTickMs: 2000, transport });
    started.push(exchange);
    const sealRecipients = new Map(demo.parties.map((party) => [party.id, party.sealPublicJwk]));
    const gateways = new Map<string, RunningGateway>();
    for (const party of demo.parties) {
      const gateway = await startGateway({
        party: party.id,
        store: { engine: 'sqlite', file: party.database },
        origin: demo.origin,
        exchangeUrl: exchange.url,
        policyText: demo.policyText,
        ownWitness: party.id,
        entryKeyFile: party.entryKeyFile,
        sealKeyFile: party.sealKeyFile,
        sealRecipients,
        witnessCosigner: party.witness,
        mirrorIntervalMs: 250,
        port: ports.gateways[party.id]!,
        now: clock.now,
        sessionClock: options.now,
        transport,
      });
      started.push(gateway);
      gateways.set(party.id, gateway);
    }

    let seeded = 0;
    if (existing === 0) {
      const states = new Map<string, StateOfficials>([...gateways].map(([party, gateway]) => [party, { party, url: gateway.url, logins: demo.logins }]));
      const joined = demo.amendments.map((amendment) => amendment.party);
      log(`Seeding the 2021 scenario${joined.length > 0 ? ` and the accession of ${joined.join(', ')}` : ''}: ${entries.length} officials' actions, signed by the gateways and submitted to the exchange…`);
      await seedScenario(entries, states, clock, (done, total) => {
        if (done % 10 === 0 || done === total) log(`  ${done}/${total} entries`);
      }, () => exchange.sequencer.size);
      clock.catchUp();
      seeded = entries.length;
    } else {
      log(`Resuming the demo in ${dir}: the log already holds ${existing} entries (use --fresh to start over).`);
    }
    return { exchange, witness, gateways, logins: demo.logins, policyFile: join(dir, 'policy.txt'), operatorTokenFile: demo.operatorTokenFile, seeded, caFile: certificates?.ca, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The 2021 scenario, then each accession, in time order. */
function demoEntries(treaty: Treaty, amendments: readonly { party: string; treaty: Treaty }[], now: number): AnyDomainEntry[] {
  const entries = [...scenario2021(treaty, now), ...amendments.flatMap((amendment, index) => accessionScenario(amendment.treaty, amendment.party, now, index))];
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.time - b.entry.time || a.index - b.index).map(({ entry }) => entry);
}

function setAsideOlderFormat(dir: string, log: (line: string) => void): void {
  if (!existsSync(join(dir, 'exchange.db'))) return;
  const format = existsSync(join(dir, 'format')) ? readFileSync(join(dir, 'format'), 'utf8').trim() : '1';
  if (format === DEMO_FORMAT) return;
  const aside = `${dir}.format-${format}-${Date.now()}`;
  renameSync(dir, aside);
  log(`The demo data in ${dir} was made by an older Evenhand (format ${format}); it is kept in ${aside}, and the demo starts over.`);
}

async function countExisting(file: string): Promise<number> {
  const store = await openStore({ engine: 'sqlite', file });
  try {
    return await countEntries(store.db);
  } finally {
    await store.close();
  }
}
