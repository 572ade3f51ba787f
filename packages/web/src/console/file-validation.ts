import { en, type Messages } from '../i18n/en.ts';
import { entryBodySchemas, evaluate, type Evaluation, type GroundInvocation, type Treaty } from './core-rules.ts';

/**
 * The filing form's checks, as you type (issue 5): the same zod schema the exchange and the
 * gateways apply to a request.file body, the treaty's own lists (parties, offence
 * categories), and the treaty's evaluation of what has been typed so far. The rules read
 * public fields only, so the preview never needs the sealed ones.
 */
export interface FileForm {
  readonly request: string;
  readonly requested: string;
  readonly kind: string;
  readonly purpose: string;
  readonly pseudonym: string;
  readonly nationalities: readonly string[];
  readonly ageAtOffence: string;
  readonly offences: readonly string[];
  readonly offenceDate: string;
  readonly sentenceRemainingMonths: string;
  readonly identity: string;
  readonly statement: string;
  /** Sealed references of the file itself (issue 15). */
  readonly caseReference: string;
  readonly court: string;
  readonly warrantDate: string;
  /** Attachments sealed into the evidence store: their references (sha256:…) and names. */
  readonly evidence: readonly { readonly ref: string; readonly filename: string; readonly size: number }[];
  /** Public: the registered incidents the request concerns (issue 17). */
  readonly incidents?: readonly string[];
  /** Public: earlier requests this one relates to (issue 17), as typed (ids separated by commas), and how. */
  readonly relatedIds?: string;
  readonly relation?: string;
  /** The request this one continues: a provisional arrest (ECE art. 16(4)) or a preservation (Budapest art. 29(7)). */
  readonly follows?: string;
}

export function fileBody(form: FileForm): Record<string, unknown> {
  const sealed = {
    ...(form.identity.trim() ? { identity: form.identity.trim() } : {}),
    ...(form.statement.trim() ? { statement: form.statement.trim() } : {}),
    ...(form.caseReference.trim() ? { caseReference: form.caseReference.trim() } : {}),
    ...(form.court.trim() ? { court: form.court.trim() } : {}),
    ...(form.warrantDate.trim() ? { warrantDate: form.warrantDate.trim() } : {}),
    ...(form.evidence.length > 0 ? { evidence: form.evidence.map((item) => item.ref) } : {}),
  };
  return {
    request: form.request.trim(),
    requested: form.requested,
    kind: form.kind,
    ...(form.follows?.trim() ? { follows: form.follows.trim() } : {}),
    purpose: form.purpose,
    subject: { pseudonym: form.pseudonym.trim(), nationalities: form.nationalities, ageAtOffence: form.ageAtOffence === '' ? Number.NaN : Number(form.ageAtOffence) },
    offences: form.offences,
    offenceDate: form.offenceDate,
    ...(form.sentenceRemainingMonths === '' ? {} : { sentenceRemainingMonths: Number(form.sentenceRemainingMonths) }),
    ...(form.incidents && form.incidents.length > 0 ? { incidents: form.incidents } : {}),
    ...relatedOf(form),
    ...(Object.keys(sealed).length > 0 ? { sealed } : {}),
  };
}

/** The related requests as the body carries them: one link per id typed, each with the relation chosen. */
function relatedOf(form: FileForm): { related?: { request: string; relation: string }[] } {
  const ids = (form.relatedIds ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  return ids.length === 0 ? {} : { related: ids.map((request) => ({ request, relation: form.relation || 'co-accused' })) };
}

/** Field name (as the form names it) → the first problem with it. */
export type FieldErrors = Readonly<Record<string, string>>;

export function checkFiling(form: FileForm, treaty: Treaty | null, party: string, t: Messages = en): FieldErrors {
  const errors: Record<string, string> = {};
  const parsed = entryBodySchemas['request.file'].safeParse(fileBody(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // subject.pseudonym → pseudonym: the form's fields are flat.
      // subject.pseudonym → pseudonym, sealed.warrantDate → warrantDate: the form's fields are flat.
      const name = String(issue.path.at(issue.path[0] === 'subject' || issue.path[0] === 'sealed' ? 1 : 0) ?? issue.path[0] ?? 'request');
      errors[name] ??= issue.code === 'invalid_type' && name === 'ageAtOffence' ? t.filing.errors.wholeYears : name === 'offenceDate' || name === 'warrantDate' ? t.filing.errors.isoDate : issue.message;
    }
  }
  if (treaty) {
    const parties = treaty.parties.map((item) => item.id);
    if (form.requested === party) errors.requested = t.filing.errors.self(party);
    else if (form.requested && !parties.includes(form.requested)) errors.requested ??= t.filing.errors.notParty(form.requested, treaty.id);
    const known = new Set(treaty.offences.map((offence) => offence.id));
    const unknown = form.offences.filter((offence) => !known.has(offence));
    if (unknown.length > 0) errors.offences = t.filing.errors.unknownOffence(treaty.id, unknown.join(', '));
    if (form.purpose === 'enforcement' && form.sentenceRemainingMonths === '') errors.sentenceRemainingMonths ??= t.filing.errors.enforcement(treaty.extraditability.article);
  }
  return errors;
}

/**
 * The treaty's verdict on the filing as typed, or null while it is not yet a valid body.
 * `invocations` are the grounds cited so far in the log (the gateway's replay): a mirrored
 * ground is available against a party that has cited it (Arrangement art. 5(1)), exactly
 * as in the evaluation the gateway shows once the request is filed.
 */
export function previewEvaluation(form: FileForm, treaty: Treaty | null, party: string, now: number, invocations: readonly GroundInvocation[]): Evaluation | null {
  if (!treaty) return null;
  const parsed = entryBodySchemas['request.file'].safeParse(fileBody(form));
  if (!parsed.success) return null;
  const body = parsed.data;
  return evaluate(
    treaty,
    { requesting: party, requested: body.requested, kind: body.kind, purpose: body.purpose, subject: body.subject, offences: body.offences, offenceDate: body.offenceDate, sentenceRemainingMonths: body.sentenceRemainingMonths, facts: body.facts, filedAt: now },
    { invocations },
  );
}

/** The form from a saved draft body (the inverse of `fileBody`, attachments named by their reference). */
export function formOf(body: Record<string, unknown>, fallback: FileForm): FileForm {
  const subject = (body.subject ?? {}) as { pseudonym?: unknown; nationalities?: unknown; ageAtOffence?: unknown };
  const sealed = (body.sealed ?? {}) as Record<string, unknown>;
  const text = (value: unknown, otherwise: string) => (typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : otherwise);
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return {
    request: text(body.request, fallback.request),
    requested: text(body.requested, fallback.requested),
    kind: text(body.kind, fallback.kind),
    purpose: text(body.purpose, fallback.purpose),
    pseudonym: text(subject.pseudonym, ''),
    nationalities: list(subject.nationalities),
    ageAtOffence: text(subject.ageAtOffence, ''),
    offences: list(body.offences),
    offenceDate: text(body.offenceDate, ''),
    sentenceRemainingMonths: text(body.sentenceRemainingMonths, ''),
    identity: text(sealed.identity, ''),
    statement: text(sealed.statement, ''),
    caseReference: text(sealed.caseReference, ''),
    court: text(sealed.court, ''),
    warrantDate: text(sealed.warrantDate, ''),
    evidence: list(sealed.evidence).map((ref) => ({ ref, filename: ref, size: 0 })),
    incidents: list(body.incidents),
    follows: text(body.follows, ''),
    relatedIds: Array.isArray(body.related) ? body.related.map((link) => text((link as { request?: unknown }).request, '')).filter(Boolean).join(', ') : '',
    relation: Array.isArray(body.related) ? text((body.related[0] as { relation?: unknown } | undefined)?.relation, 'co-accused') : 'co-accused',
  };
}
