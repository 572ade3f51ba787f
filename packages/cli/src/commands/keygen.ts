import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { oneOf } from '../option-values.ts';

const KINDS = ['entry', 'log', 'witness', 'seal'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Creates a key file (mode 0600, never over an existing one) and prints what others need:
 * the signed-note verifier key (`name+hash+base64`) for the treaty or the policy, or the
 * public JWK for sealing.
 */
export async function generateKey(kind: Kind, name: string, out: string): Promise<string> {
  if (existsSync(out)) throw new CliError(`${out} already exists; keygen never overwrites a key`, 2);
  // Loaded when a key is made, not when the command line is read (`--help` stays fast).
  const { formatVerifierKey, makeSigner, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, verifierOf } = await import('@evenhand/log');
  const { loadEntrySeed, loadSealKey, loadSignerKeyFile, publicJwkOf } = await import('@evenhand/server');
  switch (kind) {
    case 'entry':
      return formatVerifierKey(verifierOf(makeSigner(name, loadEntrySeed(out))));
    case 'log':
      return formatVerifierKey(verifierOf(loadSignerKeyFile(out, { name, type: SIGNATURE_ED25519 })));
    case 'witness':
      return formatVerifierKey(verifierOf(loadSignerKeyFile(out, { name, type: SIGNATURE_COSIGNATURE_V1 })));
    case 'seal':
      return JSON.stringify(publicJwkOf(await loadSealKey(out)));
  }
}

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description("create a key file (mode 0600) and print its public part: an entry key is a state's (its vkey goes into the treaty's parties[].key); a log key is the exchange's, named after the origin evenhand/<treaty-id>; a witness key cosigns (its vkey goes into the policy); a seal key receives sealed fields (its public JWK goes to the other gateways)")
    .requiredOption('--kind <kind>', `one of ${KINDS.join(', ')}`, oneOf('--kind', KINDS))
    .requiredOption('--name <name>', 'the key name: a party code (US), a witness name, or the log origin')
    .requiredOption('--out <file>', 'where to write the private key')
    .action(async (options: { kind: Kind; name: string; out: string }) => {
      process.stdout.write(`${await generateKey(options.kind, options.name, options.out)}\n`);
    });
}
