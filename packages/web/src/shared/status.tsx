import type { ReactNode } from 'react';
import type { ApiError } from './http.ts';

/** Loading, empty and error states look the same everywhere (issue 5). */
export function Loading({ what }: { readonly what: string }) {
  return <p className="state loading" role="status" aria-live="polite">Loading {what}…</p>;
}

export function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorNote({ error, retry }: { readonly error: ApiError | Error; readonly retry?: () => void }) {
  const code = 'body' in error ? (error as ApiError).body.code : undefined;
  return (
    <div className="state error" role="alert">
      <p>
        {code ? <strong>{code}: </strong> : null}
        {error.message}
      </p>
      {retry ? <button type="button" onClick={retry}>Try again</button> : null}
    </div>
  );
}
