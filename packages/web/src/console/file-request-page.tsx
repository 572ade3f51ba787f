import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { EVIDENCE_KINDS, REQUEST_RELATIONS, type GroundInvocation, type Treaty } from './core-rules.ts';
import { useLang, useT } from '../i18n/i18n.tsx';
import { titleOf, titlesOf } from '../i18n/titles.ts';
import { api, ApiError } from '../shared/http.ts';
import { ErrorNote, errorText, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { ISO_PLACEHOLDER } from './action-form.tsx';
import { RuleList } from './evaluation-section.tsx';
import { isData } from './request-kinds.ts';
import { checkFiling, fileBody, previewEvaluation, type FileForm } from './file-validation.ts';
import { useIncidents } from './incidents.ts';
import { RegisterIncident } from './register-incident.tsx';
import { useLive } from './live.tsx';
import { go } from './router.ts';
import { post, useMe } from './session.tsx';
import { uploadEvidence } from './evidence-upload.ts';
import { loadTreatyContext } from './treaty.ts';

/**
 * Filing a request (issue 5): a form the treaty validates as you type, with each error next
 * to its field, and the treaty's evaluation of the request as it stands. It files through the
 * gateway, which signs and seals it, or saves a draft that stays in this gateway. A request the
 * treaty says will meet a mandatory refusal is filed only after a confirmation naming it.
 */
export function FileRequestPage() {
  const me = useMe();
  const t = useT();
  const [context, reload] = useFetch(() => loadTreatyContext<Treaty>(), 'treaty');
  if (me.role !== 'clerk') return <p>{t.filing.onlyClerk(t.roles[me.role] ?? me.role)}</p>;
  if (context.state === 'loading') return <Loading what={t.filing.treaty} />;
  if (context.state === 'error') return <ErrorNote error={context.error} retry={reload} />;
  if (!context.value.treaty) return <p>{t.filing.noTreaty}</p>;
  return <FilingForm treaty={context.value.treaty} invocations={context.value.invocations} />;
}

export const emptyForm = (party: string): FileForm => ({
  request: `${party}-${new Date().getUTCFullYear()}-`,
  requested: '',
  kind: 'extradition',
  purpose: 'prosecution',
  pseudonym: '',
  nationalities: [],
  ageAtOffence: '',
  offences: [],
  offenceDate: '',
  sentenceRemainingMonths: '',
  identity: '',
  statement: '',
  caseReference: '',
  court: '',
  warrantDate: '',
  evidence: [],
  incidents: [],
});

/** `draft`: the draft being edited (its id and body as the form), saved back in place instead of as a new draft. */
export function FilingForm({ treaty, invocations, draft }: { readonly treaty: Treaty; readonly invocations: readonly GroundInvocation[]; readonly draft?: { readonly id: string; readonly form: FileForm } }) {
  const me = useMe();
  const t = useT();
  const { lang } = useLang();
  const titles = titlesOf(treaty, lang);
  const live = useLive();
  const incidents = useIncidents(live.version);
  const [form, setForm] = useState<FileForm>(() => draft?.form ?? emptyForm(me.party));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverError, setServerError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const errors = useMemo(() => checkFiling(form, treaty, me.party, t), [form, treaty, me.party, t]);
  const preview = useMemo(() => previewEvaluation(form, treaty, me.party, Math.floor(Date.now() / 1000), invocations), [form, treaty, me.party, invocations]);
  const set = <K extends keyof FileForm>(name: K, value: FileForm[K]) => {
    setForm((old) => ({ ...old, [name]: value }));
    setTouched((old) => new Set(old).add(name));
    setServerError(null);
    setConfirming(false);
  };
  const toggle = (name: 'nationalities' | 'offences', value: string, on: boolean) => set(name, on ? [...form[name], value] : form[name].filter((item) => item !== value));
  const errorOf = (name: string) => (touched.has(name) ? errors[name] : undefined) ?? (serverError?.field === name ? serverError.message : undefined);
  const grounds = (ids: readonly string[]) => ids.map((id) => titles.ground(id)).join(', ');
  const mandatory = preview && (preview.mandatoryRefusals.length > 0 || !preview.extraditable) ? grounds(preview.mandatoryRefusals) || t.evaluation.mirrorNotExtraditable : null;

  const send = async (event: FormEvent, asDraft: boolean) => {
    event.preventDefault();
    setTouched(new Set(Object.keys(form)));
    if (Object.keys(errors).length > 0) return;
    // A request the treaty says must be refused is filed only once the clerk has read why.
    if (!asDraft && mandatory && !confirming) return setConfirming(true);
    setBusy(true);
    try {
      // An edited draft is saved in place first, so that what is filed is what is on screen.
      if (draft) await api('PUT', `/api/drafts/${encodeURIComponent(draft.id)}`, { body: fileBody(form), csrf: me.csrfToken });
      if (asDraft && draft) {
        go('drafts', draft.id);
      } else if (asDraft) {
        const saved = await post<{ id: string }>(me, '/api/drafts', fileBody(form));
        go('drafts', saved.id);
      } else {
        // Answered on the exchange's receipt (wait=false): the request's page, shown next, waits for the witnessed checkpoint and says "pending" meanwhile.
        await post(me, draft ? `/api/drafts/${encodeURIComponent(draft.id)}/file?wait=false` : '/api/requests?wait=false', draft ? {} : fileBody(form));
        setNotice(t.filing.filed(form.request));
        go('requests', form.request.trim());
      }
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { message: String(caught) };
      const message = caught instanceof ApiError ? errorText(t, caught) : body.message;
      // body.subject.pseudonym → pseudonym, body.incidents[1] → incidents: the form's fields are flat.
      const field = 'field' in body && body.field ? body.field.replace(/^body\.(subject\.|sealed\.)?/, '').split(/[.[]/)[0] : undefined;
      setServerError(field ? { field, message } : { message });
    } finally {
      setBusy(false);
    }
  };

  const attach = async (files: FileList | null) => {
    if (!files || !form.requested || errors.request !== undefined) return;
    // Each upload adds to the files already attached, those of this same selection included.
    let attached = form.evidence;
    for (const file of [...files]) {
      try {
        // Under the key the filing will carry, reserved for this request id: erased with the case.
        attached = [...attached, await uploadEvidence(me.csrfToken, { request: form.request.trim() }, file)];
        set('evidence', attached);
      } catch (caught) {
        setServerError({ field: 'evidence', message: caught instanceof Error ? caught.message : String(caught) });
      }
    }
  };
  const parties = treaty.parties.filter((party) => party.id !== me.party);

  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.filing.title(titles.treaty())}</h2>
      <form onSubmit={(event) => void send(event, false)} aria-label={t.filing.form} noValidate>
        <Field name="request" label={t.filing.request} error={errorOf('request')}>
          {/* Fixed once a file is attached: the file is sealed under this request's own key (docs/erasure.md). */}
          {(props) => <input {...props} value={form.request} readOnly={form.evidence.length > 0} onChange={(event) => set('request', event.target.value)} />}
        </Field>
        <Field name="requested" label={t.filing.requested} error={errorOf('requested')}>
          {(props) => (
            <select {...props} value={form.requested} onChange={(event) => set('requested', event.target.value)}>
              <option value="">{t.filing.choose}</option>
              {parties.map((party) => <option key={party.id} value={party.id}>{party.id}: {party.name}</option>)}
            </select>
          )}
        </Field>
        <Field name="kind" label={t.filing.kind} error={errorOf('kind')}>
          {(props) => (
            <select {...props} value={form.kind} onChange={(event) => set('kind', event.target.value)}>
              {['extradition', 'provisional-arrest', ...EVIDENCE_KINDS.filter((kind) => treaty.evidence?.kinds[kind] !== undefined)].map((kind) => <option key={kind} value={kind}>{t.kinds[kind]}</option>)}
            </select>
          )}
        </Field>
        <Field name="related" label={t.filing.related} error={errorOf('related')}>
          {(props) => <input {...props} value={form.relatedIds ?? ''} onChange={(event) => set('relatedIds', event.target.value)} />}
        </Field>
        <Field name="relation" label={t.filing.relation} error={errorOf('relation')}>
          {(props) => (
            <select {...props} value={form.relation ?? 'co-accused'} onChange={(event) => set('relation', event.target.value)}>
              {REQUEST_RELATIONS.map((relation) => <option key={relation} value={relation}>{t.incidents.relations[relation] ?? relation}</option>)}
            </select>
          )}
        </Field>
        <Field name="follows" label={t.filing.follows} error={errorOf('follows')}>
          {(props) => <input {...props} value={form.follows ?? ''} onChange={(event) => set('follows', event.target.value)} />}
        </Field>
        <Field name="purpose" label={t.filing.purpose} error={errorOf('purpose')}>
          {(props) => (
            <select {...props} value={form.purpose} onChange={(event) => set('purpose', event.target.value)}>
              {['prosecution', 'enforcement'].map((purpose) => <option key={purpose} value={purpose}>{t.purposes[purpose]}</option>)}
            </select>
          )}
        </Field>
        <Field name="pseudonym" label={t.filing.pseudonym} error={errorOf('pseudonym')}>
          {(props) => <input {...props} value={form.pseudonym} onChange={(event) => set('pseudonym', event.target.value)} />}
        </Field>
        <Checkboxes legend={t.filing.nationalities} name="nationalities" options={treaty.parties.map((party) => ({ id: party.id, label: party.id }))} chosen={form.nationalities} error={errorOf('nationalities')} onToggle={(id, on) => toggle('nationalities', id, on)} />
        <Field name="ageAtOffence" label={t.filing.age} error={errorOf('ageAtOffence')}>
          {(props) => <input {...props} type="number" min={0} max={120} value={form.ageAtOffence} onChange={(event) => set('ageAtOffence', event.target.value)} />}
        </Field>
        <Checkboxes legend={t.filing.offences} name="offences" options={treaty.offences.map((offence) => ({ id: offence.id, label: `${titleOf(treaty.offences, offence.id, lang)} (${offence.article})` }))} chosen={form.offences} error={errorOf('offences')} onToggle={(id, on) => toggle('offences', id, on)} />
        {incidents.state === 'ready' ? (
          incidents.value.length === 0 ? (
            <p data-testid="no-incidents">{t.incidents.fieldNone}</p>
          ) : (
            <Checkboxes legend={t.incidents.field} name="incidents" options={incidents.value.map((incident) => ({ id: incident.id, label: t.incidents.option(incident.name, incident.date, incident.group) }))} chosen={form.incidents ?? []} error={errorOf('incidents')} onToggle={(id, on) => set('incidents', on ? [...(form.incidents ?? []), id] : (form.incidents ?? []).filter((item) => item !== id))} />
          )
        ) : null}
        <Field name="offenceDate" label={t.filing.offenceDate} error={errorOf('offenceDate')}>
          {(props) => <input {...props} inputMode="numeric" placeholder={ISO_PLACEHOLDER} value={form.offenceDate} onChange={(event) => set('offenceDate', event.target.value)} />}
        </Field>
        <Field name="sentenceRemainingMonths" label={t.filing.sentence} error={errorOf('sentenceRemainingMonths')}>
          {(props) => <input {...props} type="number" min={0} value={form.sentenceRemainingMonths} onChange={(event) => set('sentenceRemainingMonths', event.target.value)} />}
        </Field>
        <Field name="caseReference" label={t.filing.caseReference} error={errorOf('caseReference')}>
          {(props) => <input {...props} value={form.caseReference} onChange={(event) => set('caseReference', event.target.value)} />}
        </Field>
        <Field name="court" label={t.filing.court} error={errorOf('court')}>
          {(props) => <input {...props} value={form.court} onChange={(event) => set('court', event.target.value)} />}
        </Field>
        <Field name="warrantDate" label={t.filing.warrantDate} error={errorOf('warrantDate')}>
          {(props) => <input {...props} inputMode="numeric" placeholder={ISO_PLACEHOLDER} value={form.warrantDate} onChange={(event) => set('warrantDate', event.target.value)} />}
        </Field>
        <Field name="identity" label={t.filing.identity} error={errorOf('identity')}>
          {(props) => <input {...props} value={form.identity} onChange={(event) => set('identity', event.target.value)} />}
        </Field>
        <Field name="statement" label={t.filing.statement} error={errorOf('statement')}>
          {(props) => <textarea {...props} rows={4} value={form.statement} onChange={(event) => set('statement', event.target.value)} />}
        </Field>
        <Field name="evidence" label={t.filing.attachments} error={errorOf('evidence')}>
          {(props) => <input {...props} type="file" multiple disabled={!form.requested || errors.request !== undefined} onChange={(event) => void attach(event.target.files)} />}
        </Field>
        {form.evidence.length > 0 ? (
          <ul data-testid="attachments">
            {form.evidence.map((item) => <li key={item.ref}>{item.filename} — <code>{item.ref}</code></li>)}
          </ul>
        ) : null}
        {serverError && !serverError.field ? <p className="field-error" role="alert">{serverError.message}</p> : null}
        {notice ? <p role="status">{notice}</p> : null}
        {confirming && mandatory ? <p role="alert" className="notice" data-testid="confirm-mandatory">{t.filing.confirmMandatory(mandatory)}</p> : null}
        <p className="buttons">
          <button type="submit" disabled={busy}>{confirming ? t.filing.fileAnyway : t.filing.file}</button>
          <button type="button" className="secondary" disabled={busy} onClick={(event) => void send(event, true)}>{t.filing.saveDraft}</button>
          {confirming ? <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t.common.cancel}</button> : null}
        </p>
      </form>
      {/* Its own form, beside the filing (forms do not nest); a new incident is ticked for this filing. */}
      <RegisterIncident onRegistered={(id) => set('incidents', [...new Set([...(form.incidents ?? []), id])])} />
      <section aria-labelledby="preview-heading" aria-live="polite">
        <h3 id="preview-heading">{t.filing.previewHeading}</h3>
        {preview === null ? (
          <p>{t.filing.previewIncomplete}</p>
        ) : (
          <>
            <p data-testid="preview-verdict">
              {mandatory === null ? (isData(form.kind) ? t.evaluation.forData : t.filing.extraditable) : t.filing.mandatory(mandatory)}
              {preview.availableGrounds.length > 0 ? t.filing.mayRefuse(form.requested, grounds(preview.availableGrounds)) : ''}
              {preview.prosecuteInsteadGrounds.length > 0 ? t.filing.prosecuteInstead(grounds(preview.prosecuteInsteadGrounds), form.requested) : ''}.
            </p>
            <RuleList rules={preview.rules} />
          </>
        )}
      </section>
    </>
  );
}

interface InputProps {
  readonly id: string;
  readonly name: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

function Field({ name, label, error, children }: { readonly name: string; readonly label: string; readonly error: string | undefined; readonly children: (props: InputProps) => ReactNode }) {
  const id = `file-${name}`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${id}-error` : undefined })}
      {error ? <p className="field-error" id={`${id}-error`} data-testid={`error-${name}`}>{error}</p> : null}
    </div>
  );
}

function Checkboxes({ legend, name, options, chosen, error, onToggle }: { readonly legend: string; readonly name: string; readonly options: readonly { id: string; label: string }[]; readonly chosen: readonly string[]; readonly error: string | undefined; readonly onToggle: (id: string, on: boolean) => void }) {
  return (
    <fieldset aria-invalid={error !== undefined} aria-describedby={error ? `file-${name}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.id} htmlFor={`file-${name}-${option.id}`} className="check">
          <input id={`file-${name}-${option.id}`} type="checkbox" checked={chosen.includes(option.id)} onChange={(event) => onToggle(option.id, event.target.checked)} /> {option.label}
        </label>
      ))}
      {error ? <p className="field-error" id={`file-${name}-error`} data-testid={`error-${name}`}>{error}</p> : null}
    </fieldset>
  );
}
