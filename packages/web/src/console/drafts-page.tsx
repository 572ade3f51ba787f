import { api } from '../shared/http.ts';
import { isoTime } from '../shared/format.ts';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { useState } from 'react';
import { ApiError } from '../shared/http.ts';
import { go, href } from './router.ts';
import { post, useMe } from './session.tsx';
import type { Draft } from './types.ts';

/** This state's drafts: stored in its gateway only, never sent to the exchange until filed. */
export function DraftsPage() {
  const [loaded, reload] = useFetch(() => api<Draft[]>('GET', '/api/drafts'), 'drafts');
  return (
    <>
      <h2>Drafts</h2>
      {loaded.state === 'loading' ? <Loading what="drafts" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value.length === 0 ? <Empty>No drafts. A clerk saves one from “File a request”.</Empty> : null}
      {loaded.state === 'ready' && loaded.value.length > 0 ? (
        <ul>
          {loaded.value.map((draft) => (
            <li key={draft.id}>
              <a href={href('drafts', draft.id)}>{String(draft.body.request ?? draft.id)}</a> by {draft.createdBy}, {isoTime(draft.createdAt)}{draft.filedIndex !== null ? ` (filed as entry ${draft.filedIndex})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** One draft, by URL. Another state's draft id is simply not found by this gateway. */
export function DraftPage({ id }: { readonly id: string }) {
  const me = useMe();
  const [loaded, reload] = useFetch(() => api<Draft>('GET', `/api/drafts/${encodeURIComponent(id)}`), id);
  const [error, setError] = useState<string | null>(null);
  const file = async () => {
    try {
      const filed = await post<{ index: number }>(me, `/api/drafts/${encodeURIComponent(id)}/file`, {});
      go('requests', String((loaded.state === 'ready' && loaded.value.body.request) || ''), ...(filed.index >= 0 ? [] : []));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return (
    <>
      <p><a href={href('drafts')}>← All drafts</a></p>
      <h2>Draft {id}</h2>
      {loaded.state === 'loading' ? <Loading what="the draft" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <pre data-testid="draft-body">{JSON.stringify(loaded.value.body, null, 2)}</pre>
          {me.role === 'clerk' && loaded.value.filedIndex === null ? <button type="button" onClick={() => void file().then(reload)}>File this draft</button> : null}
          {error ? <p className="field-error" role="alert">{error}</p> : null}
        </>
      ) : null}
    </>
  );
}
