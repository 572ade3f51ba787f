import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeConfigSchema, gatewayConfigSchema, readConfig, witnessConfigSchema } from '../src/config/service-config.ts';
import { REPO_ROOT } from './run-cli.ts';

/**
 * The deployment examples that docs/deploying.md walks through are valid configurations, and
 * a config that gets TLS, the log level or the trusted proxies wrong is refused with the
 * field named (issue 16).
 */
describe('service configuration files', () => {
  const examples = join(REPO_ROOT, 'examples', 'deploy');

  it('accepts every example of docs/deploying.md, resolving the TLS and CA files against the config\'s folder', () => {
    const exchange = readConfig(join(examples, 'exchange.json'), exchangeConfigSchema, ['caFile']);
    assert.deepEqual(exchange.tls, { certFile: join(examples, 'tls/exchange.pem'), keyFile: join(examples, 'tls/exchange.key') });
    assert.equal(exchange.caFile, join(examples, 'tls/witnesses-ca.pem'));
    const gateway = readConfig(join(examples, 'gateway-us.json'), gatewayConfigSchema, ['caFile']);
    assert.deepEqual([gateway.trustedProxies, gateway.behindTlsProxy, gateway.logLevel], [['10.0.0.2'], true, 'info']);
    const witness = readConfig(join(examples, 'witness-ch.json'), witnessConfigSchema, []);
    assert.equal(witness.logLevel, 'warn');
  });

  it('refuses a trusted proxy that is not an address or a range, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evenhand-config-'));
    try {
      const file = join(dir, 'gateway.json');
      const base = JSON.parse(readFileSync(join(examples, 'gateway-us.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...base, trustedProxies: ['10.0.0.0/24', '::1', 'proxy.internal', '10.0.0.0/33'] }));
      assert.throws(() => readConfig(file, gatewayConfigSchema, []), (error: Error) => /trustedProxies\[2\]: an IP address or a CIDR range/.test(error.message) && /trustedProxies\[3\]/.test(error.message) && !/trustedProxies\[[01]\]/.test(error.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong log level, a TLS section without its key, and an unknown field, naming each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evenhand-config-'));
    try {
      const file = join(dir, 'witness.json');
      writeFileSync(file, JSON.stringify({ name: 'CH', keyFile: 'k', logs: [{ origin: 'o', vkey: 'v' }], store: { engine: 'sqlite', file: 'w.db' }, port: 1, logLevel: 'loud', tls: { certFile: 'c.pem' }, secureCookies: true }));
      assert.throws(() => readConfig(file, witnessConfigSchema, []), (error: Error) => /logLevel/.test(error.message) && /tls\.keyFile/.test(error.message) && /secureCookies/.test(error.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
