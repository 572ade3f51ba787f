import { api } from '../shared/http.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { href } from './router.ts';
import { useMe } from './session.tsx';
import type { Proposal } from './types.ts';

/** For approvers: decisions another approver proposed, which need a second one (two-person rule). */
export function ProposalsAwaiting() {
  const me = useMe();
  const [loaded] = useFetch(() => api<Proposal[]>('GET', '/api/proposals'), 'proposals');
  if (me.role !== 'approver' || loaded.state !== 'ready') return null;
  const waiting = loaded.value.filter((proposal) => proposal.confirmedBy === null && proposal.proposer !== me.username);
  if (waiting.length === 0) return null;
  return (
    <section className="notice" aria-label="Decisions awaiting your confirmation">
      <strong>Awaiting a second approver:</strong>{' '}
      {waiting.map((proposal, i) => (
        <span key={proposal.id}>
          {i > 0 ? ', ' : ''}
          <a href={href('requests', proposal.request)}>{proposal.request}</a> ({proposal.decision}{proposal.ground ? ` on ${proposal.ground}` : ''}, proposed by {proposal.proposer})
        </span>
      ))}
    </section>
  );
}
