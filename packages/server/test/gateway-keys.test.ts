import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORIGIN, scenarioKeys, scenarioPolicy } from '@evenhand/testing';
import { loadEntrySeed, loadSealKey } from '../src/gateway/key-files.ts';
import { KeyFileError, loadSignerKeyFile, loadTokenFile } from '../src/keys/secret-file.ts';
import { startGateway } from '../src/gateway/start-gateway.ts';

describe('the state’s key files', { skip: process.platform === 'win32' ? 'POSIX file modes only' : false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing key files with mode 0600 and reads them back unchanged', async () => {
    const entry = join(dir, 'entry.key');
    const seed = loadEntrySeed(entry);
    assert.equal(seed.length, 32);
    assert.equal(statSync(entry).mode & 0o777, 0o600);
    assert.deepEqual(loadEntrySeed(entry), seed, 'a second start reads the same key');
    const seal = join(dir, 'seal.jwk');
    const jwk = await loadSealKey(seal);
    assert.equal(statSync(seal).mode & 0o777, 0o600);
    assert.equal(jwk.crv, 'X25519');
    assert.deepEqual(await loadSealKey(seal), jwk);
  });

  it('creates a signed-note key file (log or witness key) in Go’s PRIVATE+KEY form, and refuses a loose or missing one', () => {
    const path = join(dir, 'witness.key');
    assert.throws(() => loadSignerKeyFile(path), (error: unknown) => error instanceof KeyFileError && /evenhand keygen/.test(error.message));
    const created = loadSignerKeyFile(path, { name: 'CH', type: 0x04 });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), /^PRIVATE\+KEY\+CH\+[0-9a-f]{8}\+/);
    const again = loadSignerKeyFile(path, { name: 'other', type: 0x01 });
    assert.deepEqual([again.name, again.type, again.keyId], [created.name, created.type, created.keyId], 'an existing file is read, not replaced');
    chmodSync(path, 0o644);
    assert.throws(() => loadSignerKeyFile(path), (error: unknown) => error instanceof KeyFileError && error.message.includes('chmod 600'));
  });

  it('refuses a key file that the group or others can read, naming the file and the fix, never the key', async () => {
    const entry = join(dir, 'loose-entry.key');
    loadEntrySeed(entry);
    const content = readFileSync(entry, 'utf8').trim();
    for (const mode of [0o640, 0o604, 0o644]) {
      chmodSync(entry, mode);
      assert.throws(() => loadEntrySeed(entry), (error: unknown) => error instanceof KeyFileError && error.message.includes('chmod 600') && error.message.includes(entry) && !error.message.includes(content));
    }
    const seal = join(dir, 'loose-seal.jwk');
    await loadSealKey(seal);
    chmodSync(seal, 0o644);
    await assert.rejects(loadSealKey(seal), KeyFileError);
  });

  it('refuses a malformed key without echoing it', () => {
    const entry = join(dir, 'bad-entry.key');
    writeFileSync(entry, 'not-a-seed-but-secret-looking\n', { mode: 0o600 });
    assert.throws(() => loadEntrySeed(entry), (error: unknown) => error instanceof KeyFileError && !error.message.includes('secret-looking'));
  });

  it('stops the gateway from starting with a world-readable seal key', async () => {
    const keys = scenarioKeys();
    const seal = join(dir, 'start-seal.jwk');
    await loadSealKey(seal);
    chmodSync(seal, 0o644);
    const started = startGateway({
      party: 'US',
      store: { engine: 'sqlite', file: join(dir, 'gateway.db') },
      origin: ORIGIN,
      exchangeUrl: 'http://127.0.0.1:9',
      policyText: scenarioPolicy(keys),
      ownWitness: 'US',
      entryKeyFile: join(dir, 'start-entry.key'),
      sealKeyFile: seal,
      sealRecipients: new Map(),
      witnessCosigner: keys.witnesses.get('US')!,
    });
    await assert.rejects(started, /group or others can read it/);
    assert.equal(existsSync(join(dir, 'gateway.db')), false, 'nothing opened before the keys were checked');
  });
});

describe('the exchange operator’s token file', { skip: process.platform === 'win32' ? 'POSIX file modes only' : false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-token-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing token (mode 0600, 256 random bits) only when asked, and reads it back', () => {
    const path = join(dir, 'operator.token');
    assert.throws(() => loadTokenFile(path), (error: unknown) => error instanceof KeyFileError && error.message.includes(path) && error.message.includes('does not exist'));
    const token = loadTokenFile(path, true);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(loadTokenFile(path), token);
    assert.notEqual(loadTokenFile(join(dir, 'other.token'), true), token);
  });

  it('refuses a token others can read, and one too short or with spaces, never showing it', () => {
    const loose = join(dir, 'loose.token');
    writeFileSync(loose, 'a-long-enough-token-of-thirty-chars\n', { mode: 0o644 });
    chmodSync(loose, 0o644);
    assert.throws(() => loadTokenFile(loose), (error: unknown) => error instanceof KeyFileError && error.message.includes('chmod 600') && !error.message.includes('thirty'));
    for (const [name, content] of [['short.token', 'too-short'], ['spaced.token', 'a long enough token but with spaces']] as const) {
      const path = join(dir, name);
      writeFileSync(path, content, { mode: 0o600 });
      assert.throws(() => loadTokenFile(path), (error: unknown) => error instanceof KeyFileError && error.message.includes('expected one token of at least 22 characters') && !error.message.includes(content));
    }
  });
});
