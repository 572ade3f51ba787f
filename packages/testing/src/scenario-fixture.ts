import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accede, loadAccession, loadTreaty, type AnyDomainEntry, type Treaty } from '@evenhand/core';
import { formatPolicy, formatVerifierKey, makeSigner, SIGNATURE_COSIGNATURE_V1, treatyOrigin, verifierOf, type NoteSigner, type PolicyWitness } from '@evenhand/log';

export const TREATY_ID = 'us-ru-2021';
export const ORIGIN = treatyOrigin(TREATY_ID);
export const TREATY_PATH = fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url));

/** A deterministic test seed per label, so that failures reproduce. Test keys only. */
export function testSeed(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`evenhand-test:${label}`).digest());
}

export interface ScenarioKeys {
  /** The exchange's log key; its name is the origin (tlog-checkpoint). */
  readonly log: NoteSigner;
  /** Entry-signing keys of the parties (and the operator, author "exchange"). */
  readonly authors: ReadonlyMap<string, NoteSigner>;
  /** Cosigning keys (cosignature/v1) of the witnesses US, RU and the neutral CH. */
  readonly witnesses: ReadonlyMap<string, NoteSigner>;
}

/** Keys of the 2021 parties, or of any states (each with its entry key and its witness), the exchange and the neutral CH. */
export function scenarioKeys(parties: readonly string[] = ['US', 'RU']): ScenarioKeys {
  return {
    log: makeSigner(ORIGIN, testSeed('log')),
    authors: new Map([...parties, 'exchange'].map((party) => [party, makeSigner(party, testSeed(`author:${party}`))])),
    witnesses: new Map([...parties, 'CH'].map((name) => [name, makeSigner(name, testSeed(`witness:${name}`), SIGNATURE_COSIGNATURE_V1)])),
  };
}

/**
 * The 2021 treaty for any states: US and RU as the treaty has them, each further state
 * joining by amendment from its accession document (treaties/accessions), every party with
 * its entry key and its witness (at `urls`, by party), and CH as the one neutral witness the
 * quorum needs. Versions in the order of adoption: the first opens the log.
 */
export function treatiesForStates(keys: ScenarioKeys, states: readonly string[], urls: ReadonlyMap<string, string>): Treaty[] {
  const keysOf = (id: string) => ({
    key: formatVerifierKey(verifierOf(keys.authors.get(id)!)),
    witness: { key: formatVerifierKey(verifierOf(keys.witnesses.get(id)!)), ...(urls.has(id) ? { url: urls.get(id)! } : {}) },
  });
  const base = treatyWithKeys(keys);
  const first: Treaty = {
    ...base,
    parties: base.parties.map((party) => ({ ...party, ...keysOf(party.id) })),
    witnesses: { neutral: [{ name: 'CH', key: formatVerifierKey(verifierOf(keys.witnesses.get('CH')!)), ...(urls.has('CH') ? { url: urls.get('CH')! } : {}) }], neutralQuorum: 1, article: 'Arrangement art. 8' },
  };
  const out = [first];
  for (const state of states.filter((id) => !first.parties.some((party) => party.id === id))) {
    const accession = loadAccession(readFileSync(fileURLToPath(new URL(`../../../treaties/accessions/${state}.yaml`, import.meta.url)), 'utf8'));
    if (!accession.ok) throw new Error(`the accession of ${state} does not load: ${JSON.stringify(accession.error.issues)}`);
    const amended = accede(out[out.length - 1]!, accession.value, keysOf(state));
    if (!amended.ok) throw new Error(`the accession of ${state} is not a valid treaty: ${JSON.stringify(amended.error.issues)}`);
    out.push(amended.value);
  }
  return out;
}

/** The 2021 treaty with each party's entry key written in, as the parties would propose it. */
export function treatyWithKeys(keys: ScenarioKeys): Treaty {
  const loaded = loadTreaty(readFileSync(TREATY_PATH, 'utf8'));
  if (!loaded.ok) throw new Error(`the 2021 treaty does not load: ${JSON.stringify(loaded.error.issues)}`);
  return { ...loaded.value, parties: loaded.value.parties.map((party) => ({ ...party, key: formatVerifierKey(verifierOf(keys.authors.get(party.id)!)) })) };
}

/** The witness policy: every state's witness plus the neutral one (DESIGN.md "Cosignatures"). */
export function scenarioPolicy(keys: ScenarioKeys, urls: ReadonlyMap<string, string> = new Map()): string {
  const states = [...keys.witnesses.keys()].filter((name) => name !== 'CH');
  const witnesses: PolicyWitness[] = [...keys.witnesses.values()].map((signer) => {
    const url = urls.get(signer.name);
    return url ? { name: signer.name, key: verifierOf(signer), url } : { name: signer.name, key: verifierOf(signer) };
  });
  return `# Evenhand ${TREATY_ID}: every state's witness plus one neutral\n${formatPolicy({
    logs: [{ key: verifierOf(keys.log) }],
    witnesses,
    groups: [
      { name: 'states', threshold: states.length, members: states },
      { name: 'neutrals', threshold: 1, members: ['CH'] },
      { name: 'quorum', threshold: 2, members: ['states', 'neutrals'] },
    ],
    quorum: 'quorum',
  })}`;
}

/**
 * A treaty amendment that changes parties' entry keys: version + 1 of `treaty` with `rotated`
 * keys written in, proposed by its first party and ratified by every party (each with the key
 * in force until the amendment is adopted, AuthorKeyring).
 */
export function keyAmendment(treaty: Treaty, rotated: ReadonlyMap<string, NoteSigner>, time: number): { treaty: Treaty; entries: AnyDomainEntry[] } {
  const amended: Treaty = {
    ...treaty,
    version: treaty.version + 1,
    parties: treaty.parties.map((party) => {
      const signer = rotated.get(party.id);
      return signer ? { ...party, key: formatVerifierKey(verifierOf(signer)) } : party;
    }),
  };
  const ratify = (author: string): AnyDomainEntry => ({ author, time, type: 'treaty.ratify', body: { treaty: amended.id, version: amended.version } }) as AnyDomainEntry;
  return {
    treaty: amended,
    entries: [{ author: amended.parties[0]!.id, time, type: 'treaty.propose', body: { treaty: amended } } as AnyDomainEntry, ...amended.parties.map((party) => ratify(party.id))],
  };
}
