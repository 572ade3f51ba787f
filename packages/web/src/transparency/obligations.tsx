import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { MoreButton } from '../shared/more-button.tsx';
import { usePages, type Paged } from '../shared/pages.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';

/** An open obligation as /v1/deadlines serves it (core deadlinesPage). */
export interface PublicDeadline {
  readonly request?: string;
  readonly trade?: string;
  readonly party: string;
  readonly kind: string;
  readonly due: number;
  readonly overdue: boolean;
  readonly article: string;
}

/** A row with the instant of the figures it was read at. */
type OverdueRow = PublicDeadline & { readonly readAt: number };

/** Overdue obligations per page. */
const PAGE = 50;

/** Where the exchange serves a row's case proof (issue 13): for a request, the proof that the obligation went unanswered; for a trade, the trade's history. */
function proofPath(item: PublicDeadline): string {
  if (item.request !== undefined) return `/v1/requests/${encodeURIComponent(item.request)}/proof?unanswered=${encodeURIComponent(item.kind)}`;
  return `/v1/trades/${encodeURIComponent(item.trade ?? '')}/proof`;
}

/**
 * "Who has not answered whom" (issue 15), in plain words: every obligation past its due date
 * at the figures' instant, longest overdue first, naming the party that owes it and the case.
 * Each row links its case proof (issue 13), a file anyone can check offline without taking
 * this page's word, and the page says what such a file proves. The exchange filters the overdue
 * ones and pages them, soonest due (so longest overdue) first, at the figures' size and instant
 * (issue 14); "More" reads the next page of the same list.
 */
export function Obligations({ size, at }: { readonly size: number; readonly at: number }) {
  const t = useT();
  const f = useFormat();
  // "More" goes on at the size and instant of the page it follows, which its cursor names, not at
  // figures that came since: one list, without a row twice or a row missed. A row is overdue
  // counted from the instant it was read at.
  const loadPage = async (after: string): Promise<Paged<OverdueRow>> => {
    const [pageSize, pageAt, ...cursor] = after ? after.split('|') : [String(size), String(at)];
    const page = await api<Paged<PublicDeadline>>('GET', `/v1/deadlines?size=${pageSize}&at=${pageAt}&overdue=true&limit=${PAGE}${cursor.length > 0 ? `&after=${cursor.join('|')}` : ''}`);
    return { items: page.items.map((item) => ({ ...item, readAt: Number(pageAt) })), next: page.next === null ? null : `${pageSize}|${pageAt}|${page.next}` };
  };
  const pages = usePages(loadPage, 'overdue', `${size}|${at}`);
  const overdue = pages.items;
  return (
    <section aria-labelledby="overdue-heading">
      <h2 id="overdue-heading">{t.public.overdueHeading}</h2>
      <p>{t.public.overdueLede} <a href="/case-proofs">{t.proofs.about}</a></p>
      {pages.first.state === 'loading' ? <Loading what={t.public.overdueHeading} /> : null}
      {pages.first.state === 'error' ? <ErrorNote error={pages.first.error} retry={pages.reload} /> : null}
      {pages.first.state !== 'ready' ? null : overdue.length === 0 ? <p>{t.public.overdueNone}</p> : (
        <>
          <ul className="overdue-sentences" data-testid="overdue-sentences">
            {overdue.slice(0, 20).map((item) => (
              <li key={`${item.request ?? item.trade}-${item.kind}`}>{t.public.overdueRow(item.party, t.obligations[item.kind] ?? item.kind, item.request ?? item.trade ?? '', f.days(item.readAt - item.due))}</li>
            ))}
          </ul>
          <div className="table-scroll">
            <table data-testid="overdue">
              <thead>
                <tr>
                  <th scope="col">{t.public.colParty}</th>
                  <th scope="col">{t.public.colObligation}</th>
                  <th scope="col">{t.public.colRequest}</th>
                  <th scope="col">{t.public.colDue}</th>
                  <th scope="col">{t.public.colOverdue}</th>
                  <th scope="col">{t.proofs.colProof}</th>
                </tr>
              </thead>
              <tbody>
                {overdue.map((item) => (
                  <tr key={`${item.request ?? item.trade}-${item.kind}`}>
                    <td>{item.party}</td>
                    <td>{t.obligations[item.kind] ?? item.kind} ({item.article})</td>
                    <td>{item.request ?? item.trade}</td>
                    <td>{f.dateTime(item.due)}</td>
                    <td>{f.days(item.readAt - item.due)}</td>
                    <td className="nowrap">
                      <a href={proofPath(item)} download data-testid="overdue-proof" aria-label={item.request !== undefined ? t.proofs.rowLabel(item.party, t.obligations[item.kind] ?? item.kind, item.request) : t.proofs.tradeRowLabel(item.trade ?? '')}>
                        {t.proofs.rowLink}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <MoreButton pages={pages} testId="overdue-more" />
        </>
      )}
    </section>
  );
}
