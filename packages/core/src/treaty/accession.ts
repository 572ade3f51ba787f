import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { issuesFromZod, validateTreaty, type TreatyError } from './load.ts';
import { contactPointSchema, lawProfileSchema, partyIdSchema, type Treaty } from './schema.ts';

/**
 * A state's accession (DESIGN.md "The treaty": amendments follow the same path as adoption,
 * propose then every party ratifies): the party and the facts of its law, never a rule of its
 * own. The rules stay the treaty's, the same for every party.
 */
const accessionSchema = z.strictObject({
  party: z.strictObject({ id: partyIdSchema, name: z.string().min(1), centralAuthority: z.string().min(1), contactPoint: contactPointSchema.optional() }),
  lawProfile: lawProfileSchema,
});

export type Accession = z.infer<typeof accessionSchema>;

export function loadAccession(text: string): Result<Accession, TreatyError> {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (cause) {
    return err({ code: 'TREATY_SYNTAX', issues: [{ path: '(document)', message: `not valid YAML or JSON: ${cause instanceof YAMLParseError ? cause.message : String(cause)}` }] });
  }
  const parsed = accessionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return err({ code: 'TREATY_INVALID', issues: issuesFromZod(parsed.error.issues) });
  return ok(parsed.data);
}

/**
 * The amendment that admits the acceding state: the next version of the treaty with the
 * party (and, where given, its keys) added and its law profile beside the others'. The result
 * is validated as any treaty is.
 */
export function accede(treaty: Treaty, accession: Accession, keys: Pick<Treaty['parties'][number], 'key' | 'witness'> = {}): Result<Treaty, TreatyError> {
  if (treaty.parties.some((party) => party.id === accession.party.id)) {
    return err({ code: 'TREATY_INVALID', issues: [{ path: 'party.id', message: `${accession.party.id} is already a party of ${treaty.id}` }] });
  }
  return validateTreaty({
    ...treaty,
    version: treaty.version + 1,
    parties: [...treaty.parties, { ...accession.party, ...keys }],
    lawProfiles: { ...treaty.lawProfiles, [accession.party.id]: accession.lawProfile },
  });
}
