import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDraft, listDrafts, openStore } from '@evenhand/store';
import { freePort } from '@evenhand/testing';
import { runCliAsync } from './run-cli.ts';

/**
 * `evenhand backup` and `evenhand restore` against a service config (issue 16): the copy is
 * of the store the config names, a restore is refused while the service still answers on its
 * port, the replaced store is kept, and a PostgreSQL store is sent to pg_dump.
 */
describe('evenhand backup and restore', () => {
  let dir: string;
  let config: string;
  let port: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-backup-'));
    port = await freePort();
    config = join(dir, 'gateway.json');
    writeFileSync(config, JSON.stringify({ party: 'US', store: { engine: 'sqlite', file: 'data.db' }, port }));
    const store = await openStore({ engine: 'sqlite', file: join(dir, 'data.db') });
    await createDraft(store.db, { id: 'draft-before', party: 'US', createdBy: 'us-clerk', body: { request: 'US-1' }, createdAt: 1 });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up the store the config names, then restores it over a store that changed since, keeping the replaced one', async () => {
    const out = join(dir, 'backup.db');
    const taken = await runCliAsync(['backup', '--config', config, '--out', out]);
    assert.equal(taken.status, 0, taken.stderr);
    assert.match(taken.stdout, /backed up .*data\.db to .*backup\.db \(\d+ bytes, one consistent instant\)/);
    assert.equal(statSync(out).mode & 0o777, 0o600, 'readable by its owner only: a store holds accounts and drafts');
    const again = await runCliAsync(['backup', '--config', config, '--out', out]);
    assert.deepEqual([again.status, /already exists/.test(again.stderr)], [2, true], again.stderr);

    const store = await openStore({ engine: 'sqlite', file: join(dir, 'data.db') });
    await createDraft(store.db, { id: 'draft-after', party: 'US', createdBy: 'us-clerk', body: { request: 'US-2' }, createdAt: 2 });
    await store.close();
    const restored = await runCliAsync(['restore', '--config', config, '--from', out]);
    assert.equal(restored.status, 0, restored.stderr);
    assert.ok(existsSync(join(dir, 'data.db.before-restore')), 'the replaced store is kept');
    const back = await openStore({ engine: 'sqlite', file: join(dir, 'data.db') });
    assert.deepEqual((await listDrafts(back.db, 'US')).map((draft) => draft.id), ['draft-before']);
    await back.close();
  });

  it('refuses to restore while the service answers on its port, or from a file that is not a store', async () => {
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const refused = await runCliAsync(['restore', '--config', config, '--from', join(dir, 'backup.db')]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, new RegExp(`still answers at 127\\.0\\.0\\.1:${port}; stop it before restoring`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database');
    const bad = await runCliAsync(['restore', '--config', config, '--from', junk]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cannot be restored: it is not a SQLite database/);
  });

  it('never restores a witness\'s store, and sends a PostgreSQL store to pg_dump', async () => {
    const witness = join(dir, 'witness.json');
    writeFileSync(witness, JSON.stringify({ name: 'CH', store: { engine: 'sqlite', file: 'w.db' }, port: 1 }));
    const refused = await runCliAsync(['restore', '--config', witness, '--from', join(dir, 'backup.db')]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /a witness's config: only a gateway's store may be restored/);
    const pg = join(dir, 'exchange.json');
    writeFileSync(pg, JSON.stringify({ store: { engine: 'postgres', url: 'postgres://localhost/evenhand' }, port: 1 }));
    const answer = await runCliAsync(['backup', '--config', pg, '--out', join(dir, 'pg.db')]);
    assert.equal(answer.status, 2);
    assert.match(answer.stderr, /the store is PostgreSQL; back it up with pg_dump/);
  });
});
