import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { issuesFromZod } from '@evenhand/core';
import type { StoreConfig } from '@evenhand/store';
import { LOG_LEVELS } from '@evenhand/server';
import { CliError } from '../cli-error.ts';

/**
 * Configuration files of `evenhand exchange|gateway|witness serve` (JSON). Relative paths
 * are relative to the file. Environment variables override the file, for container-style
 * deployments: EVENHAND_STORE (a SQLite file path or a postgres:// URL), EVENHAND_HOST and
 * EVENHAND_PORT.
 */
const store = z.union([
  z.strictObject({ engine: z.literal('sqlite'), file: z.string().min(1) }),
  z.strictObject({ engine: z.literal('postgres'), url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'), schema: z.string().optional() }),
]);
/**
 * How every service listens, logs and trusts (issue 16): `tls` serves HTTPS from a PEM
 * certificate and key; `caFile` is the CA (or the certificate itself) its outgoing requests
 * accept besides Node's bundled roots (server transport/tls.ts); `logLevel` sets its JSON
 * log on standard output.
 */
const listen = {
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535),
  tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  caFile: z.string().min(1).optional(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
};

/** An IPv4 or IPv6 address, or a CIDR range of either (a trusted proxy). */
function isAddressOrRange(value: string): boolean {
  const [address = '', bits, extra] = value.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

export const exchangeConfigSchema = z.strictObject({
  treatyFile: z.string().min(1),
  policyFile: z.string().min(1),
  logKeyFile: z.string().min(1),
  /** A 0600 file with the operator's bearer token for POST /v1/clearing/run; without it, on-demand clearing is off. */
  operatorTokenFile: z.string().min(1).optional(),
  /** Under a flood of 250 entries a second or more (or after a round that failed), at most one checkpoint signed per this many milliseconds; a nearly idle log is checkpointed at once, a slower flow waits this times the cube of its share of a flood (an eighth of it at 125 a second), and a backlog at least 4 ms an entry (issue 14, server exchange/publisher.ts `spacingMs`). */
  minPublishIntervalMs: z.number().int().min(50).max(60_000).default(1000),
  /** A snapshot of the replayed state at most every this many entries (issue 14): a restart replays only what follows. */
  snapshotEvery: z.number().int().min(100).max(10_000_000).default(10_000),
  store,
  ...listen,
});

export const witnessConfigSchema = z.strictObject({
  name: z.string().min(1),
  keyFile: z.string().min(1),
  /** The logs this witness follows: origin and the log's verifier key. */
  logs: z.array(z.strictObject({ origin: z.string().min(1), vkey: z.string().min(1) })).min(1),
  store,
  ...listen,
});

export const gatewayConfigSchema = z.strictObject({
  party: z.string().regex(/^[A-Z]{2,3}$/, 'a party code such as "US"'),
  treatyFile: z.string().min(1),
  policyFile: z.string().min(1),
  exchangeUrl: z.string().url(),
  entryKeyFile: z.string().min(1),
  sealKeyFile: z.string().min(1),
  witnessKeyFile: z.string().min(1),
  /** Every party's (and observer's) X25519 public key, as a JWK file or inline JWK. */
  sealRecipients: z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())])),
  sealObservers: z.array(z.string()).default([]),
  /** The least time between two of the mirror's rounds; an idle log gets one per long poll of the exchange (server gateway/round-loop.ts). */
  mirrorIntervalMs: z.number().int().min(50).max(60_000).default(1000),
  /** A snapshot of the mirror's replayed state at most every this many entries, at a verified checkpoint (issue 14). */
  snapshotEvery: z.number().int().min(100).max(10_000_000).default(10_000),
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For gives the client's address; none by default. */
  trustedProxies: z.array(z.string().refine(isAddressOrRange, 'an IP address or a CIDR range such as 10.0.0.0/24')).default([]),
  /** A TLS-terminating proxy is in front of a gateway that itself serves plain HTTP: its cookies are still Secure. */
  behindTlsProxy: z.boolean().default(false),
  /** Where the gateway POSTs notifications (issue 15): new incoming requests, deadlines within `withinDays`. Delivered at least once, retried with backoff. */
  webhooks: z.array(z.strictObject({ url: z.string().url(), events: z.array(z.enum(['new-incoming', 'deadline-soon'])).min(1), withinDays: z.number().int().min(1).max(365).default(7) })).default([]),
  store,
  ...listen,
});

export type ExchangeFileConfig = z.infer<typeof exchangeConfigSchema>;
export type WitnessFileConfig = z.infer<typeof witnessConfigSchema>;
export type GatewayFileConfig = z.infer<typeof gatewayConfigSchema>;

/** Reads, overrides from the environment, validates, and resolves relative paths against the file. */
export function readConfig<T extends z.ZodType>(path: string, schema: T, pathKeys: readonly string[]): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read config ${path}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const withEnv = applyEnvironment(raw);
  const parsed = schema.safeParse(withEnv, { reportInput: true });
  if (!parsed.success) {
    const lines = issuesFromZod(parsed.error.issues).map((issue) => `  ${issue.path}: ${issue.message}`);
    throw new CliError(`${path} is not a valid configuration:\n${lines.join('\n')}`, 2);
  }
  const base = dirname(resolve(path));
  const value = parsed.data as Record<string, unknown>;
  for (const key of pathKeys) if (typeof value[key] === 'string') value[key] = resolve(base, value[key] as string);
  const tls = value.tls as { certFile: string; keyFile: string } | undefined;
  if (tls) value.tls = { certFile: resolve(base, tls.certFile), keyFile: resolve(base, tls.keyFile) };
  const storeConfig = value.store as StoreConfig | undefined;
  if (storeConfig?.engine === 'sqlite') value.store = { ...storeConfig, file: resolve(base, storeConfig.file) };
  return value as z.infer<T>;
}

function applyEnvironment(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const storeEnv = process.env.EVENHAND_STORE;
  if (storeEnv) out.store = /^postgres(ql)?:\/\//.test(storeEnv) ? { engine: 'postgres', url: storeEnv } : { engine: 'sqlite', file: storeEnv };
  if (process.env.EVENHAND_HOST) out.host = process.env.EVENHAND_HOST;
  if (process.env.EVENHAND_PORT) out.port = Number(process.env.EVENHAND_PORT);
  return out;
}
