import { useT } from '../i18n/i18n.tsx';
import type { Pages } from './pages.ts';
import { ErrorNote } from './status.tsx';

/** "More" under a paged list while the server has more to give; a failed page says why and can be asked again. */
export function MoreButton<T>({ pages, testId }: { readonly pages: Pages<T>; readonly testId?: string }) {
  const t = useT();
  if (pages.next === null) return null;
  return (
    <div className="pager buttons">
      {pages.error ? <ErrorNote error={pages.error} retry={pages.more} /> : null}
      <button type="button" className="secondary" disabled={pages.busy} onClick={pages.more} data-testid={testId ?? 'more'}>{pages.busy ? t.common.loadingMore : t.common.more}</button>
    </div>
  );
}
