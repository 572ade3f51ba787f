import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVerifierKey, verifierOf } from '@evenhand/log';
import { trustCertificates } from '@evenhand/server';
import { ensureBuilt, freePort, requirement, waitFor } from '@evenhand/testing';
import { prepareDemo, type DemoState } from '../src/demo/demo-setup.ts';
import { localCertificates, opensslMissing, type LocalCertificates } from '../src/demo/demo-tls.ts';
import { GatewayClient } from '../src/demo/gateway-client.ts';
import { readTreatyFile } from '../src/read-treaty.ts';
import { defaultTreatyPath } from '../src/paths.ts';
import { ServiceProcess } from './service-process.ts';
import { runCliAsync } from './run-cli.ts';

/**
 * Issue 16, "TLS" and "logs and metrics", with every service a separate process started from
 * its config file: each serves HTTPS from a certificate a test CA issued for 127.0.0.1, and
 * each client (gateway → exchange, exchange → witnesses, verify → exchange) trusts that CA
 * only because its config or `--ca` names it. The gateways' cookies are Secure; RU's gateway
 * believes X-Forwarded-For from its named proxy and US's from nobody; requests are logged as
 * JSON lines without query strings; /metrics answers in Prometheus's format.
 */



const openssl = requirement('openssl', opensslMissing());

describe('the services over HTTPS, as separate processes (issue 16)', { skip: openssl.skip }, () => {
  let dir: string;
  let demo: DemoState;
  let certs: LocalCertificates;
  const services = new Map<string, ServiceProcess>();
  const urls = new Map<string, string>();

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'evenhand-tls-'));
    certs = localCertificates(join(dir, 'tls'));
    const [exchangePort, witnessPort, usPort, ruPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    // Every address in the policy and the treaty (the witnesses the exchange posts to) is HTTPS.
    demo = await prepareDemo(dir, readTreatyFile(defaultTreatyPath()), [], { exchange: exchangePort, witness: witnessPort, gateways: { US: usPort, RU: ruPort } }, 'https');
    writeFileSync(join(dir, 'treaty-with-keys.json'), JSON.stringify(demo.treaty));
    urls.set('exchange', `https://127.0.0.1:${exchangePort}`);
    const transport = { tls: { certFile: 'tls/server.pem', keyFile: 'tls/server.key' }, caFile: 'tls/ca.pem', logLevel: 'info' };
    const config = (name: string, value: object) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...value, ...transport }, null, 2));
      return file;
    };
    services.set('witness', new ServiceProcess('witness', ['witness', 'serve', '--config', config('witness', { name: 'CH', keyFile: 'keys/ch-witness.key', logs: [{ origin: demo.origin, vkey: formatVerifierKey(verifierOf(demo.logSigner)) }], store: { engine: 'sqlite', file: 'witness-ch.db' }, port: witnessPort })]));
    services.set('exchange', new ServiceProcess('exchange', ['exchange', 'serve', '--config', config('exchange', { treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', logKeyFile: 'keys/exchange-log.key', minPublishIntervalMs: 200, store: { engine: 'sqlite', file: 'exchange.db' }, port: exchangePort })]));
    const sealRecipients = Object.fromEntries(demo.parties.map((party) => [party.id, party.sealPublicJwk]));
    for (const party of demo.parties) {
      const port = party.id === 'US' ? usPort : ruPort;
      urls.set(party.id, `https://127.0.0.1:${port}`);
      const lower = party.id.toLowerCase();
      services.set(party.id, new ServiceProcess(`${party.id} gateway`, ['gateway', 'serve', '--config', config(`gateway-${lower}`, {
        party: party.id, treatyFile: 'treaty-with-keys.json', policyFile: 'policy.txt', exchangeUrl: urls.get('exchange'),
        entryKeyFile: `keys/${lower}-entry.key`, sealKeyFile: `keys/${lower}-seal.jwk`, witnessKeyFile: `keys/${lower}-witness.key`,
        sealRecipients, mirrorIntervalMs: 200, store: { engine: 'sqlite', file: `gateway-${lower}.db` }, port,
        // RU's gateway sits behind a proxy on this machine; US's behind none.
        ...(party.id === 'RU' ? { trustedProxies: ['127.0.0.1'] } : {}),
      })]));
    }
    for (const service of services.values()) await service.start();
    // This test process is a client too (an official's browser, a journalist's verify).
    trustCertificates(certs.ca);
  });

  after(async () => {
    for (const service of [...services.values()].reverse()) await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adopts the treaty through both gateways over HTTPS: each gateway reaches the exchange, and the exchange every witness, trusting the CA its config names', async () => {
    const treaty = JSON.parse(readFileSync(join(dir, 'treaty-with-keys.json'), 'utf8')) as { id: string; version: number };
    const us = await GatewayClient.login(urls.get('US')!, 'us-approver-1', demo.logins.get('us-approver-1')!);
    const ru = await GatewayClient.login(urls.get('RU')!, 'ru-approver-1', demo.logins.get('ru-approver-1')!);
    await us.post('/api/treaty/propose', { treaty });
    for (const official of [us, ru]) await official.post('/api/treaty/ratify', { treaty: treaty.id, version: treaty.version });
    // Witnessed by CH and both gateways' witnesses over HTTPS, then verified by each mirror.
    await waitFor('both mirrors verify the adopted treaty', async () => {
      const views = await Promise.all([us, ru].map((official) => official.get<{ treaty?: { id: string } }>('/api/treaty')));
      return views.every((view) => view.treaty?.id === treaty.id);
    }, 60_000);
  });

  it('sets Secure on the session cookie of a gateway serving HTTPS', async () => {
    const answer = await fetch(`${urls.get('US')}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-clerk', password: demo.logins.get('us-clerk') }) });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('set-cookie') ?? '', /;\s*Secure/i);
  });

  it('verify reads the log over HTTPS with --ca, and refuses the server without it', async () => {
    const common = ['verify', '--log', urls.get('exchange')!, '--policy', join(dir, 'policy.txt'), '--as', 'US', '--mirror', join(dir, 'verify-mirror'), '--evidence', join(dir, 'evidence'), '--no-progress'];
    const trusted = await runCliAsync([...common, '--ca', certs.ca, '--state', join(dir, 'verify-a.json')]);
    assert.equal(trusted.status, 0, trusted.stderr);
    const untrusted = await runCliAsync([...common, '--state', join(dir, 'verify-b.json')]);
    assert.equal(untrusted.status, 2, untrusted.stdout);
    assert.match(untrusted.stderr, /certificate|fetch failed/i);
  });

  it('logs each request as a JSON line by path, without its query; takes the client address from X-Forwarded-For only from a trusted proxy', async () => {
    for (const party of ['US', 'RU']) {
      await fetch(`${urls.get(party)}/api/requests?q=Ivan%20Placeholder`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    }
    const logged = (party: string) => services.get(party)!.logLines().map((line) => line.req as { path?: string; peer?: string } | undefined).filter((req) => req?.path === '/api/requests');
    await waitFor('the requests in both gateways\' logs', async () => logged('US').length > 0 && logged('RU').length > 0, 10_000);
    assert.equal(logged('RU')[0]!.peer, '203.0.113.7', 'RU believes its proxy');
    assert.equal(logged('US')[0]!.peer, '127.0.0.1', 'US believes no header');
    for (const service of services.values()) assert.doesNotMatch(service.output, /Ivan|Placeholder|evenhand_session=/, `${service.name} logs no query string or cookie`);
  });

  it('answers /metrics in Prometheus text format, with requests by route template and the log\'s size', async () => {
    const exchange = await (await fetch(`${urls.get('exchange')}/metrics`)).text();
    assert.match(exchange, /^evenhand_log_entries\{service="exchange"\} [1-9]\d*$/m);
    assert.match(exchange, /^evenhand_http_requests_total\{method="POST",route="\/v1\/entries",status="201",service="exchange"\} [1-9]/m);
    const gateway = await (await fetch(`${urls.get('US')}/metrics`)).text();
    assert.match(exchange, /^evenhand_checkpoint_age_seconds\{service="exchange"\} \d+$/m);
    assert.match(exchange, /^evenhand_witness_lag_entries\{witness="CH",service="exchange"\} \d+$/m);
    assert.match(gateway, /^evenhand_mirror_verified_size\{service="gateway-US"\} [1-9]\d*$/m);
    assert.match(gateway, /^evenhand_sessions_open\{service="gateway-US"\} [1-9]\d*$/m, 'the officials logged in above');
    assert.match(gateway, /^evenhand_mirror_checkpoint_age_seconds\{service="gateway-US"\} \d+$/m);
    assert.match(gateway, /route="\/api\/requests\/:id"|route="\/api\/login"/);
  });
});
