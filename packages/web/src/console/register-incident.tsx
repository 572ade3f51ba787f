import { useId, useState, type FormEvent, type ReactElement } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ApiError } from '../shared/http.ts';
import { errorText } from '../shared/status.tsx';
import { INCIDENT_SECTORS } from './core-rules.ts';
import { ISO_PLACEHOLDER } from './action-form.tsx';
import { post, useMe } from './session.tsx';

const EMPTY = { incident: '', name: '', date: '', sector: INCIDENT_SECTORS[0] as string, description: '', group: '' };

/**
 * Registers an incident in the log (issue 17, `incident.register`): what the public knows of an
 * attack, so that requests can name it and figures be given per incident and per group. Every
 * field is public, and the form says so: no person is ever named here.
 */
export function RegisterIncident({ onRegistered }: { readonly onRegistered: (id: string) => void }) {
  const me = useMe();
  const t = useT();
  const id = useId();
  const [values, setValues] = useState(EMPTY);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof EMPTY, value: string) => setValues((old) => ({ ...old, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { group, ...rest } = values;
      await post(me, '/api/incidents', { ...rest, incident: rest.incident.trim(), name: rest.name.trim(), description: rest.description.trim(), ...(group.trim() ? { group: group.trim() } : {}) });
      setNotice(t.registerIncident.registered(values.incident.trim()));
      onRegistered(values.incident.trim());
      setValues(EMPTY);
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { message: String(caught) };
      const message = caught instanceof ApiError ? errorText(t, caught) : body.message;
      const field = 'field' in body && body.field ? body.field.replace(/^body\./, '') : undefined;
      setError(field && field in EMPTY ? { field, message } : { message });
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof EMPTY, label: string, input: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactElement) => (
    <div>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input({ id: `${id}-${name}`, 'aria-invalid': error?.field === name, 'aria-describedby': error?.field === name ? `${id}-${name}-error` : undefined })}
      {error?.field === name ? <p className="field-error" id={`${id}-${name}-error`} role="alert">{error.message}</p> : null}
    </div>
  );
  return (
    <details data-testid="register-incident">
      <summary>{t.registerIncident.summary}</summary>
      <form onSubmit={(event) => void submit(event)} aria-label={t.registerIncident.form} noValidate>
        <p>{t.registerIncident.lede}</p>
        {field('incident', t.registerIncident.id, (props) => <input {...props} value={values.incident} onChange={(event) => set('incident', event.target.value)} />)}
        {field('name', t.registerIncident.name, (props) => <input {...props} value={values.name} onChange={(event) => set('name', event.target.value)} />)}
        {field('date', t.registerIncident.date, (props) => <input {...props} inputMode="numeric" placeholder={ISO_PLACEHOLDER} value={values.date} onChange={(event) => set('date', event.target.value)} />)}
        {field('sector', t.registerIncident.sector, (props) => (
          <select {...props} value={values.sector} onChange={(event) => set('sector', event.target.value)}>
            {INCIDENT_SECTORS.map((sector) => <option key={sector} value={sector}>{t.sectors[sector] ?? sector}</option>)}
          </select>
        ))}
        {field('description', t.registerIncident.description, (props) => <textarea {...props} rows={3} value={values.description} onChange={(event) => set('description', event.target.value)} />)}
        {field('group', t.registerIncident.group, (props) => <input {...props} value={values.group} onChange={(event) => set('group', event.target.value)} />)}
        {error && !error.field ? <p className="field-error" role="alert">{error.message}</p> : null}
        {notice ? <p role="status">{notice}</p> : null}
        <p>
          <button type="submit" disabled={busy}>{t.registerIncident.submit}</button>
        </p>
      </form>
    </details>
  );
}
