import { ok, type Result } from '../../result.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { EntryBody } from '../../request/entries.ts';
import type { State } from '../../request/state.ts';
import { EXCHANGE_AUTHOR } from './exchange-author.ts';

/**
 * A clearing round's record (issue 6, reference trade-matching.md §2): only the exchange
 * runs rounds; every credit belongs to a treaty party; and the credits sum to zero, since
 * each round moves credit between parties and creates none.
 */
export function applyClearingRound(state: State, treaty: Treaty, author: string, time: number, body: EntryBody<'clearing.round'>): Result<State, ApplyError> {
  if (author !== EXCHANGE_AUTHOR) return fail('AUTHOR_NOT_A_PARTY', `author: only the exchange records clearing rounds, found ${author}`, 'author');
  const parties = new Set(treaty.parties.map((party) => party.id));
  for (const party of Object.keys(body.credits)) {
    if (!parties.has(party)) return fail('BODY_INVALID', `body.credits.${party}: not a party of treaty ${treaty.id}`, `body.credits.${party}`);
  }
  const sum = Object.values(body.credits).reduce((total, credit) => total + credit, 0);
  if (sum !== 0) return fail('CREDITS_UNBALANCED', `body.credits: credits must sum to zero, they sum to ${sum} millionths`, 'body.credits');
  const figures = figuresProblem(state, body);
  if (figures) return figures;
  return ok({ ...state, clearingCredits: body.credits, lastClearingRoundAt: time, size: state.size + 1 });
}

/** The figures that make a round re-checkable (issue 13). */
const FIGURES = ['poolAt', 'poolDigest', 'objective', 'bound', 'gap', 'solver'] as const;

/**
 * All or none, so that no round can state half a certificate; and the pool was built from a
 * state the log had reached, since the audit replays the log up to `poolAt`. Whether the
 * figures are right is the audit's to say (trade/clearing/round-audit.ts), not apply's: it
 * needs the solver.
 */
function figuresProblem(state: State, body: EntryBody<'clearing.round'>): Result<never, ApplyError> | undefined {
  const missing = FIGURES.filter((field) => body[field] === undefined);
  if (missing.length > 0 && missing.length < FIGURES.length) {
    return fail('BODY_INVALID', `body.${missing[0]}: a round that records figures records all of ${FIGURES.join(', ')}; missing ${missing.join(', ')}`, `body.${missing[0]}`);
  }
  if (body.poolAt !== undefined && body.poolAt > state.size) {
    return fail('BODY_INVALID', `body.poolAt: the pool cannot be built from the log at size ${body.poolAt}, beyond the ${state.size} entries before this round`, 'body.poolAt');
  }
  return undefined;
}

/** Credits in persons (for the solver) from the millionths recorded in the log. */
export function creditsInPersons(millionths: Readonly<Record<string, number>> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(millionths ?? {}).map(([party, credit]) => [party, credit / 1e6]));
}

/** Millionths for the log from a plan's credits, rounding so that they still sum to zero exactly. */
export function creditsInMillionths(credits: Readonly<Record<string, number>>): Record<string, number> {
  const parties = Object.keys(credits).sort();
  const out: Record<string, number> = Object.fromEntries(parties.map((party) => [party, Math.round(credits[party]! * 1e6)]));
  const residue = Object.values(out).reduce((total, credit) => total + credit, 0);
  // Rounding can leave a few millionths over; they go to the party with the largest credit.
  if (residue !== 0 && parties.length > 0) {
    const largest = parties.reduce((best, party) => (Math.abs(out[party]!) > Math.abs(out[best]!) ? party : best), parties[0]!);
    out[largest] = out[largest]! - residue;
  }
  return out;
}
