import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';

/** Where a service finds the certificate it serves HTTPS with, and its private key (PEM files). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The `https` options of a Fastify server serving from `files`, or undefined for plain HTTP (loopback, tests). */
export function httpsOptions(files: TlsFiles | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (!files) return undefined;
  return { cert: readPem(files.certFile, 'tls.certFile'), key: readPem(files.keyFile, 'tls.keyFile') };
}

/**
 * Makes every outgoing request of this process (gateway → exchange, exchange → witnesses,
 * `verify` → exchange) accept a server whose certificate chains to the CA or certificate in
 * `caFile`, besides Node's bundled roots. Node's fetch takes its dispatcher from undici's global
 * slot, so one call covers every client. Verification stays on: a certificate that chains to
 * neither is refused, and so is a name that does not match it.
 */
export function trustCertificates(caFile: string): void {
  // Node's bundled roots, and NODE_EXTRA_CA_CERTS as Node itself would add them (an internal
  // webhook's CA, say), which an explicit `ca` would otherwise drop.
  const extra = process.env.NODE_EXTRA_CA_CERTS ? [readPem(process.env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS').toString('utf8')] : [];
  const ca = [...rootCertificates, ...extra, readPem(caFile, 'caFile').toString('utf8')];
  setGlobalDispatcher(new Agent({ connect: { ca } }));
}

function readPem(path: string, field: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${field}: cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!bytes.toString('utf8').includes('-----BEGIN ')) throw new Error(`${field}: ${path} is not a PEM file (no "-----BEGIN" line)`);
  return bytes;
}
