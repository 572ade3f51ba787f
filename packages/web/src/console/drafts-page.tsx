import { useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { MoreButton } from '../shared/more-button.tsx';
import { usePages, type Paged } from '../shared/pages.ts';
import { Empty, ErrorNote, errorText, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import type { Treaty } from './core-rules.ts';
import { emptyForm, FilingForm } from './file-request-page.tsx';
import { formOf } from './file-validation.ts';
import { go, href } from './router.ts';
import { useMe } from './session.tsx';
import { loadTreatyContext } from './treaty.ts';
import type { Draft } from './types.ts';

/** Drafts per page (the gateway allows up to 200). */
const PAGE = 50;

/** Which drafts the list shows: the gateway's `filed` filter, or none for all. */
type Shown = 'all' | 'open' | 'filed';
const FILED_QUERY: Readonly<Record<Shown, string>> = { all: '', open: '&filed=false', filed: '&filed=true' };

/**
 * This state's drafts: stored in its gateway only, never sent to the exchange until filed. The
 * gateway filters and pages them, oldest first (issue 14); "More" reads on.
 */
export function DraftsPage() {
  const t = useT();
  const f = useFormat();
  const [shown, setShown] = useState<Shown>('all');
  const pages = usePages((after) => api<Paged<Draft>>('GET', `/api/drafts?limit=${PAGE}${FILED_QUERY[shown]}${after ? `&after=${encodeURIComponent(after)}` : ''}`), `drafts|${shown}`);
  const { first: loaded, reload } = pages;
  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.drafts.title}</h2>
      <form className="filters" aria-label={t.drafts.filters} onSubmit={(event) => event.preventDefault()}>
        <div>
          <label htmlFor="drafts-shown">{t.drafts.show}</label>
          <select id="drafts-shown" value={shown} onChange={(event) => setShown(event.target.value as Shown)}>
            <option value="all">{t.drafts.showAll}</option>
            <option value="open">{t.drafts.showOpen}</option>
            <option value="filed">{t.drafts.showFiled}</option>
          </select>
        </div>
      </form>
      {loaded.state === 'loading' ? <Loading what={t.drafts.what} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && pages.items.length === 0 && pages.next === null ? <Empty>{t.drafts.empty}</Empty> : null}
      {loaded.state === 'ready' && pages.items.length > 0 ? (
        <ul data-testid="drafts">
          {pages.items.map((draft) => (
            <li key={draft.id}>
              <a href={href('drafts', draft.id)}>{String(draft.body.request ?? draft.id)}</a> {t.drafts.item(draft.createdBy, f.dateTime(draft.createdAt))}{draft.filedIndex !== null ? t.drafts.filedAs(draft.filedIndex) : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {loaded.state === 'ready' ? <MoreButton pages={pages} testId="drafts-more" /> : null}
    </>
  );
}

/**
 * One draft, by URL: the filing form filled with it, with the treaty's preview, to edit, save,
 * file or delete. A filed draft stays as the record of what was filed and is shown read-only.
 * Another state's draft id is simply not found by this gateway.
 */
export function DraftPage({ id }: { readonly id: string }) {
  const me = useMe();
  const t = useT();
  const [loaded, reload] = useFetch(async () => ({ draft: await api<Draft>('GET', `/api/drafts/${encodeURIComponent(id)}`), context: await loadTreatyContext<Treaty>() }), id);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await api('DELETE', `/api/drafts/${encodeURIComponent(id)}`, { csrf: me.csrfToken });
      go('drafts');
    } catch (caught) {
      setError(caught instanceof ApiError ? errorText(t, caught) : String(caught));
    }
  };
  return (
    <>
      <p><a href={href('drafts')}>{t.drafts.back}</a></p>
      {loaded.state === 'loading' ? <Loading what={t.drafts.theDraft} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        loaded.value.draft.filedIndex === null && me.role === 'clerk' && loaded.value.context.treaty ? (
          <>
            <p className="buttons"><button type="button" className="secondary" onClick={() => void remove()}>{t.drafts.delete}</button></p>
            {error ? <p className="field-error" role="alert">{error}</p> : null}
            <FilingForm treaty={loaded.value.context.treaty} invocations={loaded.value.context.invocations} draft={{ id, form: formOf(loaded.value.draft.body, emptyForm(me.party)) }} />
          </>
        ) : (
          <>
            <h2 id="route-heading" tabIndex={-1}>{t.drafts.draft(id)}{loaded.value.draft.filedIndex !== null ? t.drafts.filedAs(loaded.value.draft.filedIndex) : ''}</h2>
            <pre data-testid="draft-body">{JSON.stringify(loaded.value.draft.body, null, 2)}</pre>
          </>
        )
      ) : null}
    </>
  );
}
