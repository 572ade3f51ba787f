import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { scenario2021 } from '@evenhand/core';
import { formatVerifierKey, verifierOf } from '@evenhand/log';
import { trustCertificates } from '@evenhand/server';
import { ensureBuilt, requirement, waitFor } from '@evenhand/testing';
import { prepareDemo, type DemoState } from '../src/demo/demo-setup.ts';
import { localCertificates, opensslMissing } from '../src/demo/demo-tls.ts';
import { GatewayClient } from '../src/demo/gateway-client.ts';
import { seedScenario, username } from '../src/demo/seed-scenario.ts';
import { readTreatyFile } from '../src/read-treaty.ts';
import { defaultTreatyPath } from '../src/paths.ts';
import { ServiceProcess } from './service-process.ts';
import { networkNamespacesMissing, TestNetwork } from './test-network.ts';

/**
 * Issue 16, "separate hosts": the exchange (on PostgreSQL), the neutral witness and the US and
 * RU gateways, each a process in its own network namespace, with addresses of our own and
 * HTTPS between them. The 2021 scenario crosses them; then RU's link is cut for 30 s while
 * the US files and RU's officials work offline on their own premises (RU's office link).
 * Once it is back, nothing acknowledged is lost, both gateways stand on one cosigned
 * checkpoint, and every party computes the same deadlines.
 */

const PORT = 8443;
/** How long RU's link stays cut (the 30 s). */
const CUT_MS = 30_000;

const missing = networkNamespacesMissing() ?? (opensslMissing() ? `${opensslMissing()}` : undefined) ?? (process.env.EVENHAND_PG_SOCKET_URL ? undefined : 'EVENHAND_PG_SOCKET_URL is not set (source .ci/postgres.sh to start PostgreSQL)');
const hosts = requirement('separate hosts (network namespaces, openssl, PostgreSQL)', missing);

interface Health {
  readonly checkpoint: { readonly size: number; readonly root: string; readonly cosigners: readonly { readonly witness: string }[] } | null;
  readonly alarms: readonly { readonly code: string }[];
}
type Obligation = { request?: string; trade?: string; kind: string; party: string; due: number; leg?: number };
const obligationKey = (item: Obligation) => `${item.request ?? item.trade}|${item.kind}|${item.party}|${item.leg ?? ''}|${item.due}`;

describe('the services on separate hosts, with RU cut off for 30 s (issue 16)', { skip: hosts.skip, timeout: 15 * 60_000 }, () => {
  const network = new TestNetwork();
  const services: ServiceProcess[] = [];
  const schema = `evenhand_netns_${process.pid}`;
  let dir: string;
  let demo: DemoState;
  let exchangeUrl: string;
  /** Where this test reaches each gateway: US over the WAN, RU from its office. */
  const gatewayUrls = new Map<string, string>();
  const login = (party: string, role: string) => GatewayClient.login(gatewayUrls.get(party)!, username(party, role), demo.logins.get(username(party, role))!);
  const exchangeSize = async () => ((await (await fetch(`${exchangeUrl}/v1/health`)).json()) as { size: number }).size;

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'evenhand-hosts-'));
    network.create(['exchange', 'witness', 'us', 'ru'], ['ru']);
    const address = (name: string) => network.host(name).address;
    demo = await prepareDemo(dir, readTreatyFile(defaultTreatyPath()), [], { exchange: PORT, witness: PORT, gateways: { US: PORT, RU: PORT } }, 'https', {
      exchange: address('exchange'), witness: address('witness'), gateways: { US: address('us'), RU: address('ru') },
    });
    const certs = localCertificates(join(dir, 'tls'), [...[...network.hosts.values()].map((host) => host.address), network.host('ru').officeAddress!]);
    writeFileSync(join(dir, 'treaty-with-keys.json'), JSON.stringify(demo.treaty));
    exchangeUrl = `https://${address('exchange')}:${PORT}`;
    gatewayUrls.set('US', `https://${address('us')}:${PORT}`);
    gatewayUrls.set('RU', `https://${network.host('ru').officeAddress}:${PORT}`);

    const admin = new pg.Client({ connectionString: process.env.EVENHAND_PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();

    // Each service listens on every address of its own host; its clients trust the test CA only.
    const common = { tls: { certFile: 'tls/server.pem', keyFile: 'tls/server.key' }, caFile: 'tls/ca.pem', host: '0.0.0.0', port: PORT, logLevel: 'warn' };
    const config = (name: string, value: object) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...value, ...common }, null, 2));
      return file;
    };
    services.push(new ServiceProcess('witness', ['witness', 'serve', '--config', config('witness', { name: 'CH', keyFile: 'keys/ch-witness.key', logs: [{ origin: demo.origin, vkey: formatVerifierKey(verifierOf(demo.logSigner)) }], store: { engine: 'sqlite', file: 'witness-ch.db' } })], network.on('witness')));
    services.push(new ServiceProcess('exchange', ['exchange', 'serve', '--config', config('exchange', { treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', logKeyFile: 'keys/exchange-log.key', minPublishIntervalMs: 200, store: { engine: 'postgres', url: process.env.EVENHAND_PG_SOCKET_URL, schema } })], network.on('exchange')));
    const sealRecipients = Object.fromEntries(demo.parties.map((party) => [party.id, party.sealPublicJwk]));
    for (const party of demo.parties) {
      const lower = party.id.toLowerCase();
      services.push(new ServiceProcess(`${party.id} gateway`, ['gateway', 'serve', '--config', config(`gateway-${lower}`, {
        party: party.id, treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', exchangeUrl,
        entryKeyFile: `keys/${lower}-entry.key`, sealKeyFile: `keys/${lower}-seal.jwk`, witnessKeyFile: `keys/${lower}-witness.key`,
        sealRecipients, mirrorIntervalMs: 250, store: { engine: 'sqlite', file: `gateway-${lower}.db` },
      })], network.on(lower)));
    }
    for (const service of services) await service.start();
    // This test process is the officials' browsers and a journalist's client.
    trustCertificates(certs.ca);
  });

  // Each step of the cleanup runs whatever the one before it did (stops are bounded to 10 s).
  after(async () => {
    try {
      for (const service of [...services].reverse()) await service.stop();
    } finally {
      network.destroy();
      try {
        if (process.env.EVENHAND_PG_URL) {
          const admin = new pg.Client({ connectionString: process.env.EVENHAND_PG_URL });
          await admin.connect();
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
        }
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  /** One observer session per state, for every poll: the gateway allows 10 logins a minute per address and name. */
  const observers = new Map<string, GatewayClient>();
  const observer = async (party: string) => {
    const open = observers.get(party) ?? (await login(party, 'observer'));
    observers.set(party, open);
    return open;
  };

  /**
   * Waits until both gateways verified the exchange's current size, then checks that they
   * stand on one root, cosigned by both states and the neutral witness (asserted after the
   * wait, so that a mismatch fails with its own message rather than as a timeout).
   */
  const converged = async (atLeast: number) => {
    const { size, healths } = await waitFor(`both gateways at the exchange's size, at least ${atLeast} entries`, async () => {
      const size = await exchangeSize();
      if (size < atLeast) return undefined;
      const healths = await Promise.all(['US', 'RU'].map(async (party) => (await observer(party)).get<Health>('/api/log-health')));
      return healths.every((health) => health.checkpoint?.size === size) ? { size, healths } : undefined;
    }, 120_000);
    const [us, ru] = healths.map((health) => health.checkpoint!);
    assert.equal(us!.root, ru!.root, `one root at size ${size}`);
    for (const checkpoint of [us!, ru!]) assert.deepEqual(checkpoint.cosigners.map((entry) => entry.witness).sort(), ['CH', 'RU', 'US']);
    return { size, healths };
  };

  it('carries the 2021 scenario from host to host over HTTPS', async () => {
    const present = new Set(['treaty.propose', 'treaty.ratify', 'incident.register', 'request.file', 'request.acknowledge']);
    const entries = scenario2021(demo.treaty, Math.floor(Date.now() / 1000)).filter((entry) => present.has(entry.type));
    const states = new Map(demo.parties.map((party) => [party.id, { party: party.id, url: gatewayUrls.get(party.id)!, logins: demo.logins }]));
    await seedScenario(entries, states, undefined, () => undefined, exchangeSize);
    await converged(entries.length);
    // Both states see the scenario's requests from their own replays.
    // A page of 200 holds them all; the list gives no count (issue 14: counting is a walk of every request).
    const seen = await Promise.all(['US', 'RU'].map(async (party) => (await observer(party)).get<{ items: unknown[]; next: string | null }>('/api/requests?limit=200')));
    const filings = entries.filter((entry) => entry.type === 'request.file').length;
    for (const page of seen) assert.deepEqual([page.items.length, page.next], [filings, null]);
  });

  it('keeps every acknowledged act through a 30 s cut of RU\'s link, and converges on one checkpoint and the same deadlines', async () => {
    const ruClerk = await login('RU', 'clerk');
    const ruApprover1 = await login('RU', 'approver-1');
    const ruApprover2 = await login('RU', 'approver-2');
    const usClerk = await login('US', 'clerk');
    // A US request that RU has acknowledged and may now decide, as RU's first approver sees it.
    const incoming = await ruApprover1.get<{ items: { id: string; requested: string; status: string }[] }>('/api/requests?direction=incoming&limit=200');
    type Acts = { acts: { available: { type: string; variants: { params: Record<string, unknown>; availableFrom?: number; sealedRequired?: boolean }[]; sealed?: { name: string; required: boolean } }[] } };
    let decision: { request: string; params: Record<string, unknown> } | undefined;
    for (const item of incoming.items) {
      const detail = await ruApprover1.get<Acts>(`/api/requests/${encodeURIComponent(item.id)}`);
      const act = detail.acts.available.find((candidate) => candidate.type === 'request.decide');
      const variant = act?.variants.find((candidate) => candidate.availableFrom === undefined);
      if (act && variant) {
        const sealed = act.sealed && (act.sealed.required || variant.sealedRequired) ? { [act.sealed.name]: 'Decided while the link was cut (separate-hosts test).' } : {};
        decision = { request: item.id, params: { ...variant.params, ...sealed } };
        break;
      }
    }
    assert.ok(decision, 'RU has an incoming request it may decide now');
    const sizeBefore = await exchangeSize();

    const cutAt = Date.now();
    network.cut('ru');
    // The US files while RU is away: each filing acknowledged by the exchange with its index.
    const filed: { id: string; index: number }[] = [];
    for (let n = 0; n < 3; n++) {
      const id = `US-CUT-${n}`;
      const answer = await usClerk.post<{ index: number }>('/api/requests', {
        request: id, requested: 'RU', kind: 'extradition', purpose: 'prosecution',
        subject: { pseudonym: `cut-${n}`, nationalities: ['UA'], ageAtOffence: 31 }, offences: ['laundering'], offenceDate: '2025-03-01',
      });
      filed.push({ id, index: answer.index });
    }
    // RU's officials work from their office: a draft saved, a decision proposed for the
    // second approver, both kept in RU's gateway. An act that needs the exchange is refused
    // with a reason, and nothing of it is kept half-done.
    const draft = await ruClerk.post<{ id: string }>('/api/drafts', {
      request: 'RU-CUT-0', requested: 'US', kind: 'extradition', purpose: 'prosecution',
      subject: { pseudonym: 'cut-ru', nationalities: ['UA'], ageAtOffence: 29 }, offences: ['ransomware-extortion'], offenceDate: '2025-02-01',
    });
    const proposed = await ruApprover1.post<{ proposal: { id: string } }>(`/api/requests/${encodeURIComponent(decision.request)}/decision-proposals`, decision.params);
    await assert.rejects(
      ruClerk.post('/api/requests', { request: 'RU-CUT-1', requested: 'US', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'cut-ru-1', nationalities: ['UA'], ageAtOffence: 29 }, offences: ['laundering'], offenceDate: '2025-02-01' }),
      /EXCHANGE_UNREACHABLE/,
    );
    const ruObserver = await observer('RU');
    await waitFor('RU\'s gateway to say the exchange is unreachable', async () => (await ruObserver.get<Health>('/api/log-health')).alarms.some((alarm) => alarm.code === 'EXCHANGE_UNREACHABLE') || undefined, CUT_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutAt + CUT_MS - Date.now())));
    network.restore('ru');
    // RU's officials act again once their log-health screen says the exchange answers.
    await waitFor('RU\'s gateway to reach the exchange again', async () => !(await ruObserver.get<Health>('/api/log-health')).alarms.some((alarm) => alarm.code === 'EXCHANGE_UNREACHABLE') || undefined, 60_000);

    // Back online: RU files its draft and confirms its decision.
    await ruClerk.post(`/api/drafts/${encodeURIComponent(draft.id)}/file`, {});
    await ruApprover2.post(`/api/proposals/${encodeURIComponent(proposed.proposal.id)}/confirm`, {});
    const { size, healths } = await converged(sizeBefore + filed.length + 2);
    for (const health of healths) assert.ok(!health.alarms.some((alarm) => alarm.code === 'EXCHANGE_UNREACHABLE'), 'the alarm is cleared once the link is back');

    // Nothing acknowledged was lost: RU sees every US filing at the index it was acknowledged at.
    for (const { id, index } of filed) {
      assert.ok(index >= sizeBefore && index < size, `${id} was acknowledged at index ${index}, inside the checkpoint of ${size}`);
      const seen = await ruObserver.get<{ id: string }>(`/api/requests/${encodeURIComponent(id)}`);
      assert.equal(seen.id, id);
    }
    // What RU's officials did offline reached the US: the decision, and the draft RU filed.
    const usObserver = await observer('US');
    const decided = await usObserver.get<{ status: string }>(`/api/requests/${encodeURIComponent(decision.request)}`);
    assert.equal(decided.status, (await ruObserver.get<{ status: string }>(`/api/requests/${encodeURIComponent(decision.request)}`)).status);
    assert.match(decided.status, /^(granted|refused)/, `the decision RU confirmed after the cut is in the US's replay (status ${decided.status})`);
    assert.equal((await usObserver.get<{ id: string }>('/api/requests/RU-CUT-0')).id, 'RU-CUT-0');

    // The same deadlines everywhere: each gateway's own replay and the exchange's view at this size.
    const at = Math.floor(Date.now() / 1000);
    // Both lists come a page at a time (issue 14): every page is read, the exchange's at one size and instant.
    const everyPage = async (read: (after: string) => Promise<{ size: number; items: Obligation[]; next: string | null }>) => {
      const items: Obligation[] = [];
      for (let after = '', pages = 0; pages < 100; pages++) {
        const page = await read(after);
        items.push(...page.items);
        if (page.next === null) return { size: page.size, items };
        after = page.next;
      }
      throw new Error('more than 100 pages of obligations');
    };
    const exchangeView = await everyPage(async (after) => (await (await fetch(`${exchangeUrl}/v1/deadlines?size=${size}&at=${at}&limit=200&after=${after}`)).json()) as { size: number; items: Obligation[]; next: string | null });
    assert.equal(exchangeView.size, size);
    const keys = (items: readonly Obligation[]) => items.map(obligationKey).sort();
    for (const party of ['US', 'RU']) {
      const gateway = await observer(party);
      const own = await everyPage((after) => gateway.get(`/api/deadlines?limit=200&after=${after}`));
      assert.deepEqual(keys(own.items), keys(exchangeView.items), `${party}'s deadlines are the exchange's`);
    }
  });
});
