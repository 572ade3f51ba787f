import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../shared/http.ts';
import type { ActionSpec, FieldSpec } from './action-catalogue.ts';
import { post, useMe } from './session.tsx';

/**
 * One action as a small form: its fields, labelled, and the gateway's answer. An error that
 * names a field (`body.ground: …`) is shown next to that field; others under the button.
 */
export function ActionForm({ spec, path, grounds, onDone }: { readonly spec: ActionSpec; readonly path: string; readonly grounds: readonly string[]; readonly onDone: () => void }) {
  const me = useMe();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = spec.fields.find((field) => field.required && !values[field.name]?.trim());
    if (missing) {
      setError({ field: missing.name, message: `${missing.label} is required` });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<{ index: number }>(me, path, bodyOf(spec.fields, values));
      setDone(`Signed and submitted as log entry ${answer.index}.`);
      setValues({});
      onDone();
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { message: String(caught) };
      const field = 'field' in body && body.field ? body.field.replace(/^body\.(sealed\.)?/, '') : undefined;
      setError(field ? { field, message: body.message } : { message: body.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={spec.label} noValidate>
      <h4>{spec.label}</h4>
      <p>{spec.help}</p>
      {spec.fields.map((field) => {
        const inputId = `${id}-${field.name}`;
        const fieldError = error?.field === field.name ? error.message : undefined;
        return (
          <div key={field.name}>
            <label htmlFor={inputId}>{field.label}{field.required ? ' (required)' : ''}</label>
            <FieldInput field={field} id={inputId} grounds={grounds} value={values[field.name] ?? ''} invalid={fieldError !== undefined} errorId={`${inputId}-error`} onChange={(value) => setValues((old) => ({ ...old, [field.name]: value }))} />
            {fieldError ? <p className="field-error" id={`${inputId}-error`} role="alert">{fieldError}</p> : null}
          </div>
        );
      })}
      {error && !spec.fields.some((field) => field.name === error.field) ? <p className="field-error" role="alert">{error.message}</p> : null}
      {done ? <p role="status">{done}</p> : null}
      <p><button type="submit" disabled={busy}>{busy ? 'Signing…' : spec.label}</button></p>
    </form>
  );
}

function FieldInput({ field, id, grounds, value, invalid, errorId, onChange }: { readonly field: FieldSpec; readonly id: string; readonly grounds: readonly string[]; readonly value: string; readonly invalid: boolean; readonly errorId: string; readonly onChange: (value: string) => void }) {
  const common = { id, value, 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined, required: field.required ?? false };
  if (field.kind === 'textarea') return <textarea {...common} rows={3} cols={40} onChange={(event) => onChange(event.target.value)} />;
  if (field.kind === 'select' || field.kind === 'grounds') {
    const options = field.kind === 'grounds' ? grounds : (field.options ?? []);
    return (
      <select {...common} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose…</option>
        {options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    );
  }
  return <input {...common} type={field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text'} onChange={(event) => onChange(event.target.value)} />;
}

/** The entry body: numbers as numbers, an assurance as the one-element list the schema wants, blanks left out. */
function bodyOf(fields: readonly FieldSpec[], values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name]?.trim();
    if (!value) continue;
    if (field.kind === 'number') body[field.name] = Number(value);
    else if (field.name === 'assurances') body[field.name] = [value];
    else body[field.name] = value;
  }
  return body;
}
