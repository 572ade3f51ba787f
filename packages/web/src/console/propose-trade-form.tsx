import { useId, useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { ISO_PLACEHOLDER } from './action-form.tsx';
import { api, ApiError } from '../shared/http.ts';
import { ErrorNote, errorText, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { pagesUpTo, type Paged } from '../shared/pages.ts';
import { go } from './router.ts';
import { post, useMe } from './session.tsx';
import { loadTreaty } from './treaty.ts';
import type { PoolGrant } from './types.ts';

/** Per party, how many persons it would give and receive: the equal-count rule wants them equal. */
export function flows(grants: readonly PoolGrant[]): { party: string; gives: number; receives: number }[] {
  const map = new Map<string, { gives: number; receives: number }>();
  const at = (party: string) => map.get(party) ?? map.set(party, { gives: 0, receives: 0 }).get(party)!;
  for (const grant of grants) {
    at(grant.from).gives += 1;
    at(grant.to).receives += 1;
  }
  return [...map].sort(([a], [b]) => a.localeCompare(b)).map(([party, flow]) => ({ party, ...flow }));
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Pages of 200 read of one counterpart's pool, at most: a bound on what the form loads (`poolCut` says when it is reached). */
const POOL_PAGES = 50;

/**
 * Proposing a trade from the grants conditional on reciprocity that are open (issue 11): two
 * or more legs, bilateral or around a cycle of states, a coordinator and a deadline. The form
 * shows what each party would give and receive; the treaty's balance rule is the exchange's
 * to check, and its refusal is shown as it comes. The pool is read one counterpart at a time,
 * filtered by the gateway, every page of it (issue 14); legs chosen under one counterpart stay
 * chosen while another is shown, so a trade around a cycle of states can be put together.
 */
export function ProposeTradeForm({ onDone }: { readonly onDone: () => void }) {
  const me = useMe();
  const t = useT();
  const id = useId();
  const [treaty, reloadTreaty] = useFetch(() => loadTreaty<{ parties: { id: string }[] }>(), 'trade-pool-treaty');
  const parties = treaty.state === 'ready' ? (treaty.value?.parties.map((party) => party.id) ?? []) : [];
  const [picked, setPicked] = useState<string | null>(null);
  const counterpart = picked ?? parties.find((party) => party !== me.party) ?? '';
  const poolPage = (after: string) => api<Paged<PoolGrant>>('GET', `/api/trade-pool?counterpart=${encodeURIComponent(counterpart)}&limit=200${after ? `&after=${after}` : ''}`);
  // Keyed by its counterpart: another counterpart's pool (or none, while the treaty loaded) reads as loading (useFetch).
  // A page examines a bounded number of grants (the gateway's SCAN_BUDGET), so a counterpart with
  // few grants in a large pool can take every page the form reads: it says so rather than end short.
  const [loaded, reloadPool] = useFetch(async () => (counterpart ? await pagesUpTo(poolPage, POOL_PAGES) : { items: [], cut: false }), `trade-pool|${counterpart}`);
  const [chosen, setChosen] = useState<ReadonlyMap<string, PoolGrant>>(new Map());
  const [coordinator, setCoordinator] = useState('exchange');
  const [deadline, setDeadline] = useState(() => isoDay(new Date(Date.now() + 30 * 86_400_000)));
  const [tradeId, setTradeId] = useState(() => `${me.party}-T-${isoDay(new Date())}`);
  const [venue, setVenue] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const pool = loaded.state === 'ready' ? loaded.value.items : [];
  const legs = [...chosen.values()];
  if (treaty.state === 'loading' || loaded.state === 'loading') return <Loading what={t.trades.openGrants} />;
  if (treaty.state === 'error') return <ErrorNote error={treaty.error} retry={reloadTreaty} />;
  if (loaded.state === 'error') return <ErrorNote error={loaded.error} retry={reloadPool} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const end = Date.parse(`${deadline}T23:59:59Z`);
    if (legs.length < 2) return setMessage({ error: true, text: t.trades.twoLegs });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline) || Number.isNaN(end)) return setMessage({ error: true, text: t.trades.deadlineFormat });
    setBusy(true);
    setMessage(null);
    try {
      await post(me, '/api/trades', { trade: tradeId, legs: legs.map((grant) => ({ kind: 'request', request: grant.request })), coordinator, deadline: Math.floor(end / 1000), ...(venue.trim() ? { venue: venue.trim() } : {}) });
      setMessage({ error: false, text: t.trades.proposedNotice(tradeId) });
      onDone();
      go('trades', tradeId);
    } catch (caught) {
      setMessage({ error: true, text: caught instanceof ApiError ? `${caught.body.code}: ${errorText(t, caught)}` : String(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={t.trades.propose} noValidate className="card no-print">
      <h3>{t.trades.propose}</h3>
      <label htmlFor={`${id}-counterpart`}>{t.trades.counterpartField}</label>
      <select id={`${id}-counterpart`} value={counterpart} onChange={(event) => setPicked(event.target.value)}>
        {parties.filter((party) => party !== me.party).map((party) => <option key={party} value={party}>{party}</option>)}
      </select>
      {pool.length < 2 && legs.length < 2 ? <p>{t.trades.fewGrants}</p> : null}
      {loaded.state === 'ready' && loaded.value.cut ? <p role="note" data-testid="pool-cut">{t.trades.poolCut(pool.length)}</p> : null}
      <fieldset>
        <legend>{t.trades.legsLegend}</legend>
        {pool.map((grant) => (
          <label key={grant.request} className="check">
            <input type="checkbox" checked={chosen.has(grant.request)} onChange={(event) => setChosen((old) => { const next = new Map(old); if (event.target.checked) next.set(grant.request, grant); else next.delete(grant.request); return next; })} />{' '}
            {t.trades.poolLeg(grant.subject, grant.from, grant.to, grant.request)}
          </label>
        ))}
      </fieldset>
      {legs.length > 0 ? (
        <p data-testid="trade-flows">
          {flows(legs).map((flow) => t.trades.flow(flow.party, flow.gives, flow.receives)).join('; ')}
          {flows(legs).every((flow) => flow.gives === flow.receives) ? t.trades.balanced : t.trades.unbalanced}
        </p>
      ) : null}
      <label htmlFor={`${id}-id`}>{t.trades.tradeId}</label>
      <input id={`${id}-id`} value={tradeId} onChange={(event) => setTradeId(event.target.value)} />
      <label htmlFor={`${id}-coordinator`}>{t.trades.coordinatorField}</label>
      <select id={`${id}-coordinator`} value={coordinator} onChange={(event) => setCoordinator(event.target.value)}>
        {['exchange', ...parties].map((party) => <option key={party} value={party}>{party === 'exchange' ? t.trades.exchange : party}</option>)}
      </select>
      <label htmlFor={`${id}-deadline`}>{t.trades.deadlineField}</label>
      <input id={`${id}-deadline`} value={deadline} inputMode="numeric" placeholder={ISO_PLACEHOLDER} onChange={(event) => setDeadline(event.target.value)} />
      <label htmlFor={`${id}-venue`}>{t.trades.venue}</label>
      <input id={`${id}-venue`} value={venue} onChange={(event) => setVenue(event.target.value)} />
      {message ? <p role={message.error ? 'alert' : 'status'} className={message.error ? 'field-error' : undefined}>{message.text}</p> : null}
      <p><button type="submit" disabled={busy}>{t.trades.submit}</button></p>
    </form>
  );
}
