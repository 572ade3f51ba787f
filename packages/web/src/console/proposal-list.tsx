import { useId, useState } from 'react';
import { ApiError } from '../shared/http.ts';
import { isoTime } from '../shared/format.ts';
import { post, useMe } from './session.tsx';
import type { Proposal } from './types.ts';

/** "refuse-prosecute on nationality", "sign trade T-1". */
export function proposalText(proposal: Proposal): string {
  if (proposal.kind === 'request.decide') return `${proposal.decision ?? 'decision'}${proposal.ground ? ` on ${proposal.ground}` : ''}${proposal.onReciprocity ? ', on condition of reciprocity' : ''}`;
  return `${proposal.kind === 'trade.sign' ? 'sign' : 'commit'} trade ${proposal.target}`;
}

/**
 * Two-person acts waiting for a second approver (DESIGN.md "Decisions need two approvers";
 * issue 11). The proposer may withdraw; another approver may confirm (not before the instant
 * it becomes possible) or reject with reasons. One the history has overtaken says why and
 * offers no confirmation: a new proposal replaces it.
 */
/** `onDone` gets the words to show once an act is done (the proposal then leaves this list). */
export function ProposalList({ proposals, onDone, binding }: { readonly proposals: readonly Proposal[]; readonly onDone: (notice: string) => void; readonly binding?: (proposal: Proposal) => string | undefined }) {
  const me = useMe();
  if (proposals.length === 0) return null;
  return (
    <ul aria-label="Proposals awaiting a second approver" className="proposals">
      {proposals.map((proposal) => (
        <li key={proposal.id} data-testid="proposal">
          <ProposalItem proposal={proposal} mine={proposal.proposer === me.username} approver={me.role === 'approver'} onDone={onDone} warning={binding?.(proposal)} />
        </li>
      ))}
    </ul>
  );
}

/** `warning`: the confirmation binds the state for good (a commit), so it asks once more, saying why. */
function ProposalItem({ proposal, mine, approver, onDone, warning }: { readonly proposal: Proposal; readonly mine: boolean; readonly approver: boolean; readonly onDone: (notice: string) => void; readonly warning?: string | undefined }) {
  const me = useMe();
  const id = useId();
  const [reasons, setReasons] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ error: true; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const early = proposal.confirmableFrom !== null && proposal.confirmableFrom * 1000 > Date.now();
  const act = async (path: string, body: Record<string, unknown>, done: (answer: Record<string, unknown>) => string) => {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await post<Record<string, unknown>>(me, `/api/proposals/${encodeURIComponent(proposal.id)}/${path}`, body);
      onDone(done(answer));
    } catch (caught) {
      setMessage({ error: true, text: caught instanceof ApiError ? `${caught.body.code}: ${caught.message}` : String(caught) });
    } finally {
      setBusy(false);
    }
  };
  const reject = () => {
    if (!reasons.trim()) return setMessage({ error: true, text: 'A rejection gives its reasons' });
    void act('reject', { reasons: reasons.trim() }, () => 'Rejected; the rejection is recorded.');
  };
  return (
    <div className="card">
      <p>
        <strong>{proposalText(proposal)}</strong>, proposed by {proposal.proposer} at {isoTime(proposal.createdAt)}.
        {proposal.confirmableFrom !== null ? <> Can be confirmed from <strong>{isoTime(proposal.confirmableFrom)}</strong>.</> : null}
      </p>
      {proposal.overtaken ? <p className="alarm" data-testid="overtaken">Overtaken by the history ({proposal.overtaken.code}): {proposal.overtaken.message}. Propose again to replace it.</p> : null}
      {approver ? (
        <p className="buttons">
          {!mine && !proposal.overtaken ? (
            <button
              type="button"
              disabled={busy || early}
              onClick={() => {
                if (warning && !confirming) return setConfirming(true);
                setConfirming(false);
                void act('confirm', {}, (answer) => `Confirmed: signed as log entry ${String(answer.index)}${answer.commitIndex !== undefined ? `, and the trade committed as entry ${String(answer.commitIndex)}` : ''}.`);
              }}
            >
              {early ? 'Confirm (not yet possible)' : confirming ? 'Yes, confirm and commit' : 'Confirm as second approver'}
            </button>
          ) : null}
          {mine ? <button type="button" className="secondary" disabled={busy} onClick={() => void act('withdraw', {}, () => 'Withdrawn; the withdrawal is recorded.')}>Withdraw my proposal</button> : null}
          {!mine && !rejecting ? <button type="button" className="secondary" disabled={busy} onClick={() => setRejecting(true)}>Reject…</button> : null}
        </p>
      ) : <p><em>Awaiting a second approver.</em></p>}
      {confirming && warning ? <p role="alert" className="notice">{warning} <strong>Press the button again to confirm.</strong></p> : null}
      {rejecting ? (
        <div>
          <label htmlFor={`${id}-reasons`}>Reasons for rejecting (sealed, required)</label>
          <textarea id={`${id}-reasons`} rows={2} value={reasons} onChange={(event) => setReasons(event.target.value)} />
          <p className="buttons">
            <button type="button" disabled={busy} onClick={reject}>Reject the proposal</button>
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>Cancel</button>
          </p>
        </div>
      ) : null}
      {message ? <p role="alert" className="field-error">{message.text}</p> : null}
    </div>
  );
}
