import { useEffect } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { EvaluationSection, MirrorSection } from './evaluation-section.tsx';
import { EntryTable } from './entry-table.tsx';
import { ProofLinks, UnansweredProofLink } from './proof-links.tsx';
import { useLive } from './live.tsx';
import { RequestActions } from './request-actions.tsx';
import { DataRows } from './data-answer.tsx';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { entryText } from './trade-text.ts';
import { useTitles } from './treaty-context.tsx';
import type { RequestDetail, RequestLink } from './types.ts';
import { useNow } from './use-now.ts';

/**
 * One request (issue 5 "Request detail"): the signed timeline with log indexes and whether a
 * cosigned checkpoint covers each entry, the treaty's evaluation rule by rule, the mirror
 * verdict, the sealed members this state can open, and the acts the official's role allows.
 * It prints as a case file (issue 15): no navigation or forms, sealed content marked. Its case
 * proof downloads as one file anyone can check offline (issue 13), and so does, for each
 * overdue deadline, the proof that it went unanswered.
 */
export function RequestDetailPage({ id }: { readonly id: string }) {
  const me = useMe();
  const t = useT();
  const now = useNow();
  const live = useLive();
  const [loaded, reload] = useFetch(() => api<RequestDetail>('GET', `/api/requests/${encodeURIComponent(id)}`), id, live.version);
  // A request filed a moment ago may not be in a witnessed checkpoint yet: say so, and look again shortly.
  const pending = loaded.state === 'error' && loaded.error instanceof ApiError && loaded.error.body.code === 'REQUEST_PENDING';
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, 1000);
    return () => clearTimeout(timer);
  }, [pending, reload]);
  return (
    <>
      <p className="no-print"><a href={href('requests')}>{t.detail.back}</a></p>
      <h2 id="route-heading" tabIndex={-1}>{t.detail.title(id)}</h2>
      {loaded.state === 'loading' ? <Loading what={t.detail.what(id)} /> : null}
      {pending ? <p role="status" className="notice">{t.detail.pending}</p> : null}
      {loaded.state === 'error' && !pending ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <p className="no-print downloads">
            <button type="button" className="secondary" onClick={() => window.print()}>{t.common.print}</button>
            <ProofLinks path={`/api/requests/${encodeURIComponent(id)}/proof`} />
          </p>
          <Summary request={loaded.value} now={now} />
          <EntryTable id="timeline-heading" title={t.detail.timeline} testId="timeline" rows={loaded.value.timeline} label={(type) => entryText(type, t)} />
          <EvaluationSection evaluation={loaded.value.evaluation} />
          <MirrorSection request={loaded.value} />
          <Sealed request={loaded.value} />
          <div className="no-print">
            {me.role === 'observer' ? <p className="notice">{t.actions.observerRequest}</p> : <RequestActions request={loaded.value} onDone={reload} />}
          </div>
        </>
      ) : null}
    </>
  );
}

function Summary({ request, now }: { readonly request: RequestDetail; readonly now: number }) {
  const t = useT();
  const f = useFormat();
  const titles = useTitles();
  const decision = request.decision;
  return (
    <section aria-labelledby="summary-heading">
      <h3 id="summary-heading">{t.detail.summary}</h3>
      <dl className="facts">
        <dt>{t.detail.state}</dt>
        <dd data-testid="detail-status">{t.statuses[request.status] ?? request.status}</dd>
        <dt>{t.detail.parties}</dt>
        <dd>{request.requesting} → {request.requested} ({request.direction === 'incoming' ? t.detail.toUs : t.detail.ours})</dd>
        <dt>{t.detail.kindPurpose}</dt>
        <dd>{t.detail.kindFor(t.kinds[request.kind] ?? request.kind, t.purposes[request.purpose] ?? request.purpose)}</dd>
        <dt>{t.detail.subject}</dt>
        <dd>{t.detail.subjectText(request.subject.pseudonym, request.subject.nationalities.join(', ') || t.detail.noParty, request.subject.ageAtOffence)}</dd>
        <dt>{t.detail.offences}</dt>
        <dd>{t.detail.offencesOn(request.offences.map((offence) => titles.offence(offence)).join(', '), request.offenceDate)}</dd>
        <dt>{t.detail.filed}</dt>
        <dd>{f.dateTime(request.filedAt)}</dd>
        <Links request={request} />
        {request.data ? <DataRows data={request.data} /> : null}
        {decision ? (
          <>
            <dt>{t.detail.decision}</dt>
            <dd data-testid="detail-decision">
              {t.detail.decisionText(t.decisions[decision.kind] ?? decision.kind, decision.ground ? titles.ground(decision.ground) : undefined, f.date(decision.at), decision.approvers ? t.common.list(decision.approvers) : undefined)}
            </dd>
          </>
        ) : null}
        {request.prosecution ? (
          <>
            <dt>{t.detail.prosecution}</dt>
            <dd data-testid="detail-prosecution">
              {request.prosecution.milestones.length === 0 ? t.detail.prosecutionNone : request.prosecution.milestones.map((item) => `${t.milestones[item.milestone] ?? item.milestone} (${f.date(item.at)})`).join(', ')}
              {request.prosecution.outcome ? t.detail.prosecutionOutcome(t.outcomes[request.prosecution.outcome.outcome] ?? request.prosecution.outcome.outcome) : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{t.detail.deadlines}</h3>
      {request.deadlines.length === 0 ? (
        <p>{t.detail.noDeadlines}</p>
      ) : (
        <ul>
          {request.deadlines.map((deadline) => (
            <li key={deadline.kind} className={deadline.pausedSince === undefined && deadline.due < now ? 'overdue-badge' : undefined} data-testid={`deadline-${deadline.kind}`}>
              {t.detail.deadlineOwed(t.obligations[deadline.kind] ?? deadline.kind, deadline.party)}
              {deadline.pausedSince !== undefined ? t.detail.paused(f.dateTime(deadline.pausedSince), f.dateTime(deadline.due)) : t.detail.due(f.dateTime(deadline.due), f.countdown(deadline.due, now))}{' '}
              ({deadline.article})
              {deadline.pausedSince === undefined && deadline.due < now ? <> <UnansweredProofLink request={request.id} kind={deadline.kind} /></> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The request's public links (issue 17): the incidents it names, each a link to the list of
 * requests naming it, and the requests it relates to or that relate to it.
 */
function Links({ request }: { readonly request: RequestDetail }) {
  const t = useT();
  const links = request.links;
  if (!links) return null;
  const related = (items: readonly RequestLink[]) =>
    items.map((link, index) => (
      <span key={link.request}>
        {index > 0 ? ', ' : ''}
        <a href={href('requests', link.request)}>{link.request}</a> ({t.incidents.relations[link.relation] ?? link.relation})
      </span>
    ));
  return (
    <>
      <dt>{t.incidents.detailIncidents}</dt>
      <dd data-testid="detail-incidents">
        {links.incidents.length === 0
          ? t.incidents.noLinks
          : links.incidents.map((incident, index) => (
              <span key={incident.id}>
                {index > 0 ? ', ' : ''}
                <a href={`${href('requests')}?incident=${encodeURIComponent(incident.id)}`}>{t.incidents.option(incident.name, incident.date ?? '', incident.group)}</a>
              </span>
            ))}
      </dd>
      <dt>{t.incidents.detailRelated}</dt>
      <dd data-testid="detail-related">
        {links.related.length === 0 && links.relatedBy.length === 0 ? t.incidents.noLinks : null}
        {links.related.length > 0 ? <div>{t.incidents.names}: {related(links.related)}</div> : null}
        {links.relatedBy.length > 0 ? <div>{t.incidents.namedBy}: {related(links.relatedBy)}</div> : null}
      </dd>
    </>
  );
}

function Sealed({ request }: { readonly request: RequestDetail }) {
  const t = useT();
  return (
    <section aria-labelledby="sealed-heading" className="sealed">
      <h3 id="sealed-heading">{t.detail.sealed} <span className="confidential">{t.common.confidential}</span></h3>
      <p>{t.detail.sealedIntro(request.direction === 'incoming' ? request.requested : request.requesting)}</p>
      {request.sealed.length === 0 ? (
        <p>{t.detail.sealedNone}</p>
      ) : (
        <dl className="facts" data-testid="sealed">
          {request.sealed.map((item) => (
            <div key={item.index}>
              <dt>#{item.index} {entryText(item.type, t)}</dt>
              <dd>
                {/* An erased case (issue 17) shows a marker where its sealed fields were. */}
                {(item.sealed as { erased?: unknown } | null)?.erased === true ? (
                  <em data-testid="sealed-erased">{t.detail.sealedErased}</em>
                ) : (
                  Object.entries((item.sealed ?? {}) as Record<string, unknown>).map(([key, value]) => (
                    <div key={key}><strong>{t.detail.sealedField(key)}:</strong> {Array.isArray(value) ? value.join(', ') : String(value)}</div>
                  ))
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
