import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ActionForm } from './action-form.tsx';
import { actText } from './action-catalogue.ts';
import { useTitles } from './treaty-context.tsx';
import { variantText } from './variant-text.ts';
import { ProposalList } from './proposal-list.tsx';
import { useMe } from './session.tsx';
import { lastSignature } from './trade-text.ts';
import type { LegalAct, Trade } from './types.ts';
import { useNow } from './use-now.ts';


/**
 * The acts this official may take on a trade now, as the core lists them, and the signatures
 * and commits waiting for a second approver. Committing (and the signature that commits)
 * asks once more before it locks the legs.
 */
export function TradeActions({ trade, onDone }: { readonly trade: Trade; readonly onDone: () => void }) {
  const me = useMe();
  const t = useT();
  const titles = useTitles();
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
      <h3 id="trade-actions-heading">{t.actions.heading(t.roles[me.role] ?? me.role, me.party)}</h3>
      <ProposalList proposals={trade.proposals} onDone={done} binding={(proposal) => (proposal.kind === 'trade.commit' || (proposal.kind === 'trade.sign' && lastSignature(trade, me.party)) ? t.actForm.commitWarning : undefined)} />
      {acts.length === 0 && trade.proposals.length === 0 ? <p data-testid="no-acts">{t.actions.nothingOnTrade(t.roles[me.role] ?? me.role, me.party)}</p> : null}
      {notice ? <p role="status" data-testid="act-notice">{notice}</p> : null}
      <div className="actions" data-testid="acts">
        {acts.map((act, index) => (
          <ActionForm key={act.type} act={act} now={now} urgent={index === 0 && act.discharges !== undefined} onDone={done} legs={trade.legs} {...(commits(act) ? { confirmText: t.actForm.commitWarning } : {})} />
        ))}
      </div>
      {barred.length > 0 ? (
        <details>
          <summary>{t.actions.barred}</summary>
          <ul>{barred.map((act) => <li key={`${act.type}-${act.label}`}>{actText(act.type, t).label} ({variantText(t, titles, act.type, act.params, act.label, trade.legs)}): {act.code}, {t.errors[act.code] ?? act.message}</li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}
