import { figuresOf, genesis, replay, type AnyDomainEntry, type State } from '@evenhand/core';
import { fullCollection } from '@evenhand/testing';
import { appendedFiling, domainEntries, growthKeys, LOG_END, STATES } from './growth-log.ts';
const collect = fullCollection();
const used = () => { collect(); collect(); return process.memoryUsage().heapUsed; };
function replayed(entries: readonly AnyDomainEntry[], from: State): State { const r = replay(entries, from); if (!r.ok) throw new Error(r.error.code); return r.value; }
function build(): any {
  let state = replayed(domainEntries(growthKeys(), 10000), genesis());
  const filings = 20000; const time = LOG_END + 86400;
  for (let n = 0; n < filings; n++) { const author = STATES[n % 3]!; const body = appendedFiling(author, STATES[(n + 1) % 3]!, 'm', n, '2026-06-01'); state = replayed([JSON.parse(JSON.stringify({ author, time: time + n, type: 'request.file', body })) as AnyDomainEntry], state); }
  const fig = figuresOf(state) as any;
  return { ...state, figures: undefined, fig };
}
const which = process.argv[2]!;
let holder: any = build();
const full = used();
if (which.startsWith('fig.')) holder = { ...holder, fig: { ...holder.fig, [which.slice(4)]: undefined } };
else holder = { ...holder, [which]: undefined };
const without = used();
console.log(String(Math.round((full - without) / 20000)).padStart(6), which, holder.size);
