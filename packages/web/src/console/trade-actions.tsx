import { useState } from 'react';
import { ActionForm } from './action-form.tsx';
import { ProposalList } from './proposal-list.tsx';
import { useMe } from './session.tsx';
import { lastSignature } from './trade-text.ts';
import type { LegalAct, Trade } from './types.ts';
import { useNow } from './use-now.ts';

const COMMIT_WARNING = 'This commits the trade: every leg is locked until the trade completes or is called off after its deadline.';

/**
 * The acts this official may take on a trade now, as the core lists them, and the signatures
 * and commits waiting for a second approver. Committing (and the signature that commits)
 * asks once more before it locks the legs.
 */
export function TradeActions({ trade, onDone }: { readonly trade: Trade; readonly onDone: () => void }) {
  const me = useMe();
  const now = useNow();
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    setNotice(text);
    onDone();
  };
  const commits = (act: LegalAct) => act.type === 'trade.commit' || (act.type === 'trade.sign' && lastSignature(trade, me.party));
  const waiting = new Set(trade.proposals.filter((proposal) => !proposal.overtaken).map((proposal) => proposal.kind));
  const acts = trade.acts.available.filter((act) => !waiting.has(act.type as never));
  const barred = trade.acts.unavailable.filter((act) => act.code !== 'ROLE_NOT_PERMITTED');
  return (
    <section aria-labelledby="trade-actions-heading">
      <h3 id="trade-actions-heading">What you can do ({me.role}, {me.party})</h3>
      <ProposalList proposals={trade.proposals} onDone={done} binding={(proposal) => (proposal.kind === 'trade.commit' || (proposal.kind === 'trade.sign' && lastSignature(trade, me.party)) ? COMMIT_WARNING : undefined)} />
      {acts.length === 0 && trade.proposals.length === 0 ? <p data-testid="no-acts">Nothing for a {me.role} of {me.party} to do on this trade now.</p> : null}
      {notice ? <p role="status" data-testid="act-notice">{notice}</p> : null}
      <div className="actions" data-testid="acts">
        {acts.map((act, index) => (
          <ActionForm key={act.type} act={act} now={now} urgent={index === 0 && act.discharges !== undefined} onDone={done} {...(commits(act) ? { confirmText: COMMIT_WARNING } : {})} />
        ))}
      </div>
      {barred.length > 0 ? (
        <details>
          <summary>Acts the rules do not allow now, and why</summary>
          <ul>{barred.map((act) => <li key={`${act.type}-${act.label}`}>{act.label}: {act.code}, {act.message}</li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}
