/**
 * `evenhand prove` and `evenhand check-proof` (issue 13): one file that proves a request's or a
 * trade's history, and its check with no network. The format is docs/case-proof.md.
 * check-proof exit codes: 0 valid, 1 invalid (with the reason), 2 unreadable.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { getOfficial, isoTime, mapGet } from '@evenhand/core';
import { checkCaseProof, parseCaseProof, parsePolicy, type CheckedCaseProof, type Policy } from '@evenhand/log';
import { CliError } from '../cli-error.ts';
import { progressReporter } from '../progress.ts';
import { openLogSource, readText } from '../read-input.ts';
import { makeCaseProof, ProveError } from '../prove/make-case-proof.ts';

/** What each entry type did, in plain words, for the printed history. */
const DID: Record<string, string> = {
  'request.file': 'filed the request',
  'request.acknowledge': 'acknowledged receipt',
  'request.arrest': 'reported the arrest',
  'request.ask-info': 'asked for more information',
  'request.supply-info': 'supplied the information asked for',
  'request.consent': 'recorded the person’s consent',
  'request.extend': 'extended the decision period',
  'request.consult': 'consulted the requesting party',
  'request.consult-reply': 'replied to the consultation',
  'request.decide': 'decided',
  'request.assure': 'gave assurances',
  'request.schedule-surrender': 'scheduled the surrender',
  'request.surrender': 'surrendered the person',
  'request.confirm-receipt': 'confirmed receiving the person',
  'request.withdraw': 'withdrew the request',
  'request.proposal-closed': 'closed a decision proposal',
  'prosecution.milestone': 'reported a step of the domestic prosecution',
  'prosecution.outcome': 'reported the prosecution’s outcome',
};

/** What an open obligation asks, as "RU has not <did> <request>". */
const OWED: Record<string, string> = {
  acknowledge: 'acknowledged',
  decide: 'decided',
  'reply-to-info-request': 'answered the request for information on',
  'reply-to-consultation': 'replied to the consultation on',
  surrender: 'surrendered the person of',
  'file-full-request': 'filed the full request after the provisional arrest in',
  'release-from-provisional-arrest': 'released the person provisionally arrested in',
  'prosecution-report': 'reported on the prosecution instead of',
  provide: 'delivered the data of',
  'erase-personal-data': 'erased the personal data of',
};


function day(at: number): string {
  return isoTime(at).slice(0, 10);
}

/**
 * Who approved a binding act (issue 13). The replay has checked any signatures against the
 * keys the author registered, so a line that says "signed" is a fact of the file; an act of a
 * state that had registered no officials names its approvers on that state's word alone.
 */
function approvalLine(state: CheckedCaseProof['state'], author: string, body: { approvers?: readonly string[]; approvals?: readonly string[] }): string | undefined {
  const { approvers, approvals } = body;
  if (!approvers) return undefined;
  if (!approvals) return `approvers named: ${approvers.join(' and ')} (not signed: ${author} had registered no officials, so this rests on its word)`;
  const registered = approvers.map((id) => getOfficial(state.officials, author, id)?.registeredAt.index);
  return `approved by ${approvers.join(' and ')}: both signatures checked against the keys ${author} registered at entr${new Set(registered).size > 1 ? 'ies' : 'y'} ${[...new Set(registered)].join(' and ')}`;
}

/** The plain-words account check-proof prints of a valid bundle. */
export function renderCaseProof(checked: CheckedCaseProof): string {
  const { proof, checkpoint, witnessedAt, subjectEntries, state, open } = checked;
  const lines: string[] = [];
  const witnesses = checkpoint.cosignatures.map((cosignature) => cosignature.witness).join(', ');
  lines.push(`VALID: ${proof.subject.type} ${proof.subject.id}, ${checked.entries.length} entries proved in checkpoint ${checkpoint.checkpoint.size.toLocaleString('en')} of ${checkpoint.checkpoint.origin}, cosigned by ${witnesses} (quorum met by ${witnessedAt ? isoTime(witnessedAt) : 'unknown time'}).`);
  lines.push(`Log key: ${checked.policy.logs[0]?.key.name ?? '?'} (compare it with the treaty's published policy; --policy pins it).`, '');
  lines.push('History:');
  for (const { index, entry } of subjectEntries) {
    const body = entry.body as { decision?: string; ground?: string; milestone?: string; outcome?: string };
    const detail = body.decision ? ` (${body.decision}${body.ground ? `, ${body.ground}` : ''})` : body.milestone ? ` (${body.milestone})` : body.outcome ? ` (${body.outcome})` : '';
    lines.push(`  ${isoTime(entry.time)}  ${entry.author} ${DID[entry.type] ?? entry.type}${detail}  [entry ${index}]`);
    const approval = approvalLine(state, entry.author, entry.body as { approvers?: readonly string[]; approvals?: readonly string[] });
    if (approval) lines.push(`      ${approval}`);
  }
  if (proof.subject.type === 'request') {
    const record = mapGet(state.requests, proof.subject.id);
    if (record) lines.push('', `Status at the checkpoint: ${record.status}.`);
  } else {
    const trade = mapGet(state.trades.byId, proof.subject.id);
    if (trade) lines.push('', `Status at the checkpoint: ${trade.status}.`);
  }
  if (open.length > 0) {
    lines.push('Open obligations at the checkpoint:');
    for (const deadline of open) lines.push(`  ${deadline.party} owes "${deadline.kind}" on ${deadline.request}: due ${isoTime(deadline.due)}${deadline.pausedSince !== undefined ? ' (paused)' : deadline.due < witnessedAt ? ', OVERDUE' : ''} (${deadline.article})`);
  }
  if (checked.unanswered) {
    const { deadline, deliveredBy } = checked.unanswered;
    lines.push('', `${deadline.party} has not ${OWED[deadline.kind] ?? `done "${deadline.kind}" on`} ${deadline.request}: due ${day(deadline.due)}, still open at checkpoint ${checkpoint.checkpoint.size.toLocaleString('en')} cosigned ${day(witnessedAt)} by ${witnesses}.`);
    lines.push(`Every entry from the filing to that checkpoint is in this file, and none of them answers it. Delivery: ${deliveredBy}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Checks a bundle file; returns the exit code, printing the history or the reason. */
export function runCheckProof(file: string, policyFile?: string): number {
  const text = readText(file, 'proof file');
  let trusted: Policy | undefined;
  if (policyFile) {
    const parsed = parsePolicy(readText(policyFile, 'policy file'));
    if (!parsed.ok) throw new CliError(`${policyFile} is not a valid tlog-policy: ${parsed.error.message}`, 2);
    trusted = parsed.value;
  }
  const bundle = parseCaseProof(text);
  if (!bundle.ok) throw new CliError(`${file}: ${bundle.error.message}`, 2);
  const checked = checkCaseProof(bundle.value, trusted);
  if (!checked.ok) {
    process.stderr.write(`evenhand check-proof: INVALID [${checked.error.code}] ${checked.error.message}\n`);
    return 1;
  }
  process.stdout.write(renderCaseProof(checked.value));
  return 0;
}

/** What the command runs, loaded only when it runs (prove.ts registers its options). */
export const proveAction = async (options: { log: string; policy: string; request?: string; trade?: string; unanswered?: string; out: string }) => {
      if ((options.request === undefined) === (options.trade === undefined)) throw new CliError('give exactly one of --request <id> or --trade <id>', 64);
      const source = await openLogSource(options.log);
      const note = source.checkpoint();
      if (note === undefined) throw new CliError(`--log ${options.log}: no checkpoint`, 2);
      try {
        const bundle = await makeCaseProof({
          fetch: source.fetch,
          note,
          policy: readText(options.policy, 'policy file'),
          subject: options.request !== undefined ? { type: 'request', id: options.request } : { type: 'trade', id: options.trade! },
          ...(options.unanswered === undefined ? {} : { unanswered: options.unanswered }),
          onProgress: progressReporter('prove', 'read', true),
        });
        // Written beside and renamed, so a crash never leaves half a proof under the name asked for.
        const text = `${JSON.stringify(bundle, null, 1)}\n`;
        writeFileSync(`${options.out}.partial`, text);
        renameSync(`${options.out}.partial`, options.out);
        const entries = bundle.runs.reduce((sum, run) => sum + run.entries.length, 0);
        process.stdout.write(`wrote ${options.out}: ${entries} entries in ${bundle.runs.length} runs, ${Buffer.byteLength(text).toLocaleString('en')} bytes; check it with: evenhand check-proof ${options.out}\n`);
      } catch (error) {
        if (error instanceof ProveError) throw new CliError(error.message, error.exitCode);
        throw error;
      }
    };

export const checkProofAction = (file: string, options: { policy?: string }) => {
      process.exitCode = runCheckProof(file, options.policy);
    };
