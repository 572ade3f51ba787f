import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { backupSqlite, restoreSqlite } from '@evenhand/store';
import { CliError } from '../cli-error.ts';

interface StoreOfConfig {
  readonly file: string;
  readonly host: string;
  readonly port: number;
  /** Which service the config is for: a gateway's names its party, an exchange's its log key. */
  readonly role: 'gateway' | 'exchange' | 'witness';
}

/** The SQLite file a service's config names (relative to the config, as the service reads it), and where the service listens. */
function storeOf(configPath: string): StoreOfConfig {
  let raw: { store?: { engine?: string; file?: unknown }; host?: unknown; port?: unknown; party?: unknown; logKeyFile?: unknown };
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8')) as typeof raw;
  } catch (error) {
    throw new CliError(`cannot read config ${configPath}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const storeEnv = process.env.EVENHAND_STORE;
  const store = storeEnv ? (/^postgres(ql)?:\/\//.test(storeEnv) ? { engine: 'postgres' } : { engine: 'sqlite', file: storeEnv }) : raw.store;
  if (store?.engine === 'postgres') throw new CliError(`${configPath}: the store is PostgreSQL; back it up with pg_dump and restore it with pg_restore (docs/deploying.md)`, 2);
  if (store?.engine !== 'sqlite' || typeof store.file !== 'string') throw new CliError(`${configPath}: store: expected { "engine": "sqlite", "file": … }`, 2);
  return {
    file: resolve(dirname(resolve(configPath)), store.file),
    host: process.env.EVENHAND_HOST ?? (typeof raw.host === 'string' ? raw.host : '127.0.0.1'),
    port: Number(process.env.EVENHAND_PORT ?? raw.port ?? 0),
    role: typeof raw.party === 'string' ? 'gateway' : typeof raw.logKeyFile === 'string' ? 'exchange' : 'witness',
  };
}

export const backupAction = async (options: { config: string; out: string }) => {
  const { file } = storeOf(options.config);
  try {
    const { bytes } = backupSqlite(file, resolve(options.out));
    process.stdout.write(`backed up ${file} to ${resolve(options.out)} (${bytes} bytes, one consistent instant)\n`);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
};

export const restoreAction = async (options: { config: string; from: string }) => {
  const store = storeOf(options.config);
  // Only a gateway's store may go back in time: an exchange restored would sign other trees
  // at sizes it already signed, and a witness would forget what it cosigned, which is what
  // stops it from vouching for a rollback. Each catches up from the log and its peers instead.
  if (store.role !== 'gateway') throw new CliError(`${options.config} is ${store.role === 'exchange' ? "an exchange's" : "a witness's"} config: only a gateway's store may be restored from a backup (an older ${store.role} would sign again what it signed before); see docs/deploying.md`, 2);
  // A store replaced under a running service would be overwritten by it, or crash it.
  if (store.port > 0 && (await answers(store.host === '0.0.0.0' || store.host === '::' ? '127.0.0.1' : store.host, store.port))) {
    throw new CliError(`the service still answers at ${store.host}:${store.port}; stop it before restoring its store`, 2);
  }
  let keptAs: string | undefined;
  try {
    ({ keptAs } = restoreSqlite(resolve(options.from), store.file));
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
  process.stdout.write(`restored ${store.file} from ${resolve(options.from)}${keptAs ? `; the store it replaced is kept as ${keptAs}` : ''}. Start the gateway: it catches up with the log from there.\n`);
};

/** Whether something accepts connections at host:port (within a second). */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolvePromise(result);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
