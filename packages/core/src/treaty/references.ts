import type { TreatyIssue } from './load.ts';
import { formatPath } from '../field-path.ts';
import { checkEvidenceReferences } from '../evidence/treaty-checks.ts';

/**
 * The cross-reference checks of a treaty document: every identifier a rule uses is
 * defined, and every party has a law profile. They read the raw document defensively, so
 * they also run when the schema has found problems elsewhere.
 */
type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Raw => (isRecord(value) ? value : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const ids = (value: unknown): string[] => list(value).flatMap((item) => text(record(item).id) ?? []);

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

export function checkReferences(raw: unknown): TreatyIssue[] {
  const treaty = record(raw);
  const issues: TreatyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const parties = ids(treaty.parties);
  const offences = new Set(ids(treaty.offences));
  const groundList = list(treaty.grounds).map(record);
  const grounds = new Set(ids(treaty.grounds));
  const lawProfiles = record(treaty.lawProfiles);

  for (const id of duplicates(parties)) add('parties', `party "${id}" is listed twice`);
  for (const id of duplicates(ids(treaty.offences))) add('offences', `offence "${id}" is defined twice`);
  for (const id of duplicates(ids(treaty.grounds))) add('grounds', `ground "${id}" is defined twice`);

  for (const party of parties) {
    if (!isRecord(lawProfiles[party])) add(formatPath(['lawProfiles', party]), `expected a law profile for party ${party}, found nothing`);
  }
  for (const [party, value] of Object.entries(lawProfiles)) {
    const profile = record(value);
    if (!parties.includes(party)) add(formatPath(['lawProfiles', party]), `"${party}" is not a party of the treaty`);
    for (const offence of Object.keys(record(profile.offences))) {
      if (!offences.has(offence)) add(formatPath(['lawProfiles', party, 'offences', offence]), `"${offence}" is not an offence category of the treaty`);
    }
    const steps = list(profile.limitation);
    const last = steps[steps.length - 1];
    if (isRecord(last) && last.maxPenaltyUpToMonths !== undefined) {
      add(formatPath(['lawProfiles', party, 'limitation', steps.length - 1]), 'the last limitation step must omit maxPenaltyUpToMonths, so that every penalty has a period');
    }
  }
  groundList.forEach((ground, index) => {
    if (ground.onlyWhereLawBars === true && ground.test !== 'national-of-requested') {
      add(`grounds[${index}].onlyWhereLawBars`, `only the "national-of-requested" test has a law-profile bar, found test "${String(ground.test)}"`);
    }
    for (const party of list(ground.onlyWhereRequested)) {
      if (typeof party === 'string' && !parties.includes(party)) add(`grounds[${index}].onlyWhereRequested`, `"${party}" is not a party of the treaty`);
    }
  });
  const checkGround = (path: string, ground: unknown) => {
    if (typeof ground === 'string' && !grounds.has(ground)) add(path, `"${ground}" is not a ground defined in grounds`);
  };
  const reciprocity = record(treaty.reciprocity);
  list(treaty.consultation).forEach((entry, index) => checkGround(`consultation[${index}].ground`, record(entry).ground));
  list(reciprocity.mirroredGrounds).forEach((ground, index) => checkGround(`reciprocity.mirroredGrounds[${index}]`, ground));
  list(record(treaty.extraditeOrProsecute).grounds).forEach((ground, index) => checkGround(`extraditeOrProsecute.grounds[${index}]`, ground));
  list(reciprocity.mirroredGrounds).forEach((id, index) => {
    const ground = groundList.find((candidate) => candidate.id === id);
    if (ground?.kind === 'mandatory') add(`reciprocity.mirroredGrounds[${index}]`, `"${String(id)}" is mandatory; only optional grounds can be mirrored`);
  });
  // Keys as signed-note verifier keys (`name+hash+base64`), named after whom they belong to,
  // so that every verifier derives the same policy from the treaty (log treaty-policy.ts).
  const checkKey = (path: string, key: unknown, name: unknown) => {
    if (typeof key !== 'string') return;
    const match = /^([^\s+]+)\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/.exec(key);
    if (!match) add(path, 'expected a signed-note verifier key "name+hash+base64"');
    else if (typeof name === 'string' && match[1] !== name) add(path, `the key is named ${match[1]}, not ${name}`);
  };
  list(treaty.parties).forEach((party, index) => {
    checkKey(`parties[${index}].key`, record(party).key, record(party).id);
    checkKey(`parties[${index}].witness.key`, record(record(party).witness).key, record(party).id);
  });
  if (isRecord(treaty.witnesses)) list(treaty.witnesses.neutral).forEach((witness, index) => checkKey(`witnesses.neutral[${index}].key`, record(witness).key, record(witness).name));
  if (isRecord(treaty.witnesses)) {
    // The quorum names every party's witness: a party without one could never be satisfied.
    list(treaty.parties).forEach((party, index) => {
      if (!isRecord(record(party).witness)) add(`parties[${index}].witness`, `with a witnesses section every party names its witness, found none for ${String(record(party).id)}`);
    });
    const neutral = list(treaty.witnesses.neutral);
    const names = neutral.flatMap((witness) => text(record(witness).name) ?? []);
    for (const name of duplicates([...names, ...parties])) add('witnesses.neutral', `witness name "${name}" is used twice (a neutral witness may not share a party's name)`);
    const quorum = treaty.witnesses.neutralQuorum;
    if (typeof quorum === 'number' && quorum > neutral.length) add('witnesses.neutralQuorum', `the quorum asks ${quorum} neutral witnesses, but ${neutral.length} are listed`);
  }
  const balance = record(treaty.balance);
  if (balance.rule === 'bloc-credits') {
    for (const [bloc, members] of Object.entries(record(balance.blocs))) {
      for (const party of list(members)) if (typeof party === 'string' && !parties.includes(party)) add(formatPath(['balance', 'blocs', bloc]), `"${party}" is not a party of the treaty`);
    }
  }
  issues.push(...checkEvidenceReferences(treaty));
  return issues;
}
