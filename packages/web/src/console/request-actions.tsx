import { useState } from 'react';
import { ActionForm } from './action-form.tsx';
import { actText } from './action-catalogue.ts';
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
      <h3 id="actions-heading">What you can do ({me.role}, {me.party})</h3>
      <ProposalList proposals={request.proposals} onDone={done} />
      {acts.length === 0 && request.proposals.length === 0 ? <p data-testid="no-acts">Nothing for a {me.role} of {me.party} to do on this request now.</p> : null}
      {notice ? <p role="status" data-testid="act-notice">{notice}</p> : null}
      <div className="actions" data-testid="acts">
        {acts.map((act, index) => <ActionForm key={act.type} act={act} now={now} urgent={index === 0 && act.discharges !== undefined} onDone={done} />)}
      </div>
      {barred.length > 0 ? (
        <details>
          <summary>Acts the rules do not allow now, and why</summary>
          <ul data-testid="unavailable">{barred.map((act) => <li key={`${act.type}-${act.label}`}>{actText(act.type).label} ({act.label}): {act.code}, {act.message}</li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}
