import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { GroundInvocation, Treaty } from './core-rules.ts';
import { ApiError } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { RuleList } from './evaluation-section.tsx';
import { checkFiling, fileBody, previewEvaluation, type FileForm } from './file-validation.ts';
import { go } from './router.ts';
import { post, useMe } from './session.tsx';
import { loadTreatyContext } from './treaty.ts';

/**
 * Filing a request (issue 5): a form the treaty validates as you type, with each error next
 * to its field, and the treaty's evaluation of the request as it stands. It files through the
 * gateway, which signs and seals it, or saves a draft that stays in this gateway.
 */
export function FileRequestPage() {
  const me = useMe();
  const [context, reload] = useFetch(() => loadTreatyContext<Treaty>(), 'treaty');
  if (me.role !== 'clerk') return <p>Only a clerk files requests; you are {me.role}.</p>;
  if (context.state === 'loading') return <Loading what="the treaty" />;
  if (context.state === 'error') return <ErrorNote error={context.error} retry={reload} />;
  if (!context.value.treaty) return <p>No treaty is in force yet, so there is nothing to file under.</p>;
  return <FilingForm treaty={context.value.treaty} invocations={context.value.invocations} />;
}

const empty = (party: string): FileForm => ({
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
});

function FilingForm({ treaty, invocations }: { readonly treaty: Treaty; readonly invocations: readonly GroundInvocation[] }) {
  const me = useMe();
  const [form, setForm] = useState<FileForm>(() => empty(me.party));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverError, setServerError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const errors = useMemo(() => checkFiling(form, treaty, me.party), [form, treaty, me.party]);
  const preview = useMemo(() => previewEvaluation(form, treaty, me.party, Math.floor(Date.now() / 1000), invocations), [form, treaty, me.party, invocations]);
  const set = <K extends keyof FileForm>(name: K, value: FileForm[K]) => {
    setForm((old) => ({ ...old, [name]: value }));
    setTouched((old) => new Set(old).add(name));
    setServerError(null);
  };
  const toggle = (name: 'nationalities' | 'offences', value: string, on: boolean) => set(name, on ? [...form[name], value] : form[name].filter((item) => item !== value));
  const errorOf = (name: string) => (touched.has(name) ? errors[name] : undefined) ?? (serverError?.field === name ? serverError.message : undefined);

  const send = async (event: FormEvent, asDraft: boolean) => {
    event.preventDefault();
    setTouched(new Set(Object.keys(form)));
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      if (asDraft) {
        const draft = await post<{ id: string }>(me, '/api/drafts', fileBody(form));
        go('drafts', draft.id);
      } else {
        await post(me, '/api/requests', fileBody(form));
        setNotice(`Filed ${form.request}.`);
        go('requests', form.request.trim());
      }
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { message: String(caught) };
      const field = 'field' in body && body.field ? body.field.replace(/^body\.(subject\.|sealed\.)?/, '').split('.')[0] : undefined;
      setServerError(field ? { field, message: body.message } : { message: body.message });
    } finally {
      setBusy(false);
    }
  };
  const parties = treaty.parties.filter((party) => party.id !== me.party);

  return (
    <>
      <h2>File a request under {treaty.title}</h2>
      <form onSubmit={(event) => void send(event, false)} aria-label="File a request" noValidate>
        <Field name="request" label="Request id" error={errorOf('request')}>
          {(props) => <input {...props} value={form.request} onChange={(event) => set('request', event.target.value)} />}
        </Field>
        <Field name="requested" label="Requested party" error={errorOf('requested')}>
          {(props) => (
            <select {...props} value={form.requested} onChange={(event) => set('requested', event.target.value)}>
              <option value="">Choose…</option>
              {parties.map((party) => <option key={party.id} value={party.id}>{party.id}: {party.name}</option>)}
            </select>
          )}
        </Field>
        <Field name="kind" label="Kind" error={errorOf('kind')}>
          {(props) => (
            <select {...props} value={form.kind} onChange={(event) => set('kind', event.target.value)}>
              <option value="extradition">extradition</option>
              <option value="provisional-arrest">provisional arrest (ECE art. 16)</option>
            </select>
          )}
        </Field>
        <Field name="purpose" label="Purpose" error={errorOf('purpose')}>
          {(props) => (
            <select {...props} value={form.purpose} onChange={(event) => set('purpose', event.target.value)}>
              <option value="prosecution">prosecution</option>
              <option value="enforcement">enforcement of a sentence</option>
            </select>
          )}
        </Field>
        <Field name="pseudonym" label="Subject's pseudonymous id (never a name)" error={errorOf('pseudonym')}>
          {(props) => <input {...props} value={form.pseudonym} onChange={(event) => set('pseudonym', event.target.value)} />}
        </Field>
        <Checkboxes legend="Subject's nationalities" name="nationalities" options={treaty.parties.map((party) => ({ id: party.id, label: party.id }))} chosen={form.nationalities} error={errorOf('nationalities')} onToggle={(id, on) => toggle('nationalities', id, on)} />
        <Field name="ageAtOffence" label="Age at the offence (years)" error={errorOf('ageAtOffence')}>
          {(props) => <input {...props} type="number" min={0} max={120} value={form.ageAtOffence} onChange={(event) => set('ageAtOffence', event.target.value)} />}
        </Field>
        <Checkboxes legend="Offence categories" name="offences" options={treaty.offences.map((offence) => ({ id: offence.id, label: `${offence.title} (${offence.article})` }))} chosen={form.offences} error={errorOf('offences')} onToggle={(id, on) => toggle('offences', id, on)} />
        <Field name="offenceDate" label="Date of the offence" error={errorOf('offenceDate')}>
          {(props) => <input {...props} type="date" value={form.offenceDate} onChange={(event) => set('offenceDate', event.target.value)} />}
        </Field>
        <Field name="sentenceRemainingMonths" label="Sentence still to serve, in months (enforcement only)" error={errorOf('sentenceRemainingMonths')}>
          {(props) => <input {...props} type="number" min={0} value={form.sentenceRemainingMonths} onChange={(event) => set('sentenceRemainingMonths', event.target.value)} />}
        </Field>
        <Field name="identity" label="Identity of the person (sealed: only the parties can read it)" error={errorOf('identity')}>
          {(props) => <input {...props} value={form.identity} onChange={(event) => set('identity', event.target.value)} />}
        </Field>
        <Field name="statement" label="Statement of facts (sealed)" error={errorOf('statement')}>
          {(props) => <textarea {...props} rows={4} cols={60} value={form.statement} onChange={(event) => set('statement', event.target.value)} />}
        </Field>
        {serverError && !serverError.field ? <p className="field-error" role="alert">{serverError.message}</p> : null}
        {notice ? <p role="status">{notice}</p> : null}
        <p>
          <button type="submit" disabled={busy}>File request</button>{' '}
          <button type="button" className="secondary" disabled={busy} onClick={(event) => void send(event, true)}>Save as draft</button>
        </p>
      </form>
      <section aria-labelledby="preview-heading" aria-live="polite">
        <h3 id="preview-heading">The treaty on this request, as typed</h3>
        {preview === null ? (
          <p>Complete the form to see the treaty's evaluation.</p>
        ) : (
          <>
            <p data-testid="preview-verdict">
              {preview.extraditable && preview.mandatoryRefusals.length === 0 ? 'Extraditable' : `Mandatory refusal: ${preview.mandatoryRefusals.join(', ')}`}
              {preview.availableGrounds.length > 0 ? `; ${form.requested} may refuse on ${preview.availableGrounds.join(', ')}` : ''}
              {preview.prosecuteInsteadGrounds.length > 0 ? `; a refusal on ${preview.prosecuteInsteadGrounds.join(', ')} obliges ${form.requested} to prosecute instead` : ''}.
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
        <label key={option.id} htmlFor={`file-${name}-${option.id}`} style={{ fontWeight: 400 }}>
          <input id={`file-${name}-${option.id}`} type="checkbox" checked={chosen.includes(option.id)} onChange={(event) => onToggle(option.id, event.target.checked)} /> {option.label}
        </label>
      ))}
      {error ? <p className="field-error" id={`file-${name}-error`} data-testid={`error-${name}`}>{error}</p> : null}
    </fieldset>
  );
}
