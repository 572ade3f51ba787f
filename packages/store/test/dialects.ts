import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { after, before, describe } from 'node:test';
import { requirement } from '@evenhand/testing';
import { openStore, type Store, type StoreConfig } from '../src/index.ts';

/**
 * Every store test runs once per engine, as Kysely's own suite does: SQLite always,
 * PostgreSQL when EVENHAND_PG_URL is set (`.ci/run` starts one; `source .ci/postgres.sh`
 * does it locally).
 */
export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  readonly skip: string | false;
  /** A fresh, empty store: a new SQLite file, or a new PostgreSQL schema. */
  open(): Promise<Store>;
  /** The config of the last store opened, to open it again (a restart). */
  lastConfig(): StoreConfig;
  cleanup(): Promise<void>;
}

export function sqliteEngine(): Engine {
  let dir: string | undefined;
  let config: StoreConfig | undefined;
  return {
    name: 'sqlite',
    skip: false,
    async open() {
      dir ??= mkdtempSync(join(tmpdir(), 'evenhand-store-'));
      config = { engine: 'sqlite', file: join(dir, `${randomBytes(4).toString('hex')}.db`) };
      return openStore(config);
    },
    lastConfig: () => config!,
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresEngine(): Engine {
  const url = process.env.EVENHAND_PG_URL;
  const { skip } = requirement('PostgreSQL', url ? undefined : 'EVENHAND_PG_URL is not set (source .ci/postgres.sh to start one)');
  const schemas: string[] = [];
  let config: StoreConfig | undefined;
  return {
    name: 'postgres',
    skip,
    async open() {
      const schema = `evenhand_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      schemas.push(schema);
      config = { engine: 'postgres', url: url!, schema };
      return openStore(config);
    },
    lastConfig: () => config!,
    async cleanup() {
      if (!url || schemas.length === 0) return;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export const ENGINES: readonly (() => Engine)[] = [sqliteEngine, postgresEngine];

/** The store an engine's suite works on; a test may replace it (to reopen after a close). */
export interface EngineContext {
  store: Store;
  readonly engine: Engine;
}

/** Declares `body` once per engine, with a fresh store opened before and closed after. */
export function describeOnEachEngine(title: string, body: (context: EngineContext) => void): void {
  for (const makeEngine of ENGINES) {
    const engine = makeEngine();
    describe(`${title} on ${engine.name}`, { skip: engine.skip }, () => {
      const context = { engine } as EngineContext;
      before(async () => {
        context.store = await engine.open();
      });
      after(async () => {
        await context.store?.close();
        await engine.cleanup();
      });
      body(context);
    });
  }
}
