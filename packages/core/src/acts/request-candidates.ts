import { isoTime, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { evaluate } from '../treaty/evaluate.ts';
import { groundApplies, isEvidenceKind } from '../evidence/kinds.ts';
import type { EntryType } from '../request/entries.ts';
import type { RequestRecord, State } from '../request/state.ts';

/** One way of taking an act: the public fields the official chooses, and a label for them. */
export interface Candidate {
  readonly type: EntryType;
  readonly label: string;
  readonly params: Record<string, unknown>;
  /** This way of taking the act needs the sealed text (a refusal's reasons, FD 2002/584 art. 17(6)), whatever the type's default. */
  readonly sealedRequired?: boolean;
}

/**
 * The entry types a party's officials may write on an existing request, in lifecycle order.
 * `request.file` starts a request rather than acting on one, and `request.proposal-closed`
 * records the gateway's own two-person process (it goes with the proposal it closes).
 */
export const REQUEST_ACT_TYPES = [
  'request.acknowledge',
  'request.arrest',
  'request.consent',
  'request.ask-info',
  'request.supply-info',
  'request.consult',
  'request.consult-reply',
  'request.extend',
  'request.decide',
  'request.assure',
  'request.schedule-surrender',
  'request.surrender',
  'request.confirm-receipt',
  'request.provide',
  'prosecution.milestone',
  'prosecution.outcome',
  'request.withdraw',
  'request.erase',
] as const satisfies readonly EntryType[];

const MILESTONES = ['opened', 'charged', 'tried', 'verdict', 'sentence', 'progress'] as const;
const OUTCOMES = ['convicted', 'acquitted', 'discontinued'] as const;

/**
 * Every way of taking each act on `record` that could apply, by its public fields. The choices
 * that matter to the rules are enumerated (a decision per ground available, each milestone,
 * each outcome); free text and the date of a surrender are the official's, and a check puts a
 * stand-in there. The same `apply` then decides which candidates are legal now.
 */
export function requestCandidates(state: State, treaty: Treaty, record: RequestRecord, now: UnixSeconds): Candidate[] {
  const out: Candidate[] = [];
  const add = (type: EntryType, label: string, params: Record<string, unknown> = {}) => out.push({ type, label, params });
  for (const type of REQUEST_ACT_TYPES) {
    switch (type) {
      case 'request.consult':
        // Before refusing on a ground the treaty names for consultation (findings made at the
        // decision may make such a ground available, so every one of them is offered).
        if (!isEvidenceKind(record.view.kind)) for (const ground of consultGrounds(treaty)) add(type, `consult on ${ground}`, { ground });
        break;
      case 'request.decide':
        for (const candidate of decisionCandidates(state, treaty, record)) out.push({ type, ...candidate, ...(String(candidate.params.decision).startsWith('refuse') ? { sealedRequired: true } : {}) });
        break;
      case 'request.assure': {
        const remaining = (record.decision?.assurances ?? []).filter((assurance) => !record.assurancesGiven.includes(assurance));
        if (remaining.length > 0) add(type, `give ${remaining.join(', ')}`, { assurances: remaining });
        break;
      }
      case 'request.schedule-surrender':
        // The date is the official's; today's date is one that applies whenever any does.
        add(type, 'schedule the surrender', { date: isoTime(now).slice(0, 10) });
        break;
      case 'request.provide':
        // The files are the official's, uploaded to the sealed store; a check names a stand-in.
        add(type, 'deliver the data', { evidence: [`sha256:${'0'.repeat(64)}`] });
        break;
      case 'prosecution.milestone':
        for (const milestone of MILESTONES) add(type, `report ${milestone}`, { milestone });
        break;
      case 'prosecution.outcome':
        for (const outcome of OUTCOMES) add(type, `report ${outcome}`, { outcome });
        break;
      default:
        add(type, type.slice(type.indexOf('.') + 1).replace(/-/g, ' '));
    }
  }
  return out;
}

function consultGrounds(treaty: Treaty): string[] {
  const named = treaty.consultation.map((entry) => entry.ground);
  // A treaty with no consultation clause still lets a party consult; any ground will do.
  return named.length > 0 ? [...new Set(named)] : treaty.grounds.map((ground) => ground.id);
}

/**
 * The decisions open to the requested party now, from the treaty's evaluation of the request:
 * a grant (plain, or conditional on the assurances required), a grant conditional on
 * reciprocity where the treaty allows one, and a refusal on each ground it may cite, with a
 * prosecution instead where the ground requires one (Budapest art. 24(6)).
 */
function decisionCandidates(state: State, treaty: Treaty, record: RequestRecord): { label: string; params: Record<string, unknown> }[] {
  const evaluation = evaluate(treaty, record.view, state);
  const required = [...evaluation.assurancesRequired];
  const out: { label: string; params: Record<string, unknown> }[] = [];
  if (required.length === 0) out.push({ label: 'grant', params: { decision: 'grant' } });
  else out.push({ label: `grant on the assurances ${required.join(', ')}`, params: { decision: 'grant-conditional', assurances: required } });
  // A request for data is granted or refused only (evidence/kinds.ts): never traded.
  if (treaty.reciprocity.conditionalGrants && !isEvidenceKind(record.view.kind)) {
    out.push({ label: 'grant on condition of reciprocity', params: { decision: 'grant-conditional', onReciprocity: true, ...(required.length > 0 ? { assurances: required } : {}) } });
  }
  for (const ground of [...evaluation.mandatoryRefusals, ...evaluation.availableGrounds]) {
    const prosecute = evaluation.prosecuteInsteadGrounds.includes(ground);
    out.push({ label: prosecute ? `refuse on ${ground} and prosecute instead` : `refuse on ${ground}`, params: { decision: prosecute ? 'refuse-prosecute' : 'refuse', ground } });
  }
  // A ground that rests on the requested party's own finding (Budapest art. 27(4)(b): its
  // essential interests) is open to it whenever it so finds: offered with the finding.
  for (const ground of treaty.grounds) {
    if (ground.test !== 'essential-interests' || !groundApplies(ground, record.view.kind) || evaluation.availableGrounds.includes(ground.id)) continue;
    out.push({ label: `refuse on ${ground.id}, finding it so`, params: { decision: 'refuse', ground: ground.id, findings: { essentialInterests: true } } });
  }
  return out;
}
