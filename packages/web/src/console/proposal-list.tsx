import { useId, useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { ApiError } from '../shared/http.ts';
import { errorText } from '../shared/status.tsx';
import { post, useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { Proposal } from './types.ts';
import { proposalText } from './variant-text.ts';

/**
 * Two-person acts waiting for a second approver (DESIGN.md "Decisions need two approvers";
 * issue 11). The proposer may withdraw; another approver may confirm (not before the instant
 * it becomes possible) or reject with reasons. One the history has overtaken says why and
 * offers no confirmation: a new proposal replaces it.
 */
/** `onDone` gets the words to show once an act is done (the proposal then leaves this list). */
export function ProposalList({ proposals, onDone, binding }: { readonly proposals: readonly Proposal[]; readonly onDone: (notice: string) => void; readonly binding?: (proposal: Proposal) => string | undefined }) {
  const me = useMe();
  const t = useT();
  if (proposals.length === 0) return null;
  return (
    <ul aria-label={t.proposals.listLabel} className="proposals">
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
  const t = useT();
  const f = useFormat();
  const titles = useTitles();
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
      setMessage({ error: true, text: caught instanceof ApiError ? `${caught.body.code}: ${errorText(t, caught)}` : String(caught) });
    } finally {
      setBusy(false);
    }
  };
  const reject = () => {
    if (!reasons.trim()) return setMessage({ error: true, text: t.proposals.rejectNeedsReasons });
    void act('reject', { reasons: reasons.trim() }, () => t.proposals.rejected);
  };
  return (
    <div className="card">
      <p>
        <strong>{proposalText(t, titles, proposal)}</strong>{t.proposals.proposedBy(proposal.proposer, f.dateTime(proposal.createdAt))}
        {proposal.confirmableFrom !== null ? <> {t.proposals.confirmableFrom} <strong>{f.dateTime(proposal.confirmableFrom)}</strong>.</> : null}
      </p>
      {proposal.overtaken ? <p className="alarm" data-testid="overtaken">{t.proposals.overtaken(proposal.overtaken.code, proposal.overtaken.message)}</p> : null}
      {approver ? (
        <p className="buttons">
          {!mine && !proposal.overtaken ? (
            <button
              type="button"
              disabled={busy || early}
              onClick={() => {
                if (warning && !confirming) return setConfirming(true);
                setConfirming(false);
                void act('confirm', {}, (answer) => t.proposals.confirmed(String(answer.index), answer.commitIndex !== undefined ? String(answer.commitIndex) : undefined));
              }}
            >
              {early ? t.proposals.confirmNotYet : confirming ? t.proposals.confirmAndCommit : t.proposals.confirm}
            </button>
          ) : null}
          {mine ? <button type="button" className="secondary" disabled={busy} onClick={() => void act('withdraw', {}, () => t.proposals.withdrawn)}>{t.proposals.withdraw}</button> : null}
          {!mine && !rejecting ? <button type="button" className="secondary" disabled={busy} onClick={() => setRejecting(true)}>{t.proposals.reject}</button> : null}
        </p>
      ) : <p><em>{t.proposals.awaiting}</em></p>}
      {confirming && warning ? <p role="alert" className="notice">{warning} <strong>{t.actForm.pressAgain}</strong></p> : null}
      {rejecting ? (
        <div>
          <label htmlFor={`${id}-reasons`}>{t.proposals.rejectReasons}</label>
          <textarea id={`${id}-reasons`} rows={2} value={reasons} onChange={(event) => setReasons(event.target.value)} />
          <p className="buttons">
            <button type="button" disabled={busy} onClick={reject}>{t.proposals.rejectSubmit}</button>
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>{t.common.cancel}</button>
          </p>
        </div>
      ) : null}
      {message ? <p role="alert" className="field-error">{message.text}</p> : null}
    </div>
  );
}
