import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { useLive } from './live.tsx';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { TradeActions } from './trade-actions.tsx';
import { deadlineOpen, entryText, handedOverAt, legLabel, statusText, todoText } from './trade-text.ts';
import type { Trade } from './types.ts';
import { useNow } from './use-now.ts';
import { EntryTable } from './entry-table.tsx';
import { ProofLinks } from './proof-links.tsx';

/**
 * One trade: its legs with each handover's attestation and receipt, who has signed, the
 * signed entries that made it, and the acts this official's role allows on it now. Its case
 * proof downloads as one file anyone can check offline (issue 13).
 */
export function TradeDetailPage({ id }: { readonly id: string }) {
  const me = useMe();
  const t = useT();
  const f = useFormat();
  const now = useNow();
  const live = useLive();
  const [loaded, reload] = useFetch(() => api<Trade>('GET', `/api/trades/${encodeURIComponent(id)}`), id, live.version);
  return (
    <>
      <p className="no-print"><a href={href('trades')}>{t.trades.back}</a></p>
      <h2 id="route-heading" tabIndex={-1}>{t.trades.trade(id)}</h2>
      {loaded.state === 'loading' ? <Loading what={t.trades.theTrade(id)} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <section aria-labelledby="trade-summary-heading">
            <h3 id="trade-summary-heading">{t.trades.summary}</h3>
            <dl className="facts">
              <dt>{t.trades.status}</dt>
              <dd data-testid="trade-detail-status">{statusText(loaded.value.status, t)}</dd>
              <dt>{t.trades.parties}</dt>
              <dd>{loaded.value.parties.join(', ')}</dd>
              <dt>{t.trades.coordinatorLabel}</dt>
              <dd>{loaded.value.coordinator === 'exchange' ? t.trades.exchange : loaded.value.coordinator}{loaded.value.venue ? t.trades.at(loaded.value.venue) : ''}</dd>
              <dt>{t.trades.proposed}</dt>
              <dd>{t.trades.proposedBy(loaded.value.proposedBy, f.dateTime(loaded.value.proposedAt))}</dd>
              <dt>{t.trades.deadline}</dt>
              <dd>
                {f.dateTime(loaded.value.deadline)}
                {deadlineOpen(loaded.value) ? <span className={loaded.value.deadline < now ? 'overdue-badge' : undefined}> ({f.countdown(loaded.value.deadline, now)})</span> : null}
              </dd>
              <dt>{t.trades.colTodo(me.party)}</dt>
              <dd data-testid="trade-detail-todo">{todoText(loaded.value, me.party, t)}</dd>
              {loaded.value.breaches.length > 0 ? (
                <>
                  <dt>{t.trades.breaches}</dt>
                  <dd className="overdue-badge">{t.trades.breachText(t.common.list(loaded.value.breaches))}</dd>
                </>
              ) : null}
              {loaded.value.abortedAt !== undefined ? (
                <>
                  <dt>{t.trades.calledOff}</dt>
                  <dd>{t.trades.proposedBy(loaded.value.abortedBy ?? '', f.dateTime(loaded.value.abortedAt))}</dd>
                </>
              ) : null}
            </dl>
            <p className="no-print buttons">
              <button type="button" className="secondary" onClick={reload}>{t.common.refresh}</button>
              <button type="button" className="secondary" onClick={() => window.print()}>{t.common.print}</button>
              <ProofLinks path={`/api/trades/${encodeURIComponent(id)}/proof`} />
            </p>
          </section>
          <Legs trade={loaded.value} />
          <Signatures trade={loaded.value} />
          <EntryTable id="trade-history-heading" title={t.trades.history} testId="trade-history" rows={loaded.value.history} label={(type) => entryText(type, t)} />
          <div className="no-print">{me.role === 'observer' ? <p className="notice">{t.actions.observerTrade}</p> : <TradeActions trade={loaded.value} onDone={reload} />}</div>
        </>
      ) : null}
    </>
  );
}

function Legs({ trade }: { readonly trade: Trade }) {
  const t = useT();
  const f = useFormat();
  return (
    <section aria-labelledby="legs-heading">
      <h3 id="legs-heading">{t.trades.legsHeading}</h3>
      <div className="table-scroll">
        <table data-testid="trade-legs">
          <thead>
            <tr>
              <th scope="col">{t.trades.colLeg}</th>
              <th scope="col">{t.trades.colPerson}</th>
              <th scope="col">{t.trades.colHandedOver}</th>
              <th scope="col">{t.trades.colReceipt}</th>
            </tr>
          </thead>
          <tbody>
            {trade.legs.map((leg, index) => (
              <tr key={index}>
                <th scope="row">{index + 1}</th>
                <td>
                  {legLabel(leg, t)}
                  {leg.kind === 'request' && leg.request ? <> · <a href={href('requests', leg.request)}>{leg.request}</a></> : null}
                </td>
                <td>{handedOverAt(leg) === undefined ? t.common.notYet : [leg.surrenderedAt !== undefined ? t.trades.recordedBy(leg.from, f.dateTime(leg.surrenderedAt)) : '', leg.attestedAt !== undefined ? t.trades.attested(f.dateTime(leg.attestedAt)) : ''].filter(Boolean).join('; ')}</td>
                <td>{leg.receivedAt === undefined ? t.common.notYet : f.dateTime(leg.receivedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Signatures({ trade }: { readonly trade: Trade }) {
  const t = useT();
  const f = useFormat();
  return (
    <section aria-labelledby="signatures-heading">
      <h3 id="signatures-heading">{t.trades.signatures}</h3>
      <ul data-testid="trade-signatures">
        {trade.parties.map((party) => (
          <li key={party} data-testid={`signature-${party}`}>
            {party}: {trade.signedBy.includes(party) ? t.trades.signed : t.trades.notSigned}
          </li>
        ))}
      </ul>
      {trade.committedAt !== undefined ? <p>{t.trades.committedAt(f.dateTime(trade.committedAt))}</p> : null}
    </section>
  );
}
