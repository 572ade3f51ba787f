import { api } from '../shared/http.ts';
import { countdown } from '../shared/format.ts';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
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
 */
export function TradesPage() {
  const me = useMe();
  const now = useNow();
  const [loaded, reload] = useFetch(() => api<Trade[]>('GET', '/api/trades'), 'trades');
  return (
    <>
      <h2>Trades</h2>
      <p className="lede">Handovers in return for handovers: every party signs (two approvers each), the last signature commits the trade and locks its legs, each giver hands its person over, and each receiver confirms receipt before the deadline. After the deadline an unfinished trade is called off.</p>
      <p><button type="button" className="secondary" onClick={reload}>Refresh</button></p>
      {me.role === 'approver' ? <ProposeTradeForm onDone={reload} /> : null}
      {loaded.state === 'loading' ? <Loading what="trades" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value.length === 0 ? <Empty>No trade involves {me.party} yet. Trades appear here when a party proposes one or the exchange's clearing round does.</Empty> : null}
      {loaded.state === 'ready' && loaded.value.length > 0 ? (
        <table data-testid="trades">
          <caption className="sr-only">Trades of {me.party}, in order of proposal</caption>
          <thead>
            <tr>
              <th scope="col">Trade</th>
              <th scope="col">Status</th>
              <th scope="col">Parties</th>
              <th scope="col">Legs (person: from → to)</th>
              <th scope="col">Deadline</th>
              <th scope="col">{me.party} still has to</th>
            </tr>
          </thead>
          <tbody>
            {loaded.value.map((trade) => {
              const overdue = deadlineOpen(trade) && trade.deadline < now;
              return (
                <tr key={trade.id} className={overdue ? 'overdue' : undefined} data-testid={`trade-row-${trade.id}`}>
                  <th scope="row"><a href={href('trades', trade.id)}>{trade.id}</a></th>
                  <td data-testid="trade-status">{statusText(trade.status)}</td>
                  <td>{trade.parties.join(', ')}{trade.coordinator !== 'exchange' && !trade.parties.includes(trade.coordinator) ? `; coordinator ${trade.coordinator}` : ''}</td>
                  <td>
                    <ul>
                      {trade.legs.map((leg, index) => <li key={index}>{legLabel(leg)}</li>)}
                    </ul>
                  </td>
                  <td>{deadlineOpen(trade) ? <span className={overdue ? 'overdue-badge' : undefined}>{countdown(trade.deadline, now)}</span> : statusText(trade.status)}</td>
                  <td data-testid="trade-todo">{todoText(trade, me.party)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
