import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ActionForm } from './action-form.tsx';
import { actText } from './action-catalogue.ts';
import { useTitles } from './treaty-context.tsx';
import { variantText } from './variant-text.ts';
import { ProposalList } from './proposal-list.tsx';
import { useMe } from './session.tsx';
import type { RequestDetail } from './types.ts';
import { useNow } from './use-now.ts';

/**
 * The acts this official may take on this request now, as the core lists them (issue 11:
 * nothing that would fail is offered), the one that discharges the most urgent obligation
 * first and marked as such; and the decisions awaiting a second approver.
 */
export function RequestActions({ request, onDone }: { readonly request: RequestDetail; readonly onDone: () => void }) {
  const me = useMe();
  const t = useT();
  const titles = useTitles();
  const now = useNow();
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    setNotice(text);
    onDone();
  };
  const { available, unavailable } = request.acts;
  // A proposal still open (not overtaken) is what the decision waits for: no second one.
  const waiting = request.proposals.some((proposal) => !proposal.overtaken);
  const acts = available.filter((act) => act.type !== 'request.decide' || !waiting);
  // Acts other officials take are not this official's concern; the rules that bar an act are.
  const barred = unavailable.filter((act) => act.code !== 'ROLE_NOT_PERMITTED');
  return (
    <section aria-labelledby="actions-heading">
      <h3 id="actions-heading">{t.actions.heading(t.roles[me.role] ?? me.role, me.party)}</h3>
      <ProposalList proposals={request.proposals} onDone={done} />
      {acts.length === 0 && request.proposals.length === 0 ? <p data-testid="no-acts">{t.actions.nothingOnRequest(t.roles[me.role] ?? me.role, me.party)}</p> : null}
      {notice ? <p role="status" data-testid="act-notice">{notice}</p> : null}
      <div className="actions" data-testid="acts">
        {acts.map((act, index) => <ActionForm key={act.type} act={act} now={now} urgent={index === 0 && act.discharges !== undefined} onDone={done} caseId={request.id} />)}
      </div>
      {barred.length > 0 ? (
        <details>
          <summary>{t.actions.barred}</summary>
          <ul data-testid="unavailable">{barred.map((act) => <li key={`${act.type}-${act.label}`}>{actText(act.type, t).label} ({variantText(t, titles, act.type, act.params, act.label)}): {act.code}, {t.errors[act.code] ?? act.message}</li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}
