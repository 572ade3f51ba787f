import type { ClearAuditReport } from './audit-logged-round.ts';

function ordinalWord(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The audit in plain words: what was read, what held, what failed and why, then the verdict. */
export function renderClearAudit(report: ClearAuditReport): string {
  const lines = [
    `Clearing round ${report.round}: entry ${report.index} of the log of ${report.logSize} entries, its ${ordinalWord(report.ordinal)} clearing.round (${report.signaturesChecked ? "the log key's and every author's signatures checked" : 'signatures not checked: give --policy to check them'}).`,
  ];
  if (report.poolAt !== undefined) lines.push(`Pool: ${count(report.pool ?? 0, 'leg')} stated, rebuilt from the log at size ${report.poolAt}.`);
  if (report.stated) lines.push(`Stated: objective ${report.stated.objective}, bound ${report.stated.bound}, gap ${report.stated.gap} millionths (${Number((report.stated.gap / 10_000).toFixed(4))}%).`);
  if (report.recomputed) {
    const { states, requests, cycles, greedyObjective, circulationBound } = report.recomputed;
    lines.push(`Recomputed: circulation bound C = ${circulationBound}; ${count(states, 'state')}, ${count(requests, 'leg')}, ${count(cycles, 'cycle')}, greedy ${greedyObjective}.`);
  }
  if (report.resolved) lines.push(`Re-solved: best plan worth ${report.resolved.objective}${report.resolved.optimal ? ', proven optimal' : `, bound ${report.resolved.bound}`}.`);
  if (report.held.length > 0) lines.push('Held:', ...report.held.map((line) => `  - ${line}`));
  if (report.findings.length > 0) lines.push('Failed:', ...report.findings.map((finding) => `  - ${finding.field}: ${finding.message}`));
  lines.push(
    report.valid
      ? "VALID: the round's figures are those of the pool it solved, and its trades are feasible in it."
      : `INVALID: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${[...new Set(report.findings.map((finding) => finding.field))].join('; ')}).`,
  );
  return `${lines.join('\n')}\n`;
}
