import { api } from '../shared/http.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { proposalText } from './proposal-list.tsx';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import type { Proposal } from './types.ts';

/** For approvers: acts another approver proposed (decisions, trade signatures and commits), which need a second one. */
export function ProposalsAwaiting() {
  const me = useMe();
  const [loaded] = useFetch(() => api<Proposal[]>('GET', '/api/proposals'), 'proposals');
  if (me.role !== 'approver' || loaded.state !== 'ready') return null;
  const waiting = loaded.value.filter((proposal) => proposal.proposer !== me.username && !proposal.overtaken);
  if (waiting.length === 0) return null;
  return (
    <section className="notice" aria-label="Proposals awaiting your confirmation">
      <strong>Awaiting a second approver:</strong>{' '}
      {waiting.map((proposal, i) => (
        <span key={proposal.id}>
          {i > 0 ? ', ' : ''}
          <a href={proposal.kind === 'request.decide' ? href('requests', proposal.target) : href('trades', proposal.target)}>{proposal.target}</a> ({proposalText(proposal)}, proposed by {proposal.proposer})
        </span>
      ))}
    </section>
  );
}
