import { useFormat, useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { actText } from './action-catalogue.ts';
import { previousVisit, useLive } from './live.tsx';
import { NotificationSettings } from './notifications.tsx';
import { ProposalsAwaiting } from './proposals-awaiting.tsx';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import type { Task, Tasks } from './types.ts';
import { useNow } from './use-now.ts';

/**
 * The official's landing page (issue 15): what this state owes now, most urgent first, each
 * with the act that discharges it (the core's; highlighted where this official's role takes
 * it), apart from what the other side owes this state; and the incoming requests filed since
 * the official's last visit. It refreshes itself as the verified log grows.
 */
export function InboxPage() {
  const t = useT();
  const me = useMe();
  const live = useLive();
  const since = previousVisit(me.username);
  // A first visit in this browser has no last one: nothing is new then (as on the requests list), rather than every request ever filed.
  const [loaded, reload] = useFetch(() => api<Tasks>('GET', `/api/tasks${since > 0 ? `?since=${since}` : ''}`), `tasks|${since}`, live.version);
  const role = t.roles[me.role] ?? me.role;
  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{t.inbox.title}</h2>
      <p className="lede">{t.inbox.lede(role, me.party)}</p>
      <ProposalsAwaiting />
      <NotificationSettings username={me.username} />
      {loaded.state === 'loading' ? <Loading what={t.inbox.title.toLowerCase()} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          {loaded.value.newIncoming.count > 0 ? (
            <p className="notice" data-testid="new-incoming">
              {t.inbox.newSince(loaded.value.newIncoming.count, loaded.value.newIncoming.atLeast === true)}:{' '}
              {loaded.value.newIncoming.ids.map((id, i) => (
                <span key={id}>{i > 0 ? ', ' : ''}<a href={href('requests', id)}>{id}</a></span>
              ))}
            </p>
          ) : null}
          <TaskList heading={t.inbox.owedByUs(me.party)} empty={t.inbox.nothingOwedByUs} tasks={loaded.value.owedByUs} total={loaded.value.owedByUsTotal} testId="owed-by-us" ours />
          <TaskList heading={t.inbox.owedToUs(me.party)} empty={t.inbox.nothingOwedToUs} tasks={loaded.value.owedToUs} total={loaded.value.owedToUsTotal} testId="owed-to-us" ours={false} />
        </>
      ) : null}
    </>
  );
}

function TaskList({ heading, empty, tasks, total, testId, ours }: { readonly heading: string; readonly empty: string; readonly tasks: readonly Task[]; readonly total: number; readonly testId: string; readonly ours: boolean }) {
  const t = useT();
  const f = useFormat();
  const now = useNow();
  const id = `${testId}-heading`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{heading} ({total})</h3>
      {tasks.length === 0 ? <p>{empty}</p> : (
        <ol className="tasks" data-testid={testId}>
          {tasks.map((task) => {
            const overdue = task.pausedSince === undefined && task.due < now;
            const obligation = t.obligations[task.kind] ?? task.kind;
            const target = task.target === 'request' ? href('requests', task.id) : href('trades', task.id);
            return (
              <li key={`${task.target}-${task.id}-${task.kind}-${task.leg ?? ''}`} className={`${task.mine && ours ? 'task mine' : 'task'}${overdue ? (ours ? ' overdue' : ' overdue-them') : ''}${task.emergency ? ' emergency' : ''}`} data-testid="task">
                {task.emergency ? <><strong className="emergency-badge" data-testid="emergency">{t.inbox.emergency}</strong>{' '}</> : null}
                <a href={target}>{t.inbox.item(obligation, task.id)}</a>
                {' — '}
                <span className={overdue ? (ours ? 'overdue-badge' : 'overdue-them-badge') : undefined}>
                  {task.pausedSince !== undefined ? t.actForm.pausedSince(f.dateTime(task.pausedSince)) : `${f.dateTime(task.due)} (${f.countdown(task.due, now)})`}
                </span>
                {overdue ? <span className="sr-only"> ({ours ? t.inbox.overdueUs : t.inbox.overdueThem})</span> : null}
                {!ours ? <span className="sub"> {t.inbox.owedBy(task.party)}</span> : null}
                {ours && task.act ? (
                  <div className="sub">
                    {task.mine ? <strong data-testid="next-act">{t.inbox.nextAct(actText(task.act, t).label)}</strong> : <>{t.inbox.nextAct(actText(task.act, t).label)}, {task.actRoles.length === 0 ? t.inbox.byGateway : t.inbox.otherRole(task.actRoles.map((role) => t.roles[role] ?? role).join(' / '))}</>}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {total > tasks.length ? (
        <p data-testid={`${testId}-more`}>
          {t.inbox.showing(tasks.length, total)}{' '}
          <a href={`${href('requests')}?owed=${ours ? 'us' : 'them'}&sort=due`}>{t.inbox.seeAll}</a>
        </p>
      ) : null}
    </section>
  );
}
