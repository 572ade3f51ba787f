import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { accede, type Accession, type Treaty } from '@evenhand/core';
import { formatPolicy, formatVerifierKey, makeSigner, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, treatyOrigin, verifierOf, type NoteSigner } from '@evenhand/log';
import { createOfficialAccount, generatePassword, loadEntrySeed, loadSealKey, loadSignerKeyFile, loadTokenFile, publicJwkOf, ROLES, type Role } from '@evenhand/server';
import { findAccount, openStore } from '@evenhand/store';
import { username } from './seed-scenario.ts';

export { DEFAULT_PORTS, type DemoPorts } from './demo-ports.ts';
import type { DemoPorts } from './demo-ports.ts';

/** The roles each state's gateway gets an account for; decisions need two approvers. */
export const DEMO_ROLES = ['clerk', 'reviewer', 'approver-1', 'approver-2', 'observer'] as const;

/** The neutral witness of the demo (the summit's host), and how many neutral cosignatures the treaty asks. */
export const NEUTRAL_WITNESS = 'CH';

/** Where each service answers when they are not all on this machine's loopback (a test's network namespaces). */
export interface DemoHosts {
  readonly exchange: string;
  readonly witness: string;
  readonly gateways: Readonly<Record<string, string>>;
}

export interface DemoState {
  readonly dir: string;
  readonly origin: string;
  /** The treaty the log opens with (the base treaty's parties, with their keys and witnesses). */
  readonly treaty: Treaty;
  /** One amendment per acceding state, in order: each the next version, listing one more party. */
  readonly amendments: readonly { readonly party: string; readonly treaty: Treaty }[];
  readonly policyText: string;
  readonly logSigner: NoteSigner;
  readonly neutralWitness: NoteSigner;
  /** The operator's bearer token for POST /v1/clearing/run, and the 0600 file it is in. */
  readonly operatorToken: string;
  readonly operatorTokenFile: string;
  readonly parties: readonly DemoParty[];
  readonly logins: ReadonlyMap<string, string>;
}

export interface DemoParty {
  readonly id: string;
  readonly entryKeyFile: string;
  readonly sealKeyFile: string;
  readonly entryPublicKey: Uint8Array;
  readonly sealPublicJwk: JWK;
  readonly witness: NoteSigner;
  readonly database: string;
}


/**
 * Lays out the demo under `dir`: every key in its own 0600 file (created on the first run,
 * reused after); the treaty with the base parties' entry keys and witnesses (each state's
 * gateway is its witness; CH is the neutral one) and an accession amendment per further
 * state, which brings that state's witness into the quorum; the configured policy (the log
 * key and the witnesses' addresses); and the officials' accounts, whose generated passwords
 * are kept in logins.json (0600) so later runs print the same logins.
 */
export async function prepareDemo(dir: string, baseTreaty: Treaty, accessions: readonly Accession[], ports: DemoPorts, scheme: 'http' | 'https' = 'http', hosts?: DemoHosts): Promise<DemoState> {
  // The witnesses' addresses go into the treaty and the policy: the scheme is fixed with them.
  const url = (port: number, host = '127.0.0.1') => `${scheme}://${host}:${port}`;
  const gatewayUrl = (id: string) => url(ports.gateways[id]!, hosts?.gateways[id]);
  const witnessUrl = url(ports.witness, hosts?.witness);
  const keys = join(dir, 'keys');
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  const origin = treatyOrigin(baseTreaty.id);
  const logSigner = loadSignerKeyFile(join(keys, 'exchange-log.key'), { name: origin, type: SIGNATURE_ED25519 });
  const neutralWitness = loadSignerKeyFile(join(keys, 'ch-witness.key'), { name: NEUTRAL_WITNESS, type: SIGNATURE_COSIGNATURE_V1 });
  const operatorTokenFile = join(keys, 'exchange-operator.token');
  const operatorToken = loadTokenFile(operatorTokenFile, true);

  const parties: DemoParty[] = [];
  const ids = [...baseTreaty.parties.map((party) => party.id), ...accessions.map((accession) => accession.party.id)];
  for (const id of ids) {
    const lower = id.toLowerCase();
    const entryKeyFile = join(keys, `${lower}-entry.key`);
    const sealKeyFile = join(keys, `${lower}-seal.jwk`);
    parties.push({
      id,
      entryKeyFile,
      sealKeyFile,
      entryPublicKey: makeSigner(id, loadEntrySeed(entryKeyFile)).publicKey,
      sealPublicJwk: publicJwkOf(await loadSealKey(sealKeyFile)),
      witness: loadSignerKeyFile(join(keys, `${lower}-witness.key`), { name: id, type: SIGNATURE_COSIGNATURE_V1 }),
      database: join(dir, `gateway-${lower}.db`),
    });
  }
  const keysOf = (id: string) => {
    const party = parties.find((candidate) => candidate.id === id)!;
    return { key: formatVerifierKey(verifierOf(makeSigner(id, loadEntrySeed(party.entryKeyFile)))), witness: { key: formatVerifierKey(verifierOf(party.witness)), url: gatewayUrl(id) } };
  };

  const treaty: Treaty = {
    ...baseTreaty,
    parties: baseTreaty.parties.map((party) => ({ ...party, ...keysOf(party.id) })),
    witnesses: { neutral: [{ name: NEUTRAL_WITNESS, key: formatVerifierKey(verifierOf(neutralWitness)), url: witnessUrl }], neutralQuorum: 1, article: 'Arrangement art. 8 (witnesses: every party and one neutral state)' },
  };
  const amendments: { party: string; treaty: Treaty }[] = [];
  let current = treaty;
  for (const accession of accessions) {
    const amended = accede(current, accession, keysOf(accession.party.id));
    if (!amended.ok) throw new Error(`the accession of ${accession.party.id} does not make a valid treaty: ${amended.error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    amendments.push({ party: accession.party.id, treaty: amended.value });
    current = amended.value;
  }

  // The configured policy: the log key and where every witness answers. The quorum it names
  // rules only until the treaty is adopted; from then on the treaty's witnesses rule.
  const base = treaty.parties.map((party) => party.id);
  const policyText = `# Evenhand demo: the log key and the witnesses' addresses; once the treaty is in force, its witnesses and quorum rule\n${formatPolicy({
    logs: [{ key: verifierOf(logSigner), url: url(ports.exchange, hosts?.exchange) }],
    witnesses: [...parties.map((party) => ({ name: party.id, key: verifierOf(party.witness), url: gatewayUrl(party.id) })), { name: NEUTRAL_WITNESS, key: verifierOf(neutralWitness), url: witnessUrl }],
    groups: [
      { name: 'states', threshold: base.length, members: base },
      { name: 'neutrals', threshold: 1, members: [NEUTRAL_WITNESS] },
      { name: 'quorum', threshold: 2, members: ['states', 'neutrals'] },
    ],
    quorum: 'quorum',
  })}`;
  writeFileSync(join(dir, 'policy.txt'), policyText);
  writeFileSync(join(dir, 'treaty.json'), `${JSON.stringify(current, null, 2)}\n`);

  const logins = await ensureAccounts(dir, parties);
  return { dir, origin, treaty, amendments, policyText, logSigner, neutralWitness, operatorToken, operatorTokenFile, parties, logins };
}

/** Creates each state's officials once; the passwords are generated and kept in logins.json. */
async function ensureAccounts(dir: string, parties: readonly DemoParty[]): Promise<Map<string, string>> {
  const file = join(dir, 'logins.json');
  const logins = new Map<string, string>(existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : []);
  for (const party of parties) {
    const store = await openStore({ engine: 'sqlite', file: party.database });
    try {
      for (const role of DEMO_ROLES) {
        const name = username(party.id, role);
        if (await findAccount(store.db, name)) continue;
        const password = generatePassword();
        const baseRole = role.startsWith('approver') ? 'approver' : role;
        if (!(ROLES as readonly string[]).includes(baseRole)) throw new Error(`demo role ${role} is not a gateway role`);
        await createOfficialAccount(store.db, { username: name, party: party.id, role: baseRole as Role, password, createdAt: Math.floor(Date.now() / 1000) });
        logins.set(name, password);
      }
    } finally {
      await store.close();
    }
  }
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(logins), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return logins;
}
