import type { TreatyIssue } from '../treaty/load.ts';

/**
 * Cross-checks of a treaty's `evidence` section (issue 17), on the raw document like the
 * other reference checks (treaty/references.ts):
 * - a kind that delivers data states its delivery period, and preservation, which delivers
 *   nothing, states none;
 * - a request for data is granted or refused only, so a ground that applies to data cannot
 *   be cured by an assurance, which only a conditional grant could carry.
 */
type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const record = (value: unknown): Raw => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function checkEvidenceReferences(treaty: Raw): TreatyIssue[] {
  const issues: TreatyIssue[] = [];
  const kinds = record(record(treaty.evidence).kinds);
  for (const [kind, terms] of Object.entries(kinds)) {
    if (!isRecord(terms)) continue;
    if (kind === 'preservation' && terms.provideHours !== undefined) issues.push({ path: 'evidence.kinds.preservation.provideHours', message: 'preservation delivers no data, so it has no delivery period (Budapest art. 29(7))' });
    if (kind !== 'preservation' && terms.provideHours === undefined) issues.push({ path: `evidence.kinds.${kind}.provideHours`, message: `a ${kind} request is answered with the data: state the hours within which it is delivered after the grant` });
  }
  list(treaty.grounds).forEach((ground, index) => {
    const scope = record(ground).scope;
    if ((scope === 'evidence' || scope === 'both') && record(ground).curedByAssurance !== undefined) {
      issues.push({ path: `grounds[${index}].curedByAssurance`, message: 'a ground that applies to requests for data cannot be cured by an assurance: a request for data is granted or refused, never granted on conditions' });
    }
  });
  return issues;
}
