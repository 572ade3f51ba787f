import { api } from '../shared/http.ts';
import { countdown, isoTime } from '../shared/format.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { TradeActions } from './trade-actions.tsx';
import { deadlineOpen, handedOverAt, statusText, todoText, tradeEntryLabel } from './trade-text.ts';
import type { Trade } from './types.ts';
import { useNow } from './use-now.ts';
import { EntryTable } from './entry-table.tsx';

/**
 * One trade: its legs with each handover's attestation and receipt, who has signed, the
 * signed entries that made it, and the acts this official's role allows on it now.
 */
export function TradeDetailPage({ id }: { readonly id: string }) {
  const me = useMe();
  const now = useNow();
  const [loaded, reload] = useFetch(() => api<Trade>('GET', `/api/trades/${encodeURIComponent(id)}`), id);
  return (
    <>
      <p><a href={href('trades')}>← All trades</a></p>
      <h2>Trade {id}</h2>
      {loaded.state === 'loading' ? <Loading what={`trade ${id}`} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <section aria-labelledby="trade-summary-heading">
            <h3 id="trade-summary-heading">Summary</h3>
            <dl className="facts">
              <dt>Status</dt>
              <dd data-testid="trade-detail-status">{statusText(loaded.value.status)}</dd>
              <dt>Parties</dt>
              <dd>{loaded.value.parties.join(', ')}</dd>
              <dt>Coordinator</dt>
              <dd>{loaded.value.coordinator}{loaded.value.venue ? `, at ${loaded.value.venue}` : ''}</dd>
              <dt>Proposed</dt>
              <dd>by {loaded.value.proposedBy} at {isoTime(loaded.value.proposedAt)}</dd>
              <dt>Deadline</dt>
              <dd>
                {isoTime(loaded.value.deadline)}
                {deadlineOpen(loaded.value) ? <span className={loaded.value.deadline < now ? 'overdue-badge' : undefined}> ({countdown(loaded.value.deadline, now)})</span> : null}
              </dd>
              <dt>{me.party} still has to</dt>
              <dd data-testid="trade-detail-todo">{todoText(loaded.value, me.party)}</dd>
              {loaded.value.breaches.length > 0 ? (
                <>
                  <dt>Breaches</dt>
                  <dd className="overdue-badge">{loaded.value.breaches.join(', ')} did not hand over by the deadline</dd>
                </>
              ) : null}
              {loaded.value.abortedAt !== undefined ? (
                <>
                  <dt>Called off</dt>
                  <dd>by {loaded.value.abortedBy} at {isoTime(loaded.value.abortedAt)}</dd>
                </>
              ) : null}
            </dl>
            <p><button type="button" className="secondary" onClick={reload}>Refresh</button></p>
          </section>
          <Legs trade={loaded.value} />
          <Signatures trade={loaded.value} />
          <History trade={loaded.value} />
          {me.role === 'observer' ? <p className="notice">As an observer you read trades; signing is for approvers, handovers and receipts for reviewers.</p> : <TradeActions trade={loaded.value} onDone={reload} />}
        </>
      ) : null}
    </>
  );
}

function Legs({ trade }: { readonly trade: Trade }) {
  return (
    <section aria-labelledby="legs-heading">
      <h3 id="legs-heading">Legs</h3>
      <table data-testid="trade-legs">
        <thead>
          <tr>
            <th scope="col">Leg</th>
            <th scope="col">Person (pseudonym): from → to</th>
            <th scope="col">Handed over (giver's record / coordinator's attestation)</th>
            <th scope="col">Receipt confirmed</th>
          </tr>
        </thead>
        <tbody>
          {trade.legs.map((leg, index) => (
            <tr key={index}>
              <th scope="row">{index + 1}</th>
              <td>
                {leg.subject}: {leg.from} → {leg.to} ({leg.kind === 'request' && leg.request ? <>request <a href={href('requests', leg.request)}>{leg.request}</a></> : `voluntary: ${leg.reason ?? 'other'}`}
                {leg.weight === 1 ? '' : `, weight ${leg.weight}`})
              </td>
              <td>{handedOverAt(leg) === undefined ? 'not yet' : [leg.surrenderedAt !== undefined ? `recorded by ${leg.from} ${isoTime(leg.surrenderedAt)}` : '', leg.attestedAt !== undefined ? `attested ${isoTime(leg.attestedAt)}` : ''].filter(Boolean).join('; ')}</td>
              <td>{leg.receivedAt === undefined ? 'not yet' : isoTime(leg.receivedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Signatures({ trade }: { readonly trade: Trade }) {
  return (
    <section aria-labelledby="signatures-heading">
      <h3 id="signatures-heading">Signatures</h3>
      <ul data-testid="trade-signatures">
        {trade.parties.map((party) => (
          <li key={party} data-testid={`signature-${party}`}>
            {party}: {trade.signedBy.includes(party) ? 'signed' : 'not signed yet'}
          </li>
        ))}
      </ul>
      {trade.committedAt !== undefined ? <p>Committed at {isoTime(trade.committedAt)}: its legs are locked.</p> : null}
    </section>
  );
}

function History({ trade }: { readonly trade: Trade }) {
  return <EntryTable id="trade-history-heading" title="History of signed entries" testId="trade-history" rows={trade.history} label={tradeEntryLabel} />;
}
