import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/http.ts';
import { isoTime } from '../shared/format.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { post, useMe } from './session.tsx';
import type { Proposal, RequestDetail } from './types.ts';

const DECISIONS = ['grant', 'grant-conditional', 'refuse', 'refuse-prosecute'];

/**
 * Deciding under the two-person rule (DESIGN.md "Decisions need two approvers"): one approver
 * proposes, which signs nothing; another approver confirms, and only then does the gateway
 * sign request.decide naming both. The proposer sees their own proposal without a Confirm
 * button, since the gateway would refuse it (SAME_APPROVER).
 */
export function DecisionPanel({ request, grounds, onDone }: { readonly request: RequestDetail; readonly grounds: readonly string[]; readonly onDone: () => void }) {
  const me = useMe();
  const [proposals, reloadProposals] = useFetch(() => api<Proposal[]>('GET', '/api/proposals'), `proposals-${request.id}`);
  const [decision, setDecision] = useState('');
  const [ground, setGround] = useState('');
  const [reasons, setReasons] = useState('');
  const [onReciprocity, setOnReciprocity] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Once decided there is nothing to propose; the confirmation's notice stays in view.
  if (request.decision) return notice ? <p role="status">{notice}</p> : null;
  const open = proposals.state === 'ready' ? proposals.value.filter((proposal) => proposal.request === request.id && proposal.confirmedBy === null) : [];
  const refusing = decision.startsWith('refuse');

  const propose = async (event: FormEvent) => {
    event.preventDefault();
    if (!decision) return setError({ field: 'decision', message: 'Choose a decision' });
    if (refusing && !ground) return setError({ field: 'ground', message: 'A refusal cites a ground' });
    // FD 2002/584 art. 17(6): the exchange refuses a refusal without reasons; say so here first.
    if (refusing && !reasons.trim()) return setError({ field: 'reasons', message: 'A refusal must give reasons (FD 2002/584 art. 17(6))' });
    setBusy(true);
    setError(null);
    try {
      await post(me, `/api/requests/${encodeURIComponent(request.id)}/decision-proposals`, { decision, ...(refusing ? { ground } : {}), ...(onReciprocity ? { onReciprocity } : {}), ...(reasons.trim() ? { reasons: reasons.trim() } : {}) });
      setNotice('Proposed. Another approver of your state must now confirm it.');
      reloadProposals();
    } catch (caught) {
      const body = caught instanceof ApiError ? caught.body : { message: String(caught) };
      setError({ ...('field' in body && body.field ? { field: body.field.replace(/^body\./, '') } : {}), message: body.message });
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (proposal: Proposal) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await post<{ index: number }>(me, `/api/proposals/${encodeURIComponent(proposal.id)}/confirm`, {});
      setNotice(`Confirmed: the decision is signed as log entry ${answer.index}.`);
      reloadProposals();
      onDone();
    } catch (caught) {
      setError({ message: caught instanceof ApiError ? `${caught.body.code}: ${caught.message}` : String(caught) });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (error?.field === name ? <p className="field-error" id={`decision-${name}-error`} role="alert">{error.message}</p> : null);

  return (
    <div className="card">
      <h4>Decide (two approvers)</h4>
      {open.length > 0 ? (
        <ul aria-label="Proposed decisions">
          {open.map((proposal) => (
            <li key={proposal.id}>
              {proposal.decision}{proposal.ground ? ` on ${proposal.ground}` : ''}, proposed by {proposal.proposer} at {isoTime(proposal.createdAt)}.{' '}
              {proposal.proposer === me.username ? <em>Awaiting a second approver.</em> : <button type="button" disabled={busy} onClick={() => void confirm(proposal)}>Confirm as second approver</button>}
            </li>
          ))}
        </ul>
      ) : (
        <form onSubmit={propose} aria-label="Propose a decision" noValidate>
          <label htmlFor="decision-decision">Decision</label>
          <select id="decision-decision" value={decision} aria-invalid={error?.field === 'decision'} onChange={(event) => setDecision(event.target.value)}>
            <option value="">Choose…</option>
            {DECISIONS.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
          {fieldError('decision')}
          <label htmlFor="decision-ground">Ground (for a refusal)</label>
          <select id="decision-ground" value={ground} disabled={!refusing} aria-invalid={error?.field === 'ground'} onChange={(event) => setGround(event.target.value)}>
            <option value="">Choose…</option>
            {grounds.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
          {fieldError('ground')}
          <label htmlFor="decision-reciprocity">
            <input id="decision-reciprocity" type="checkbox" checked={onReciprocity} onChange={(event) => setOnReciprocity(event.target.checked)} /> Grant on condition of reciprocity (to be traded)
          </label>
          <label htmlFor="decision-reasons">Reasons (sealed)</label>
          <textarea id="decision-reasons" rows={3} cols={40} value={reasons} aria-invalid={error?.field === 'reasons'} onChange={(event) => setReasons(event.target.value)} />
          {fieldError('reasons')}
          <p><button type="submit" disabled={busy}>Propose decision</button></p>
        </form>
      )}
      {error && !['decision', 'ground', 'reasons'].includes(error.field ?? '') ? <p className="field-error" role="alert">{error.message}</p> : null}
      {notice ? <p role="status">{notice}</p> : null}
    </div>
  );
}
