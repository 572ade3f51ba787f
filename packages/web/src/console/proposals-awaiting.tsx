import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ProposalList } from './proposal-list.tsx';
import { api } from '../shared/http.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { Proposal } from './types.ts';
import { proposalText } from './variant-text.ts';

/** For approvers: acts another approver proposed (decisions, trade signatures and commits, treaty acts, changes to the officials), which need a second one. */
export function ProposalsAwaiting() {
  const me = useMe();
  const t = useT();
  const titles = useTitles();
  const [loaded, reload] = useFetch(() => api<Proposal[]>('GET', '/api/proposals'), 'proposals');
  const [notice, setNotice] = useState('');
  if (me.role !== 'approver' || loaded.state !== 'ready') return null;
  const waiting = loaded.value.filter((proposal) => proposal.proposer !== me.username && !proposal.overtaken);
  // Treaty acts and changes to the officials have no page of their own: they are confirmed here.
  const stateActs = loaded.value.filter((proposal) => !onCase(proposal));
  if (waiting.length === 0 && stateActs.length === 0 && !notice) return null;
  return (
    <section className="notice" aria-label={t.proposals.awaitingLabel}>
      {waiting.length > 0 ? <strong>{t.proposals.awaitingYou}</strong> : null}{' '}
      {waiting.filter(onCase).map((proposal, i) => (
        <span key={proposal.id}>
          {i > 0 ? ', ' : ''}
          <a href={proposal.kind === 'request.decide' ? href('requests', proposal.target) : href('trades', proposal.target)}>{proposal.target}</a> ({proposalText(t, titles, proposal)}, {t.proposals.by(proposal.proposer)})
        </span>
      ))}
      <ProposalList proposals={stateActs} onDone={(text) => { setNotice(text); reload(); }} />
      {notice ? <p role="status">{notice}</p> : null}
    </section>
  );
}

/** A decision or trade act, confirmed on its request's or trade's page. */
function onCase(proposal: Proposal): boolean {
  return proposal.kind === 'request.decide' || proposal.kind.startsWith('trade.');
}
