import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { useLive } from './live.tsx';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { MoreButton } from '../shared/more-button.tsx';
import { usePages, type Paged } from '../shared/pages.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { deadlineOpen, legLabel, statusText, todoText } from './trade-text.ts';
import type { Trade } from './types.ts';
import { useNow } from './use-now.ts';
import { ProposeTradeForm } from './propose-trade-form.tsx';

/**
 * The trades this state gives or receives in, or coordinates (DESIGN.md "Trades"; issue 6:
 * "Gateways show them in the console, where officials sign them"), from the gateway's own
 * verified replay. Each row says what this state still has to do, so a trade waiting for a
 * signature stands out; an overdue deadline says "overdue" in words as well as in colour.
 * The gateway gives them a page at a time in order of proposal (issue 14); "More" reads on.
 */
/** Trades per page (the gateway allows up to 200). */
const PAGE = 50;

export function TradesPage() {
  const me = useMe();
  const t = useT();
  const f = useFormat();
  const now = useNow();
  const live = useLive();
  const pages = usePages((after) => api<Paged<Trade>>('GET', `/api/trades?limit=${PAGE}${after ? `&after=${after}` : ''}`), 'trades', live.version);
  const { first: loaded, reload } = pages;
  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.trades.title}</h2>
      <p className="lede">{t.trades.lede}</p>
      <p><button type="button" className="secondary" onClick={reload}>{t.common.refresh}</button></p>
      {me.role === 'approver' ? <ProposeTradeForm onDone={reload} /> : null}
      {loaded.state === 'loading' ? <Loading what={t.trades.what} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && pages.items.length === 0 && pages.next === null ? <Empty>{t.trades.empty(me.party)}</Empty> : null}
      {loaded.state === 'ready' && pages.items.length > 0 ? (
        <div className="table-scroll">
        <table data-testid="trades">
          <caption className="sr-only">{t.trades.caption(me.party)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.trades.colTrade}</th>
              <th scope="col">{t.trades.colStatus}</th>
              <th scope="col">{t.trades.colParties}</th>
              <th scope="col">{t.trades.colLegs}</th>
              <th scope="col">{t.trades.colDeadline}</th>
              <th scope="col">{t.trades.colTodo(me.party)}</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((trade) => {
              const overdue = deadlineOpen(trade) && trade.deadline < now;
              return (
                <tr key={trade.id} className={overdue ? 'overdue' : undefined} data-testid={`trade-row-${trade.id}`}>
                  <th scope="row"><a href={href('trades', trade.id)}>{trade.id}</a></th>
                  <td data-testid="trade-status">{statusText(trade.status, t)}</td>
                  <td>{trade.parties.join(', ')}{trade.coordinator !== 'exchange' && !trade.parties.includes(trade.coordinator) ? t.trades.coordinator(trade.coordinator) : ''}</td>
                  <td>
                    <ul>
                      {trade.legs.map((leg, index) => <li key={index}>{legLabel(leg, t)}</li>)}
                    </ul>
                  </td>
                  <td>{deadlineOpen(trade) ? <span className={overdue ? 'overdue-badge' : undefined}>{f.countdown(trade.deadline, now)}</span> : statusText(trade.status, t)}</td>
                  <td data-testid="trade-todo">{todoText(trade, me.party, t)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      ) : null}
      {loaded.state === 'ready' ? <MoreButton pages={pages} testId="trades-more" /> : null}
    </>
  );
}
