import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../shared/http.ts';
import { countdown, isoTime } from '../shared/format.ts';
import { actText, obligationText, type FieldSpec } from './action-catalogue.ts';
import { post, useMe } from './session.tsx';
import type { LegalAct } from './types.ts';

/**
 * One legal act as a small form (the acts come from the core through the gateway): a choice
 * among its ways of taking it when there are several, the fields the official writes, and the
 * gateway's answer. An error that names a field (`body.ground: …`) is shown next to it.
 */
/**
 * `onDone` gets the words to show once the act is signed: the act may then no longer apply and
 * its form disappear, so the page around it keeps the acknowledgement in view.
 */
export function ActionForm({ act, now, urgent, onDone, confirmText }: { readonly act: LegalAct; readonly now: number; readonly urgent?: boolean; readonly onDone: (notice: string) => void; readonly confirmText?: string }) {
  const me = useMe();
  const id = useId();
  const text = actText(act.type);
  const [choice, setChoice] = useState(0);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const variant = act.variants[Math.min(choice, act.variants.length - 1)]!;
  const sealed = act.sealed ? [{ name: act.sealed.name, label: text.sealedLabel ?? `${act.sealed.name} (sealed)`, kind: 'textarea' as const, required: act.sealed.required || variant.sealedRequired === true }] : [];
  // The act's own date choice (a surrender date) prefills its field.
  const fields: FieldSpec[] = [...(text.fields ?? []), ...sealed];
  const valueOf = (name: string) => values[name] ?? (typeof variant.params[name] === 'string' ? String(variant.params[name]) : '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = fields.find((field) => field.required && !valueOf(field.name).trim());
    if (missing) return setError({ field: missing.name, message: missing.kind === 'check' ? `Tick “${missing.label}” first` : `${missing.label} is required` });
    // Acts that bind the state for good (a commit) ask once more.
    if (confirmText && !confirming) return setConfirming(true);
    setBusy(true);
    setError(null);
    try {
      const answer = await post<Record<string, unknown>>(me, act.path, { ...variant.params, ...bodyOf(fields, valueOf) });
      setValues({});
      setConfirming(false);
      onDone(answer.proposal ? `${text.label}: proposed. Another approver of your state must now confirm it.` : `${text.label}: signed and submitted as log entry ${String(answer.index)}.`);
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { code: 'ERROR', message: String(caught) };
      const field = 'field' in body && body.field ? body.field.replace(/^body\.(sealed\.)?/, '') : undefined;
      setError(field && fields.some((each) => each.name === field) ? { field, message: body.message } : { message: `${body.code}: ${body.message}` });
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={text.label} noValidate className={urgent ? 'urgent' : undefined} data-act={act.type}>
      <h4>{text.label}</h4>
      {act.discharges ? (
        <p className={act.discharges.overdue ? 'overdue-badge' : undefined}>
          Discharges: {obligationText(act.discharges.kind)}, {act.discharges.pausedSince !== undefined ? `clock paused since ${isoTime(act.discharges.pausedSince)}` : `due ${isoTime(act.discharges.due)} (${countdown(act.discharges.due, now)})`}
        </p>
      ) : null}
      <p>{text.help}</p>
      {act.variants.length > 1 ? (
        <>
          <label htmlFor={`${id}-variant`}>Choice</label>
          <select id={`${id}-variant`} value={choice} onChange={(event) => setChoice(Number(event.target.value))}>
            {act.variants.map((each, index) => <option key={each.label} value={index}>{each.label}</option>)}
          </select>
        </>
      ) : Object.keys(variant.params).length > 0 ? <p className="variant">{variant.label}</p> : null}
      {variant.availableFrom !== undefined ? <p className="notice">Can be confirmed from {isoTime(variant.availableFrom)}, when the consultation period ends (earlier if the requesting party replies).</p> : null}
      {fields.map((field) => {
        const inputId = `${id}-${field.name}`;
        const fieldError = error?.field === field.name ? error.message : undefined;
        return (
          <div key={field.name}>
            <label htmlFor={inputId}>{field.label}{field.required ? ' (required)' : ''}</label>
            <FieldInput field={field} id={inputId} value={valueOf(field.name)} invalid={fieldError !== undefined} errorId={`${inputId}-error`} onChange={(value) => setValues((old) => ({ ...old, [field.name]: value }))} />
            {fieldError ? <p className="field-error" id={`${inputId}-error`} role="alert">{fieldError}</p> : null}
          </div>
        );
      })}
      {error && !fields.some((field) => field.name === error.field) ? <p className="field-error" role="alert">{error.message}</p> : null}
      {confirming ? <p role="alert" className="notice">{confirmText} <strong>Press the button again to confirm.</strong></p> : null}
      <p>
        <button type="submit" disabled={busy}>{busy ? 'Signing…' : confirming ? `Yes, ${text.label.toLowerCase()}` : act.twoPerson ? `${text.label} (first approver)` : text.label}</button>
        {confirming ? <button type="button" className="secondary" onClick={() => setConfirming(false)}>Cancel</button> : null}
      </p>
    </form>
  );
}

function FieldInput({ field, id, value, invalid, errorId, onChange }: { readonly field: FieldSpec; readonly id: string; readonly value: string; readonly invalid: boolean; readonly errorId: string; readonly onChange: (value: string) => void }) {
  const common = { id, value, 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined, required: field.required ?? false };
  if (field.kind === 'textarea') return <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />;
  if (field.kind === 'check') return <input id={id} type="checkbox" checked={value === 'yes'} aria-invalid={invalid} aria-describedby={invalid ? errorId : undefined} onChange={(event) => onChange(event.target.checked ? 'yes' : '')} />;
  // Dates as text in ISO form (YYYY-MM-DD), as the treaty and the error messages write them.
  if (field.kind === 'date') return <input {...common} type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" placeholder="YYYY-MM-DD" onChange={(event) => onChange(event.target.value)} />;
  return <input {...common} type={field.kind === 'number' ? 'number' : 'text'} onChange={(event) => onChange(event.target.value)} />;
}

/** The fields the official filled in: numbers as numbers, blanks left out. */
function bodyOf(fields: readonly FieldSpec[], valueOf: (name: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field.name).trim();
    if (!value || field.kind === 'check') continue;
    body[field.name] = field.kind === 'number' ? Number(value) : value;
  }
  return body;
}
