import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { Messages } from '../i18n/en.ts';
import type { ApiError } from './http.ts';

/** Loading, empty and error states look the same everywhere (issue 5). */
export function Loading({ what }: { readonly what: string }) {
  const t = useT();
  return <p className="state loading" role="status" aria-live="polite">{t.common.loading(what)}</p>;
}

export function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** A service's error in the reader's language where the catalogue knows its code, with the service's own words after it. */
export function errorText(t: Messages, error: ApiError | Error): string {
  const code = 'body' in error ? (error as ApiError).body.code : undefined;
  const known = code ? t.errors[code] : undefined;
  return known && known !== error.message ? `${known} (${error.message})` : error.message;
}

export function ErrorNote({ error, retry }: { readonly error: ApiError | Error; readonly retry?: () => void }) {
  const t = useT();
  const code = 'body' in error ? (error as ApiError).body.code : undefined;
  return (
    <div className="state error" role="alert">
      <p>
        {code ? <strong>{code}: </strong> : null}
        {errorText(t, error)}
      </p>
      {retry ? <button type="button" onClick={retry}>{t.common.tryAgain}</button> : null}
    </div>
  );
}
