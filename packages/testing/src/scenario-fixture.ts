import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTreaty, type AnyDomainEntry, type Treaty } from '@evenhand/core';
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

export function scenarioKeys(): ScenarioKeys {
  return {
    log: makeSigner(ORIGIN, testSeed('log')),
    authors: new Map(['US', 'RU', 'exchange'].map((party) => [party, makeSigner(party, testSeed(`author:${party}`))])),
    witnesses: new Map(['US', 'RU', 'CH'].map((name) => [name, makeSigner(name, testSeed(`witness:${name}`), SIGNATURE_COSIGNATURE_V1)])),
  };
}

/** The 2021 treaty with each party's entry key written in, as the parties would propose it. */
export function treatyWithKeys(keys: ScenarioKeys): Treaty {
  const loaded = loadTreaty(readFileSync(TREATY_PATH, 'utf8'));
  if (!loaded.ok) throw new Error(`the 2021 treaty does not load: ${JSON.stringify(loaded.error.issues)}`);
  return { ...loaded.value, parties: loaded.value.parties.map((party) => ({ ...party, key: formatVerifierKey(verifierOf(keys.authors.get(party.id)!)) })) };
}

/** The witness policy: every state's witness plus the neutral one (DESIGN.md "Cosignatures"). */
export function scenarioPolicy(keys: ScenarioKeys, urls: ReadonlyMap<string, string> = new Map()): string {
  const witnesses: PolicyWitness[] = [...keys.witnesses.values()].map((signer) => {
    const url = urls.get(signer.name);
    return url ? { name: signer.name, key: verifierOf(signer), url } : { name: signer.name, key: verifierOf(signer) };
  });
  return `# Evenhand ${TREATY_ID}: every state's witness plus one neutral\n${formatPolicy({
    logs: [{ key: verifierOf(keys.log) }],
    witnesses,
    groups: [
      { name: 'states', threshold: 2, members: ['US', 'RU'] },
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
