import { useState } from 'react';
import { api } from '../shared/http.ts';
import { countdown, isoDate } from '../shared/format.ts';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { ProposalsAwaiting } from './proposals-awaiting.tsx';
import { href } from './router.ts';
import type { RequestRow } from './types.ts';
import { useNow } from './use-now.ts';

export const STATUSES = ['filed', 'acknowledged', 'info-requested', 'info-supplied', 'granted', 'granted-conditional', 'refused', 'refused-prosecute-instead', 'surrender-scheduled', 'surrendered', 'received', 'outcome-reported', 'withdrawn', 'superseded'];

/**
 * Inbox and outbox (issue 5): the requests this state is a party to, from the gateway's own
 * verified replay, filtered and sorted by the gateway. Overdue deadlines stand out by colour
 * and by the word "overdue", so the signal does not rest on colour alone.
 */
export function RequestsPage() {
  const [direction, setDirection] = useState('all');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState('due');
  const query = new URLSearchParams({ direction, sort, ...(status ? { status } : {}) }).toString();
  const [loaded, reload] = useFetch(() => api<RequestRow[]>('GET', `/api/requests?${query}`), query);
  const now = useNow();
  return (
    <>
      <h2>{direction === 'incoming' ? 'Inbox' : direction === 'outgoing' ? 'Outbox' : 'Inbox and outbox'}</h2>
      <ProposalsAwaiting />
      <form className="filters" aria-label="Filter and sort" onSubmit={(event) => event.preventDefault()}>
        <div>
          <label htmlFor="filter-direction">Direction</label>
          <select id="filter-direction" value={direction} onChange={(event) => setDirection(event.target.value)}>
            <option value="all">Both (inbox and outbox)</option>
            <option value="incoming">Inbox: requests to us</option>
            <option value="outgoing">Outbox: our requests</option>
          </select>
        </div>
        <div>
          <label htmlFor="filter-status">State</label>
          <select id="filter-status" value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">Any state</option>
            {STATUSES.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="sort">Sort by</label>
          <select id="sort" value={sort} onChange={(event) => setSort(event.target.value)}>
            <option value="due">Next deadline first</option>
            <option value="filed">Filed, oldest first</option>
            <option value="filed-desc">Filed, newest first</option>
            <option value="id">Request id</option>
          </select>
        </div>
        <button type="button" className="secondary" onClick={reload}>Refresh</button>
      </form>
      {loaded.state === 'loading' ? <Loading what="requests" /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && loaded.value.length === 0 ? <Empty>No request matches these filters.</Empty> : null}
      {loaded.state === 'ready' && loaded.value.length > 0 ? (
        <table data-testid="requests">
          <caption className="sr-only">Requests, {sort === 'due' ? 'next deadline first' : `sorted by ${sort}`}</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Direction</th>
              <th scope="col">Counterpart</th>
              <th scope="col">State</th>
              <th scope="col">Offences</th>
              <th scope="col">Filed</th>
              <th scope="col">Next deadline</th>
            </tr>
          </thead>
          <tbody>
            {loaded.value.map((row) => {
              const overdue = row.nextDeadline !== null && row.nextDeadline.due < now;
              return (
                <tr key={row.id} className={overdue ? 'overdue' : undefined} data-testid={`row-${row.id}`}>
                  <th scope="row"><a href={href('requests', row.id)}>{row.id}</a></th>
                  <td>{row.direction === 'incoming' ? 'inbox' : 'outbox'}</td>
                  <td>{row.counterpart}</td>
                  <td data-testid="status">{row.status}</td>
                  <td>{row.offences.join(', ')}</td>
                  <td>{isoDate(row.filedAt)}</td>
                  <td>
                    {row.nextDeadline ? (
                      <>
                        {row.nextDeadline.kind} by {row.nextDeadline.party}: <span className={overdue ? 'overdue-badge' : undefined}>{countdown(row.nextDeadline.due, now)}</span>
                      </>
                    ) : (
                      'none open'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
