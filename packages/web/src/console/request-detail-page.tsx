import { useEffect } from 'react';
import { api, ApiError } from '../shared/http.ts';
import { countdown, entryLabel, isoDate, isoTime } from '../shared/format.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { EvaluationSection, MirrorSection } from './evaluation-section.tsx';
import { RequestActions } from './request-actions.tsx';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import type { RequestDetail } from './types.ts';
import { useNow } from './use-now.ts';
import { EntryTable } from './entry-table.tsx';

/**
 * One request (issue 5 "Request detail"): the signed timeline with log indexes and whether a
 * cosigned checkpoint covers each entry, the treaty's evaluation rule by rule, the mirror
 * verdict, the sealed members this state can open, and the actions the official's role allows.
 */
export function RequestDetailPage({ id }: { readonly id: string }) {
  const me = useMe();
  const now = useNow();
  const [loaded, reload] = useFetch(() => api<RequestDetail>('GET', `/api/requests/${encodeURIComponent(id)}`), id);
  // A request filed a moment ago may not be in a witnessed checkpoint yet: say so, and look again shortly.
  const pending = loaded.state === 'error' && loaded.error instanceof ApiError && loaded.error.body.code === 'REQUEST_PENDING';
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, 1000);
    return () => clearTimeout(timer);
  }, [pending, reload]);
  return (
    <>
      <p><a href={href('requests')}>← All requests</a></p>
      <h2>Request {id}</h2>
      {loaded.state === 'loading' ? <Loading what={`request ${id}`} /> : null}
      {pending ? <p role="status" className="notice">Filed: the request appears here as soon as a witnessed checkpoint covers it, usually within seconds.</p> : null}
      {loaded.state === 'error' && !pending ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <Summary request={loaded.value} now={now} />
          <Timeline request={loaded.value} />
          <EvaluationSection evaluation={loaded.value.evaluation} />
          <MirrorSection request={loaded.value} />
          <Sealed request={loaded.value} />
          {me.role === 'observer' ? <p className="notice">As an observer you read requests; actions are for clerks, reviewers and approvers.</p> : <RequestActions request={loaded.value} onDone={reload} />}
        </>
      ) : null}
    </>
  );
}

function Summary({ request, now }: { readonly request: RequestDetail; readonly now: number }) {
  return (
    <section aria-labelledby="summary-heading">
      <h3 id="summary-heading">Summary</h3>
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="detail-status">{request.status}</dd>
        <dt>Requesting → requested</dt>
        <dd>{request.requesting} → {request.requested} ({request.direction === 'incoming' ? 'to us' : 'ours'})</dd>
        <dt>Kind and purpose</dt>
        <dd>{request.kind}, for {request.purpose}</dd>
        <dt>Subject (pseudonym)</dt>
        <dd>{request.subject.pseudonym}, national of {request.subject.nationalities.join(', ') || 'no party'}, aged {request.subject.ageAtOffence} at the offence</dd>
        <dt>Offences</dt>
        <dd>{request.offences.join(', ')} on {request.offenceDate}</dd>
        <dt>Filed</dt>
        <dd>{isoTime(request.filedAt)}</dd>
        {request.decision ? (
          <>
            <dt>Decision</dt>
            <dd data-testid="detail-decision">
              {request.decision.kind}
              {request.decision.ground ? ` on ${request.decision.ground}` : ''} at {isoDate(request.decision.at)}
              {request.decision.approvers ? `, by ${request.decision.approvers.join(' and ')}` : ''}
            </dd>
          </>
        ) : null}
        {request.prosecution ? (
          <>
            <dt>Prosecution instead</dt>
            <dd data-testid="detail-prosecution">
              {request.prosecution.milestones.length === 0 ? 'owed, no milestone reported yet' : request.prosecution.milestones.map((item) => `${item.milestone} (${isoDate(item.at)})`).join(', ')}
              {request.prosecution.outcome ? `; outcome ${request.prosecution.outcome.outcome}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Open deadlines</h3>
      {request.deadlines.length === 0 ? (
        <p>None open.</p>
      ) : (
        <ul>
          {request.deadlines.map((deadline) => (
            <li key={deadline.kind} className={deadline.pausedSince === undefined && deadline.due < now ? 'overdue-badge' : undefined} data-testid={`deadline-${deadline.kind}`}>
              {deadline.kind}, owed by {deadline.party},{' '}
              {deadline.pausedSince !== undefined
                ? `paused since ${isoTime(deadline.pausedSince)} while the request for information is open; the due date moves with every day of the pause (now ${isoTime(deadline.due)})`
                : `due ${isoTime(deadline.due)} (${countdown(deadline.due, now)})`}{' '}
              ({deadline.article})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ request }: { readonly request: RequestDetail }) {
  return <EntryTable id="timeline-heading" title="Timeline of signed entries" testId="timeline" rows={request.timeline} label={entryLabel} />;
}

function Sealed({ request }: { readonly request: RequestDetail }) {
  return (
    <section aria-labelledby="sealed-heading">
      <h3 id="sealed-heading">Sealed fields</h3>
      <p>Decrypted by this gateway with {request.requesting === request.counterpart ? request.requested : request.requesting}'s key; the log and the public hold them only encrypted to the parties.</p>
      {request.sealed.length === 0 ? (
        <p>No sealed field this state can open.</p>
      ) : (
        <dl className="facts" data-testid="sealed">
          {request.sealed.map((item) => (
            <div key={item.index}>
              <dt>#{item.index} {entryLabel(item.type)}</dt>
              <dd>
                {Object.entries((item.sealed ?? {}) as Record<string, unknown>).map(([key, value]) => (
                  <div key={key}><strong>{key}:</strong> {Array.isArray(value) ? value.join(', ') : String(value)}</div>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
