import { checkSymmetry, lintPartyNames, reciprocityReport, type Treaty } from '@evenhand/core';

export interface TreatyCheckResult {
  readonly symmetric: boolean;
  readonly text: string;
}

/** The three symmetry checks of DESIGN.md, as a report a reader can follow. */
export function treatyCheckReport(treaty: Treaty, source: string, options: { runs: number; seed: number }): TreatyCheckResult {
  const lines: string[] = [`Treaty ${treaty.id} v${treaty.version}: ${treaty.title} (${source})`, ''];

  const mentions = lintPartyNames(treaty);
  lines.push(`1. Lint, no rule names a party outside the law profiles: ${mentions.length === 0 ? 'PASS' : 'FAIL'}`);
  for (const mention of mentions) lines.push(`   - ${mention.path} names ${mention.party}: "${mention.text}"`);

  const symmetry = checkSymmetry(treaty, options);
  lines.push(`2. Property, swapping two parties' law profiles mirrors every outcome (${symmetry.runs} generated requests, seed ${symmetry.seed}): ${symmetry.holds ? 'PASS' : 'FAIL'}`);
  if (symmetry.counterexample) {
    const { counterexample: example } = symmetry;
    lines.push(`   counterexample between ${example.parties.join(' and ')}: a request from ${example.request.requesting} to ${example.request.requested}`);
    lines.push(`   request: ${JSON.stringify(example.request)}`);
    if (example.context.invocations.length > 0) lines.push(`   history: ${JSON.stringify(example.context.invocations)}`);
    lines.push(`   at ${example.path}: the mirror of the outcome has ${JSON.stringify(example.expected)}, the mirrored request gets ${JSON.stringify(example.found)}`);
  }

  const report = reciprocityReport(treaty);
  lines.push(`3. Reciprocity report, differences in the law profiles and their effect (${report.length}):`);
  for (const item of report) {
    lines.push(`   - [${item.topic}] ${item.fact}`);
    lines.push(`     effect: ${item.effect}`);
  }
  if (report.length === 0) lines.push('   (the law profiles are identical)');

  const symmetric = mentions.length === 0 && symmetry.holds;
  lines.push('', symmetric ? 'Verdict: the rulebook is symmetric.' : 'Verdict: the rulebook is NOT symmetric; see the failures above.');
  return { symmetric, text: lines.join('\n') };
}
