import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.ts';

/** A local CA, and a certificate it issued for this machine's loopback names, in PEM files. */
export interface LocalCertificates {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * The certificates of `evenhand demo --tls` (issue 16), made once under `dir` by Debian's
 * openssl (never hand-written X.509): a CA valid for a year, and a server certificate it
 * issued for 127.0.0.1, ::1 and localhost, which every demo service serves. The CA is
 * constrained to those names. Keys are 0600.
 */
export function localCertificates(dir: string, extraAddresses: readonly string[] = []): LocalCertificates {
  const out = { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
  if (existsSync(out.ca) && existsSync(out.cert) && existsSync(out.key)) return out;
  const missing = opensslMissing();
  if (missing) throw new CliError(`--tls needs ${missing}`, 2);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // The CA may vouch for this machine's loopback names only (RFC 5280 §4.2.1.10, critical), so
  // trusting it in a browser lends no one the power to impersonate any other site.
  // A test's own hosts (IPv4 addresses inside its network namespaces) are added one by one.
  const loopbackOnly = `nameConstraints=critical,permitted;IP:127.0.0.1/255.255.255.255,permitted;IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF,permitted;DNS:localhost${extraAddresses.map((address) => `,permitted;IP:${address}/255.255.255.255`).join('')}`;
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '365', '-subj', '/CN=Evenhand local demo CA', '-addext', loopbackOnly);
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost${extraAddresses.map((address) => `,IP:${address}`).join('')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '365', '-extfile', 'server.ext');
  execFileSync('chmod', ['600', join(dir, 'ca.key'), join(dir, 'server.key')]);
  return out;
}

/** Why the certificates cannot be made here, or undefined when the openssl command answers. */
export function opensslMissing(): string | undefined {
  return spawnSync('openssl', ['version']).status === 0 ? undefined : 'the openssl command to make the local certificates (Debian: apt-get install openssl)';
}
