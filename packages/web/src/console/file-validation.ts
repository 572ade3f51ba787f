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
}

export function fileBody(form: FileForm): Record<string, unknown> {
  const sealed = { ...(form.identity.trim() ? { identity: form.identity.trim() } : {}), ...(form.statement.trim() ? { statement: form.statement.trim() } : {}) };
  return {
    request: form.request.trim(),
    requested: form.requested,
    kind: form.kind,
    purpose: form.purpose,
    subject: { pseudonym: form.pseudonym.trim(), nationalities: form.nationalities, ageAtOffence: form.ageAtOffence === '' ? Number.NaN : Number(form.ageAtOffence) },
    offences: form.offences,
    offenceDate: form.offenceDate,
    ...(form.sentenceRemainingMonths === '' ? {} : { sentenceRemainingMonths: Number(form.sentenceRemainingMonths) }),
    ...(Object.keys(sealed).length > 0 ? { sealed } : {}),
  };
}

/** Field name (as the form names it) → the first problem with it. */
export type FieldErrors = Readonly<Record<string, string>>;

export function checkFiling(form: FileForm, treaty: Treaty | null, party: string): FieldErrors {
  const errors: Record<string, string> = {};
  const parsed = entryBodySchemas['request.file'].safeParse(fileBody(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // subject.pseudonym → pseudonym: the form's fields are flat.
      const name = String(issue.path.at(issue.path[0] === 'subject' ? 1 : 0) ?? issue.path[0] ?? 'request');
      errors[name] ??= issue.code === 'invalid_type' && name === 'ageAtOffence' ? 'a whole number of years' : issue.message;
    }
  }
  if (treaty) {
    const parties = treaty.parties.map((item) => item.id);
    if (form.requested === party) errors.requested = `${party} cannot request itself`;
    else if (form.requested && !parties.includes(form.requested)) errors.requested ??= `${form.requested} is not a party to ${treaty.id}`;
    const known = new Set(treaty.offences.map((offence) => offence.id));
    const unknown = form.offences.filter((offence) => !known.has(offence));
    if (unknown.length > 0) errors.offences = `not an offence category of ${treaty.id}: ${unknown.join(', ')}`;
    if (form.purpose === 'enforcement' && form.sentenceRemainingMonths === '') errors.sentenceRemainingMonths ??= `enforcement needs the sentence still to serve (${treaty.extraditability.article})`;
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
