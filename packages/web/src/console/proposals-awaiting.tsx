import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ProposalList } from './proposal-list.tsx';
import { api } from '../shared/http.ts';
import { MoreButton } from '../shared/more-button.tsx';
import { usePages, type Pages, type Paged } from '../shared/pages.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { Proposal } from './types.ts';
import { proposalText } from './variant-text.ts';

/** Proposals per page of each list (the gateway allows up to 200). */
const PAGE = 50;

/** A page of this state's open proposals that `query` keeps, filtered by the gateway. */
function proposalPage(query: string, after: string): Promise<Paged<Proposal>> {
  return api<Paged<Proposal>>('GET', `/api/proposals?${query}&limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
}

/**
 * For approvers: acts another approver proposed (decisions, trade signatures and commits, treaty
 * acts, changes to the officials), which need a second one. The gateway filters and pages both
 * lists (issue 14): the case acts another approver proposed that are still confirmable, and every
 * act of the state itself; "More" under each reads on.
 */
export function ProposalsAwaiting() {
  const me = useMe();
  const t = useT();
  const titles = useTitles();
  const waiting = usePages((after) => proposalPage('scope=case&mine=false&overtaken=false', after), `proposals|case|${me.username}`);
  // Treaty acts and changes to the officials have no page of their own: they are confirmed here.
  const stateActs = usePages((after) => proposalPage('scope=state', after), 'proposals|state');
  const [notice, setNotice] = useState('');
  if (me.role !== 'approver' || waiting.first.state !== 'ready' || stateActs.first.state !== 'ready') return null;
  const some = (pages: Pages<Proposal>) => pages.items.length > 0 || pages.next !== null;
  if (!some(waiting) && !some(stateActs) && !notice) return null;
  return (
    <section className="notice" aria-label={t.proposals.awaitingLabel}>
      {waiting.items.length > 0 ? <strong>{t.proposals.awaitingYou}</strong> : null}{' '}
      {waiting.items.map((proposal, i) => (
        <span key={proposal.id}>
          {i > 0 ? ', ' : ''}
          <a href={proposal.kind === 'request.decide' ? href('requests', proposal.target) : href('trades', proposal.target)}>{proposal.target}</a> ({proposalText(t, titles, proposal)}, {t.proposals.by(proposal.proposer)})
        </span>
      ))}
      <MoreButton pages={waiting} testId="proposals-waiting-more" />
      <ProposalList proposals={stateActs.items} onDone={(text) => { setNotice(text); stateActs.reload(); }} />
      <MoreButton pages={stateActs} testId="proposals-state-more" />
      {notice ? <p role="status">{notice}</p> : null}
    </section>
  );
}
