import type { JWK } from 'jose';
import { parseVerifierKey, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, treatyOrigin } from '@evenhand/log';
import { keepHeapNearLive, loadSignerKeyFile, loadTokenFile, startExchange, startGateway, startWitness, httpsOptions, trustCertificates, type LogLevel, type ServiceTransport, type TlsFiles } from '@evenhand/server';
import { CliError } from '../cli-error.ts';
import { readTreatyFile } from '../read-treaty.ts';
import { readText } from '../read-input.ts';
import { untilStopped } from '../until-stopped.ts';
import { startProgress } from '../start-progress.ts';
import { catchUpProgress } from '../catch-up-progress.ts';
import { exchangeConfigSchema, gatewayConfigSchema, readConfig, witnessConfigSchema } from '../config/service-config.ts';


/** Entry-signing keys by author: the treaty parties' keys, and the operator's log key for "exchange". */
function authorKeysOf(treatyFile: string, logKey: Uint8Array): Map<string, Uint8Array> {
  const treaty = readTreatyFile(treatyFile);
  const keys = new Map<string, Uint8Array>([['exchange', logKey]]);
  for (const party of treaty.parties) {
    if (!party.key) throw new CliError(`${treatyFile}: parties[${party.id}].key is missing; every party's entry key must be in the treaty`, 2);
    const parsed = parseVerifierKey(party.key);
    if (!parsed.ok || parsed.value.type !== SIGNATURE_ED25519) throw new CliError(`${treatyFile}: parties[${party.id}].key: ${parsed.ok ? 'expected an Ed25519 key' : parsed.error.message}`, 2);
    keys.set(party.id, parsed.value.publicKey);
  }
  return keys;
}

/**
 * What a service's config says of its transport (issue 16): its log level, HTTPS files and
 * trusted proxies for the server; its CA file for every request it makes.
 */
function transportOf(config: { logLevel: LogLevel; tls?: TlsFiles | undefined; caFile?: string | undefined; trustedProxies?: readonly string[] }): ServiceTransport {
  try {
    if (config.caFile) trustCertificates(config.caFile);
    httpsOptions(config.tls);
  } catch (error) {
    // A missing or unreadable PEM file is the configuration's fault: one line, exit 2.
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
  return { logLevel: config.logLevel, tls: config.tls, trustedProxies: config.trustedProxies };
}

/**
 * Told when the snapshot a start restored holds a record that does not read (SnapshotOptions
 * `onBroken`): the service then stops of itself, with exit status 1, and its next start
 * replays the whole log, since the snapshot is deleted.
 */
function snapshotWatch(): { readonly onBroken: (message: string) => void; readonly broken: Promise<string> } {
  let onBroken: (message: string) => void = () => undefined;
  const broken = new Promise<string>((resolve) => (onBroken = resolve));
  return { onBroken, broken };
}

async function serveUntilStopped(what: string, started: { url: string; close(): Promise<void> }, broken?: Promise<string>): Promise<void> {
  process.stdout.write(`${what} listening at ${started.url}\n`);
  const stopped = await Promise.race([untilStopped().then((signal) => ({ signal })), ...(broken ? [broken.then((message) => ({ message }))] : [])]);
  if ('signal' in stopped) process.stderr.write(`${what}: ${stopped.signal}, closing\n`);
  else {
    process.stderr.write(`${what}: stopping: ${stopped.message}\n`);
    process.exitCode = 1;
  }
  await started.close();
}

/** What the command runs, loaded only when it runs (serve.ts registers its options). */
export const serveExchange = async (options: { config: string; fullReplay?: boolean }) => {
      keepHeapNearLive();
      const config = readConfig(options.config, exchangeConfigSchema, ['treatyFile', 'policyFile', 'logKeyFile', 'operatorTokenFile', 'caFile']);
      const treaty = readTreatyFile(config.treatyFile);
      const logSigner = loadSignerKeyFile(config.logKeyFile);
      const origin = treatyOrigin(treaty.id);
      if (logSigner.name !== origin) throw new CliError(`${config.logKeyFile}: the log key is named ${logSigner.name}; it must be named after the origin ${origin}`, 2);
      const watch = snapshotWatch();
      const exchange = await startExchange({ store: config.store, origin, logSigner, policyText: readText(config.policyFile, 'policy'), authorKeys: authorKeysOf(config.treatyFile, logSigner.publicKey), operatorToken: config.operatorTokenFile === undefined ? undefined : loadTokenFile(config.operatorTokenFile), minPublishIntervalMs: config.minPublishIntervalMs, snapshots: { every: config.snapshotEvery, fullReplay: options.fullReplay === true, progress: startProgress('exchange'), onBroken: watch.onBroken }, host: config.host, port: config.port, transport: transportOf(config) });
      await serveUntilStopped('exchange', exchange, watch.broken);
    };

export const serveWitness = async (options: { config: string }) => {
      keepHeapNearLive();
      const config = readConfig(options.config, witnessConfigSchema, ['keyFile', 'caFile']);
      const cosigner = loadSignerKeyFile(config.keyFile);
      if (cosigner.type !== SIGNATURE_COSIGNATURE_V1 || cosigner.name !== config.name) throw new CliError(`${config.keyFile}: expected a cosignature/v1 key named ${config.name}`, 2);
      const logs = new Map(
        config.logs.map((log, index) => {
          const parsed = parseVerifierKey(log.vkey);
          if (!parsed.ok) throw new CliError(`${options.config}: logs[${index}].vkey: ${parsed.error.message}`, 2);
          return [log.origin, [parsed.value]] as const;
        }),
      );
      await serveUntilStopped(`witness ${config.name}`, await startWitness({ store: config.store, cosigner, logs, host: config.host, port: config.port, transport: transportOf(config) }));
    };

export const serveGateway = async (options: { config: string; fullReplay?: boolean }) => {
      keepHeapNearLive();
      const config = readConfig(options.config, gatewayConfigSchema, ['treatyFile', 'policyFile', 'entryKeyFile', 'sealKeyFile', 'witnessKeyFile', 'caFile']);
      const treaty = readTreatyFile(config.treatyFile);
      const sealRecipients = new Map<string, JWK>(
        Object.entries(config.sealRecipients).map(([party, value]) => [party, (typeof value === 'string' ? JSON.parse(readText(value, `seal key of ${party}`)) : value) as JWK]),
      );
      const watch = snapshotWatch();
      const gateway = await startGateway({
        party: config.party,
        store: config.store,
        origin: treatyOrigin(treaty.id),
        exchangeUrl: config.exchangeUrl,
        policyText: readText(config.policyFile, 'policy'),
        ownWitness: config.party,
        entryKeyFile: config.entryKeyFile,
        sealKeyFile: config.sealKeyFile,
        sealRecipients,
        sealObservers: config.sealObservers,
        witnessCosigner: loadSignerKeyFile(config.witnessKeyFile),
        mirrorIntervalMs: config.mirrorIntervalMs,
        snapshots: { every: config.snapshotEvery, fullReplay: options.fullReplay === true, progress: startProgress(`${config.party} gateway`), onBroken: watch.onBroken },
        catchUp: catchUpProgress(`${config.party} gateway`),
        webhooks: config.webhooks,
        host: config.host,
        port: config.port,
        transport: transportOf(config),
        // Serving HTTPS itself makes the cookie Secure (startGateway); a TLS proxy in front must be said.
        ...(config.behindTlsProxy ? { secureCookie: true } : {}),
      });
      await serveUntilStopped(`${config.party} gateway`, gateway, watch.broken);
    };
