import { useT } from '../i18n/i18n.tsx';
import { api } from '../shared/http.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { Proposal } from './types.ts';
import { proposalText } from './variant-text.ts';

/** For approvers: acts another approver proposed (decisions, trade signatures and commits), which need a second one. */
export function ProposalsAwaiting() {
  const me = useMe();
  const t = useT();
  const titles = useTitles();
  const [loaded] = useFetch(() => api<Proposal[]>('GET', '/api/proposals'), 'proposals');
  if (me.role !== 'approver' || loaded.state !== 'ready') return null;
  const waiting = loaded.value.filter((proposal) => proposal.proposer !== me.username && !proposal.overtaken);
  if (waiting.length === 0) return null;
  return (
    <section className="notice" aria-label={t.proposals.awaitingLabel}>
      <strong>{t.proposals.awaitingYou}</strong>{' '}
      {waiting.map((proposal, i) => (
        <span key={proposal.id}>
          {i > 0 ? ', ' : ''}
          <a href={proposal.kind === 'request.decide' ? href('requests', proposal.target) : href('trades', proposal.target)}>{proposal.target}</a> ({proposalText(t, titles, proposal)}, {t.proposals.by(proposal.proposer)})
        </span>
      ))}
    </section>
  );
}
