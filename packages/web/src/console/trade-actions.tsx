import { useState, type FormEvent } from 'react';
import { ApiError } from '../shared/http.ts';
import { post, useMe } from './session.tsx';
import { actLabel, actRequest, tradeActs, type TradeAct } from './trade-text.ts';
import type { Trade } from './types.ts';

interface Answer {
  readonly index: number;
  readonly committed?: boolean;
  readonly commitIndex?: number;
}

const keyOf = (act: TradeAct) => (act.kind === 'sign' || act.kind === 'commit' ? act.kind : `${act.kind}-${act.leg}`);

/**
 * The acts this official may take on a trade now (trade-text.ts `tradeActs`). The gateway's
 * verified copy of the log follows the exchange's witnessed checkpoints, so a just-signed
 * act may still be listed as to do for a moment: an act done here is hidden at once, which
 * keeps an official from signing twice, and its log index stays in view.
 */
export function TradeActions({ trade, onDone }: { readonly trade: Trade; readonly onDone: () => void }) {
  const me = useMe();
  const [done, setDone] = useState<readonly string[]>([]);
  const [notices, setNotices] = useState<readonly string[]>([]);
  const acts = tradeActs(trade, me.role).filter((act) => !done.includes(keyOf(act)));
  const finished = (act: TradeAct, answer: Answer) => {
    setDone((old) => [...old, keyOf(act)]);
    const what = act.kind === 'sign' ? `Signed for ${me.party} as log entry ${answer.index}` : act.kind === 'commit' ? `Committed as log entry ${answer.index}` : `Signed as log entry ${answer.index}`;
    setNotices((old) => [...old, answer.committed ? `${what}; the trade is committed as log entry ${answer.commitIndex ?? '?'}.` : `${what}.`]);
    onDone();
  };
  return (
    <section aria-labelledby="trade-actions-heading">
      <h3 id="trade-actions-heading">Actions ({me.role}, {me.party})</h3>
      {acts.length === 0 && notices.length === 0 ? <p>Nothing for you to do on this trade now.</p> : null}
      <div className="actions">
        {acts.map((act) => (
          <ActForm key={keyOf(act)} trade={trade} act={act} onDone={(answer) => finished(act, answer)} />
        ))}
      </div>
      {notices.map((notice) => <p key={notice} role="status">{notice}</p>)}
    </section>
  );
}

/** One act as a small form; attesting asks the coordinator to tick that identity and health were checked. */
function ActForm({ trade, act, onDone }: { readonly trade: Trade; readonly act: TradeAct; readonly onDone: (answer: Answer) => void }) {
  const me = useMe();
  const label = actLabel(trade, act, me.party);
  const checkId = `checked-${keyOf(act)}`;
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (act.kind === 'attest' && !checked) return setError('Check the person’s identity and health before attesting');
    setBusy(true);
    setError(null);
    try {
      const request = actRequest(trade, act);
      onDone(await post<Answer>(me, request.path, request.body));
    } catch (caught) {
      setError(caught instanceof ApiError ? `${caught.body.code}: ${caught.message}` : String(caught));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={label} noValidate>
      {act.kind === 'attest' ? (
        <label htmlFor={checkId}>
          <input id={checkId} type="checkbox" checked={checked} aria-invalid={error !== null && !checked} onChange={(event) => setChecked(event.target.checked)} /> Identity and health checked at the handover
        </label>
      ) : null}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <p><button type="submit" disabled={busy}>{busy ? 'Signing…' : label}</button></p>
    </form>
  );
}
