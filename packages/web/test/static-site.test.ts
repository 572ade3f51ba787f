import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { CASE_PROOFS_PAGE, registerStaticPage, registerStaticSite } from '../../server/src/static-site.ts';

describe('the services serve the web build', () => {
  it('serves the page at / with a CSP and hashed assets, and refuses paths out of dist/assets', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'evenhand-dist-'));
    try {
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
      writeFileSync(join(dist, 'assets', 'console-abc.js'), 'export {}');
      const app = Fastify();
      assert.deepEqual(await registerStaticSite(app, 'index.html', dist), { built: true });
      const page = await app.inject('/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /console/);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      const asset = await app.inject('/assets/console-abc.js');
      assert.equal(asset.statusCode, 200);
      assert.match(String(asset.headers['content-type']), /javascript/);
      for (const path of ['/assets/..%2Findex.html', '/assets/missing.js', '/assets/console-abc.exe']) assert.equal((await app.inject(path)).statusCode, 404, path);
      await app.close();
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('serves the explanation of case proofs beside the page at /, with the same CSP (issue 13)', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'evenhand-dist-'));
    try {
      writeFileSync(join(dist, 'transparency.html'), '<!doctype html><title>public</title>');
      writeFileSync(join(dist, 'proofs.html'), '<!doctype html><title>case proofs</title>');
      const app = Fastify();
      await registerStaticSite(app, 'transparency.html', dist);
      assert.deepEqual(registerStaticPage(app, CASE_PROOFS_PAGE, 'proofs.html', dist), { built: true });
      const page = await app.inject(CASE_PROOFS_PAGE);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /case proofs/);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match((await app.inject('/')).body, /public/);
      await app.close();
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('still starts without a build, and its page says how to build one', async () => {
    const app = Fastify();
    assert.deepEqual(await registerStaticSite(app, 'transparency.html', join(tmpdir(), 'evenhand-no-such-dist')), { built: false });
    const page = await app.inject('/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /npm run build:web/);
    await app.close();
  });
});
