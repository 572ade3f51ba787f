import { useId, useState, type FormEvent } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { ApiError } from '../shared/http.ts';
import { errorText } from '../shared/status.tsx';
import { actFields, actText, type FieldSpec } from './action-catalogue.ts';
import { post, useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { LegalAct, TradeLeg } from './types.ts';
import { variantText } from './variant-text.ts';
import { uploadEvidence, type UploadedEvidence } from './evidence-upload.ts';

/**
 * One legal act as a small form (the acts come from the core through the gateway): a choice
 * among its ways of taking it when there are several, the fields the official writes, and the
 * gateway's answer. An error that names a field (`body.ground: …`) is shown next to it.
 */
/**
 * `onDone` gets the words to show once the act is signed: the act may then no longer apply and
 * its form disappear, so the page around it keeps the acknowledgement in view.
 */
export function ActionForm({ act, now, urgent, onDone, confirmText, legs, caseId }: { readonly act: LegalAct; readonly now: number; readonly urgent?: boolean; readonly onDone: (notice: string) => void; readonly confirmText?: string; readonly legs?: readonly TradeLeg[]; readonly caseId?: string }) {
  const me = useMe();
  const t = useT();
  const f = useFormat();
  const titles = useTitles();
  const id = useId();
  const text = actText(act.type, t);
  const [choice, setChoice] = useState(0);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const variant = act.variants[Math.min(choice, act.variants.length - 1)]!;
  const sealed = act.sealed ? [{ name: act.sealed.name, label: text.sealed ?? t.fields.sealedNamed(act.sealed.name), kind: 'textarea' as const, required: act.sealed.required || variant.sealedRequired === true }] : [];
  // The act's own date choice (a surrender date) prefills its field.
  const fields: FieldSpec[] = [...actFields(act.type, t), ...sealed];
  const choiceText = (each: LegalAct['variants'][number]) => variantText(t, titles, act.type, each.params, each.label, legs);
  const valueOf = (name: string) => values[name] ?? (typeof variant.params[name] === 'string' ? String(variant.params[name]) : '');
  // Files go to the sealed store as soon as they are chosen, under the case's own key.
  const [uploaded, setUploaded] = useState<readonly UploadedEvidence[]>([]);
  const attach = async (name: string, files: FileList | null) => {
    if (!files || !caseId) return;
    let list = uploaded;
    for (const file of [...files]) {
      try {
        list = [...list, await uploadEvidence(me.csrfToken, { request: caseId }, file)];
        setUploaded(list);
        setValues((old) => ({ ...old, [name]: list.map((item) => item.ref).join('\n') }));
      } catch (caught) {
        setError({ field: name, message: caught instanceof Error ? caught.message : String(caught) });
      }
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = fields.find((field) => field.required && !valueOf(field.name).trim());
    if (missing) return setError({ field: missing.name, message: missing.kind === 'check' ? t.actForm.tickFirst(missing.label) : t.actForm.isRequired(missing.label) });
    // Acts that bind the state for good (a commit) ask once more.
    if (confirmText && !confirming) return setConfirming(true);
    setBusy(true);
    setError(null);
    try {
      const answer = await post<Record<string, unknown>>(me, act.path, { ...variant.params, ...bodyOf(fields, valueOf) });
      setValues({});
      setUploaded([]);
      setConfirming(false);
      onDone(answer.proposal ? t.actForm.proposed(text.label) : t.actForm.signed(text.label, String(answer.index)));
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { code: 'ERROR', message: String(caught) };
      const message = caught instanceof ApiError ? errorText(t, caught) : body.message;
      const field = 'field' in body && body.field ? body.field.replace(/^body\.(sealed\.)?/, '') : undefined;
      setError(field && fields.some((each) => each.name === field) ? { field, message } : { message: `${body.code}: ${message}` });
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
          {t.actForm.discharges(t.obligations[act.discharges.kind] ?? act.discharges.kind, act.discharges.pausedSince !== undefined ? t.actForm.pausedSince(f.dateTime(act.discharges.pausedSince)) : t.actForm.due(f.dateTime(act.discharges.due), f.countdown(act.discharges.due, now)))}
        </p>
      ) : null}
      <p>{text.help}</p>
      {act.variants.length > 1 ? (
        <>
          <label htmlFor={`${id}-variant`}>{t.actForm.choice}</label>
          <select id={`${id}-variant`} value={choice} onChange={(event) => setChoice(Number(event.target.value))}>
            {act.variants.map((each, index) => <option key={each.label} value={index}>{choiceText(each)}</option>)}
          </select>
        </>
      ) : Object.keys(variant.params).length > 0 ? <p className="variant">{choiceText(variant)}</p> : null}
      {variant.availableFrom !== undefined ? <p className="notice">{t.actForm.availableFrom(f.dateTime(variant.availableFrom))}</p> : null}
      {fields.map((field) => {
        const inputId = `${id}-${field.name}`;
        const fieldError = error?.field === field.name ? error.message : undefined;
        return (
          <div key={field.name}>
            <label htmlFor={inputId}>{field.label}{field.required ? t.common.required : ''}</label>
            {field.kind === 'files' ? (
              <>
                <input id={inputId} type="file" multiple aria-invalid={fieldError !== undefined} aria-describedby={fieldError ? `${inputId}-error` : undefined} onChange={(event) => void attach(field.name, event.target.files)} />
                {uploaded.length > 0 ? <ul data-testid="uploaded">{uploaded.map((item) => <li key={item.ref}>{item.filename} — <code>{item.ref}</code></li>)}</ul> : null}
              </>
            ) : (
              <FieldInput field={field} id={inputId} value={valueOf(field.name)} invalid={fieldError !== undefined} errorId={`${inputId}-error`} onChange={(value) => setValues((old) => ({ ...old, [field.name]: value }))} />
            )}
            {fieldError ? <p className="field-error" id={`${inputId}-error`} role="alert">{fieldError}</p> : null}
          </div>
        );
      })}
      {error && !fields.some((field) => field.name === error.field) ? <p className="field-error" role="alert">{error.message}</p> : null}
      {confirming ? <p role="alert" className="notice">{confirmText} <strong>{t.actForm.pressAgain}</strong></p> : null}
      <p>
        <button type="submit" disabled={busy}>{busy ? t.actForm.signing : confirming ? t.actForm.yes(text.label) : act.twoPerson ? t.actForm.firstApprover(text.label) : text.label}</button>
        {confirming ? <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t.common.cancel}</button> : null}
      </p>
    </form>
  );
}

function FieldInput({ field, id, value, invalid, errorId, onChange }: { readonly field: FieldSpec; readonly id: string; readonly value: string; readonly invalid: boolean; readonly errorId: string; readonly onChange: (value: string) => void }) {
  const common = { id, value, 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined, required: field.required ?? false };
  if (field.kind === 'textarea') return <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />;
  if (field.kind === 'check') return <input id={id} type="checkbox" checked={value === 'yes'} aria-invalid={invalid} aria-describedby={invalid ? errorId : undefined} onChange={(event) => onChange(event.target.checked ? 'yes' : '')} />;
  // Dates as text in ISO form (YYYY-MM-DD), as the treaty and the error messages write them.
  if (field.kind === 'date') return <input {...common} type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" placeholder={ISO_PLACEHOLDER} onChange={(event) => onChange(event.target.value)} />;
  return <input {...common} type={field.kind === 'number' ? 'number' : 'text'} onChange={(event) => onChange(event.target.value)} />;
}

/** The ISO date form every date field takes, in either language (issue 15: dates in ISO format everywhere). */
export const ISO_PLACEHOLDER = 'YYYY-MM-DD';

/** The fields the official filled in: numbers as numbers, blanks left out. */
function bodyOf(fields: readonly FieldSpec[], valueOf: (name: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field.name).trim();
    if (!value || field.kind === 'check') continue;
    body[field.name] = field.kind === 'number' ? Number(value) : field.kind === 'files' ? value.split('\n') : value;
  }
  return body;
}
