import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenario2021 } from '@evenhand/core';
import { formatVerifierKey, fromBase64, parseCheckpoint, parseNote, verifierOf, verifyConsistency, type Checkpoint } from '@evenhand/log';
import { prepareDemo, type DemoState } from '../src/demo/demo-setup.ts';
import { GatewayClient } from '../src/demo/gateway-client.ts';
import { seedScenario, username } from '../src/demo/seed-scenario.ts';
import { readTreatyFile } from '../src/read-treaty.ts';
import { defaultTreatyPath } from '../src/paths.ts';
import { ensureBuilt, freePort, waitFor } from '@evenhand/testing';
import { ServiceProcess } from './service-process.ts';

/**
 * The services as separate OS processes on loopback, as in production: the neutral witness,
 * the exchange and the two gateways, each started by `evenhand <service> serve --config` from
 * the built output, as installed (issue 16), not through tsx. The exchange is killed with
 * SIGKILL in the middle of a burst of filings and restarted.
 */


async function checkpointOf(url: string): Promise<Checkpoint> {
  const note = parseNote(await (await fetch(`${url}/checkpoint`)).text());
  assert.ok(note.ok);
  const checkpoint = parseCheckpoint(note.value.text);
  assert.ok(checkpoint.ok);
  return checkpoint.value;
}

describe('the services as separate processes, with the exchange killed mid-burst', () => {
  let dir: string;
  let demo: DemoState;
  let exchange: ServiceProcess;
  const services: ServiceProcess[] = [];
  const urls = new Map<string, string>();

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'evenhand-processes-'));
    const [exchangePort, witnessPort, usPort, ruPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    demo = await prepareDemo(dir, readTreatyFile(defaultTreatyPath()), [], { exchange: exchangePort, witness: witnessPort, gateways: { US: usPort, RU: ruPort } });
    urls.set('exchange', `http://127.0.0.1:${exchangePort}`);
    writeFileSync(join(dir, 'treaty-with-keys.json'), JSON.stringify(demo.treaty));
    const config = (name: string, value: unknown) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(value, null, 2));
      return file;
    };
    const witness = new ServiceProcess('witness', ['witness', 'serve', '--config', config('witness', { name: 'CH', keyFile: 'keys/ch-witness.key', logs: [{ origin: demo.origin, vkey: formatVerifierKey(verifierOf(demo.logSigner)) }], store: { engine: 'sqlite', file: 'witness-ch.db' }, port: witnessPort })]);
    exchange = new ServiceProcess('exchange', ['exchange', 'serve', '--config', config('exchange', { treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', logKeyFile: 'keys/exchange-log.key', operatorTokenFile: 'keys/exchange-operator.token', minPublishIntervalMs: 200, store: { engine: 'sqlite', file: 'exchange.db' }, port: exchangePort })]);
    const sealRecipients = Object.fromEntries(demo.parties.map((party) => [party.id, party.sealPublicJwk]));
    const gateways = demo.parties.map((party) => {
      const port = party.id === 'US' ? usPort : ruPort;
      urls.set(party.id, `http://127.0.0.1:${port}`);
      const lower = party.id.toLowerCase();
      return new ServiceProcess(`${party.id} gateway`, ['gateway', 'serve', '--config', config(`gateway-${lower}`, {
        party: party.id, treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', exchangeUrl: urls.get('exchange'),
        entryKeyFile: `keys/${lower}-entry.key`, sealKeyFile: `keys/${lower}-seal.jwk`, witnessKeyFile: `keys/${lower}-witness.key`,
        sealRecipients, mirrorIntervalMs: 200, store: { engine: 'sqlite', file: `gateway-${lower}.db` }, port,
      })]);
    });
    for (const service of [witness, exchange, ...gateways]) {
      await service.start();
      services.push(service);
    }
  });

  after(async () => {
    for (const service of services.reverse()) await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a present-day history end to end, then keeps every acknowledged entry across a SIGKILL of the exchange', async () => {
    // Separate processes each keep the machine's clock, and every entry is dated by it (no
    // service takes another date): the 2021 scenario's acts that hold today, in its order.
    // (The incidents its filings name are registered first: a filing naming an unknown one is refused.)
    const present = new Set(['treaty.propose', 'treaty.ratify', 'incident.register', 'request.file', 'request.acknowledge']);
    const entries = scenario2021(demo.treaty, Math.floor(Date.now() / 1000)).filter((entry) => present.has(entry.type));
    const states = new Map(demo.parties.map((party) => [party.id, { party: party.id, url: urls.get(party.id)!, logins: demo.logins }]));
    const exchangeUrl = urls.get('exchange')!;
    // The gateways also publish their transport keys (issue 17): the seeding waits for the log as it is.
    await seedScenario(entries, states, undefined, () => undefined, async () => ((await (await fetch(`${exchangeUrl}/v1/health`)).json()) as { size: number }).size);
    const before = await checkpointOf(exchangeUrl);
    assert.ok(before.size >= entries.length, `the log holds the ${entries.length} acts and the gateways' transport keys, found ${before.size}`);

    const seeded = ((await (await fetch(`${exchangeUrl}/v1/health`)).json()) as { size: number }).size;
    // A burst of filings from the US clerk; the exchange is killed while they are in flight.
    const clerk = await GatewayClient.login(urls.get('US')!, username('US', 'clerk'), demo.logins.get(username('US', 'clerk'))!);
    const file = (n: number) =>
      clerk.post<{ index: number }>('/api/requests', {
        request: `BURST-${n}`, requested: 'RU', kind: 'extradition', purpose: 'prosecution',
        subject: { pseudonym: `burst-${n}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['laundering'], offenceDate: '2025-01-01',
      });
    // Many more than can be acknowledged before the kill, so that the kill always lands mid-burst.
    const burst = Array.from({ length: 200 }, (_, n) => file(n).then((answer) => ({ n, ok: true as const, index: answer.index }), (error: Error) => ({ n, ok: false as const, error: error.message })));
    // Counted from the log as seeded, which holds the gateways' transport keys too (issue 17).
    await waitFor('some filings acknowledged', async () => ((await (await fetch(`${exchangeUrl}/v1/health`)).json()) as { size: number }).size > seeded + 3 || undefined);
    await exchange.stop('SIGKILL');
    const outcomes = await Promise.all(burst);
    const acknowledged = outcomes.filter((outcome) => outcome.ok);
    assert.ok(acknowledged.length >= 3, `${acknowledged.length} filings were acknowledged before the kill`);
    assert.ok(outcomes.some((outcome) => !outcome.ok), 'the kill interrupted the burst');

    await exchange.start();
    // Before it listened, the restarted exchange said what it replays (issue 14); the first
    // start, on an empty store, replayed nothing and said nothing. This log is far shorter than
    // a snapshot's interval, so none was written.
    assert.match(exchange.output, /exchange: replaying the whole log, [\d,]+ entries, each checked and applied\n/);
    // Every page of the requests at the restarted exchange's head, witnessed or not yet.
    const head = ((await (await fetch(`${exchangeUrl}/v1/health`)).json()) as { size: number }).size;
    const stored = new Set<string>();
    for (let after = ''; ; ) {
      const page = (await (await fetch(`${exchangeUrl}/v1/requests?size=${head}&after=${after}`)).json()) as { items: { id: string }[]; next: string | null };
      for (const request of page.items) stored.add(request.id);
      if (page.next === null) break;
      after = page.next;
    }
    for (const outcome of acknowledged) assert.ok(stored.has(`BURST-${outcome.n}`), `acknowledged BURST-${outcome.n} survived the crash`);

    // After a filing that needs a new checkpoint, it is consistent with the one before the crash.
    await file(1000);
    const after = await waitFor('a checkpoint after the restart', async () => {
      const checkpoint = await checkpointOf(exchangeUrl);
      return checkpoint.size > before.size + acknowledged.length ? checkpoint : undefined;
    });
    const proof = (await (await fetch(`${exchangeUrl}/v1/proof/consistency?old=${before.size}&new=${after.size}`)).json()) as { proof: string[] };
    assert.ok(verifyConsistency(before.size, after.size, proof.proof.map((line) => fromBase64(line)!), before.root, after.root).ok);

    // Both gateways replay the same log and recompute the exchange's statistics. The log may
    // still grow (a gateway resubmits a filing the crash cut off), so compare at one size:
    // the gateways mirror witnessed checkpoints, the exchange counts every durable entry.
    const observers = await Promise.all(demo.parties.map((party) => GatewayClient.login(urls.get(party.id)!, username(party.id, 'observer'), demo.logins.get(username(party.id, 'observer'))!)));
    const agreed = await waitFor('the gateways and the exchange at one size', async () => {
      const exchangeView = (await (await fetch(`${exchangeUrl}/v1/statistics`)).json()) as { size: number; pairs: unknown };
      const views = await Promise.all(observers.map((observer) => observer.get<{ size: number; pairs: unknown }>('/api/statistics')));
      return exchangeView.size >= after.size && views.every((view) => view.size === exchangeView.size) ? { exchangeView, views } : undefined;
    });
    for (const view of agreed.views) assert.deepEqual(view.pairs, agreed.exchangeView.pairs);
  });

  it('runs a clearing round for the bearer of the operator token in its config, and for nobody else', async () => {
    const run = (headers: Record<string, string>) => fetch(`${urls.get('exchange')!}/v1/clearing/run`, { method: 'POST', headers });
    const refused = await run({});
    assert.equal(refused.status, 401, await refused.text());
    const answer = await run({ authorization: `Bearer ${demo.operatorToken}` });
    const body = (await answer.json()) as { round?: string; recorded?: unknown };
    assert.equal(answer.status, 200, JSON.stringify(body));
    assert.match(body.round ?? '', /^round-\d+$/);
    assert.equal(typeof body.recorded, 'number', JSON.stringify(body));
  });
});
