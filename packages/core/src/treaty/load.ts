import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { treatySchema, type Treaty } from './schema.ts';

/** One problem in a treaty document: where, what was expected, and what was found. */
export interface TreatyIssue {
  readonly path: string;
  readonly message: string;
}

export interface TreatyError {
  readonly code: 'TREATY_SYNTAX' | 'TREATY_INVALID';
  readonly issues: readonly TreatyIssue[];
}

/** Renders a zod path such as `["deadlines", "decideDays"]` as `deadlines.decideDays`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

/** Turns zod issues into messages that name the path, the rule and what was found. */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): TreatyIssue[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` };
    }
    const found = 'input' in issue ? `, found ${describeValue(issue.input)}` : '';
    const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
    return { path, message: `${expected}${found}` };
  });
}

/**
 * Parses and validates a treaty document (YAML or JSON; JSON is YAML). It collects every
 * problem in the document, schema and cross-references alike, not just the first.
 */
export function loadTreaty(text: string): Result<Treaty, TreatyError> {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (cause) {
    const message = cause instanceof YAMLParseError ? cause.message : String(cause);
    return err({ code: 'TREATY_SYNTAX', issues: [{ path: '(document)', message: `not valid YAML or JSON: ${message}` }] });
  }
  return validateTreaty(raw);
}

export function validateTreaty(raw: unknown): Result<Treaty, TreatyError> {
  const parsed = treatySchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return err({ code: 'TREATY_INVALID', issues: issuesFromZod(parsed.error.issues) });
  const crossIssues = checkReferences(parsed.data);
  if (crossIssues.length > 0) return err({ code: 'TREATY_INVALID', issues: crossIssues });
  return ok(parsed.data);
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

/** Checks that every identifier a rule uses is defined, which a schema alone cannot say. */
function checkReferences(treaty: Treaty): TreatyIssue[] {
  const issues: TreatyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const parties = treaty.parties.map((party) => party.id);
  const offences = new Set(treaty.offences.map((offence) => offence.id));
  const grounds = new Set(treaty.grounds.map((ground) => ground.id));

  for (const id of duplicates(parties)) add('parties', `party "${id}" is listed twice`);
  for (const id of duplicates(treaty.offences.map((offence) => offence.id))) add('offences', `offence "${id}" is defined twice`);
  for (const id of duplicates(treaty.grounds.map((ground) => ground.id))) add('grounds', `ground "${id}" is defined twice`);

  for (const party of parties) {
    if (!treaty.lawProfiles[party]) add(`lawProfiles.${party}`, `expected a law profile for party ${party}, found nothing`);
  }
  for (const [party, profile] of Object.entries(treaty.lawProfiles)) {
    if (!parties.includes(party)) add(`lawProfiles.${party}`, `"${party}" is not a party of the treaty`);
    for (const offence of Object.keys(profile.offences)) {
      if (!offences.has(offence)) add(`lawProfiles.${party}.offences.${offence}`, `"${offence}" is not an offence category of the treaty`);
    }
    const last = profile.limitation[profile.limitation.length - 1];
    if (last && last.maxPenaltyUpToMonths !== undefined) {
      add(`lawProfiles.${party}.limitation[${profile.limitation.length - 1}]`, 'the last limitation step must omit maxPenaltyUpToMonths, so that every penalty has a period');
    }
  }
  treaty.grounds.forEach((ground, index) => {
    if (ground.onlyWhereLawBars && ground.test !== 'national-of-requested') {
      add(`grounds[${index}].onlyWhereLawBars`, `only the "national-of-requested" test has a law-profile bar, found test "${ground.test}"`);
    }
    for (const party of ground.onlyWhereRequested ?? []) {
      if (!parties.includes(party)) add(`grounds[${index}].onlyWhereRequested`, `"${party}" is not a party of the treaty`);
    }
  });
  const checkGround = (path: string, ground: string) => {
    if (!grounds.has(ground)) add(path, `"${ground}" is not a ground defined in grounds`);
  };
  treaty.consultation.forEach((entry, index) => checkGround(`consultation[${index}].ground`, entry.ground));
  treaty.reciprocity.mirroredGrounds.forEach((ground, index) => checkGround(`reciprocity.mirroredGrounds[${index}]`, ground));
  treaty.extraditeOrProsecute.grounds.forEach((ground, index) => checkGround(`extraditeOrProsecute.grounds[${index}]`, ground));
  treaty.reciprocity.mirroredGrounds.forEach((id, index) => {
    const ground = treaty.grounds.find((candidate) => candidate.id === id);
    if (ground?.kind === 'mandatory') add(`reciprocity.mirroredGrounds[${index}]`, `"${id}" is mandatory; only optional grounds can be mirrored`);
  });
  if (treaty.balance.rule === 'bloc-credits') {
    for (const [bloc, members] of Object.entries(treaty.balance.blocs)) {
      for (const party of members) if (!parties.includes(party)) add(`balance.blocs.${bloc}`, `"${party}" is not a party of the treaty`);
    }
  }
  return issues;
}
