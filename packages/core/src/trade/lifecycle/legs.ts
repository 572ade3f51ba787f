import { ok, type Result } from '../../result.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { TradeLegInput } from '../../request/entries.ts';
import { mapGet } from '../../request/persistent-map.ts';
import type { RequestRecord, State } from '../../request/state.ts';
import { lockOf, type TradeLeg } from './trade-state.ts';

/**
 * Turns the legs of a proposal into handovers (DESIGN.md "Trades": "a granted request, or a
 * voluntary transfer such as a pardoned prisoner"). A request leg must be a grant that is
 * conditional on reciprocity (Arrangement, conditional grants) and not held by a committed
 * trade; its requested party gives and its requesting party receives, unless the leg names
 * another destination (Ankara 2024: people released to Germany on requests of others,
 * reference/domain.md §6).
 */
export function resolveLegs(state: State, treaty: Treaty, inputs: readonly TradeLegInput[]): Result<TradeLeg[], ApplyError> {
  const isParty = (party: string) => treaty.parties.some((candidate) => candidate.id === party);
  const legs: TradeLeg[] = [];
  const requests = new Set<string>();
  const subjects = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    const field = `body.legs[${index}]`;
    const weight = input.weight ?? 1;
    if (input.kind === 'voluntary') {
      for (const side of ['from', 'to'] as const) {
        if (!isParty(input[side])) return fail('LEG_INVALID', `${field}.${side}: ${input[side]} is not a party of treaty ${treaty.id}`, `${field}.${side}`);
      }
      if (input.from === input.to) return fail('LEG_INVALID', `${field}.to: a transfer goes from one party to another, found ${input.from} twice`, `${field}.to`);
      legs.push({ kind: 'voluntary', from: input.from, to: input.to, subject: input.subject, reason: input.reason, weight });
    } else {
      if (requests.has(input.request)) return fail('LEG_INVALID', `${field}.request: request ${input.request} appears in two legs`, `${field}.request`);
      requests.add(input.request);
      const record = mapGet(state.requests, input.request);
      if (!record) return fail('REQUEST_UNKNOWN', `${field}.request: no request ${input.request}`, `${field}.request`);
      const eligible = checkEligible(state, record, field);
      if (!eligible.ok) return eligible;
      const to = input.destination ?? record.view.requesting;
      if (!isParty(to)) return fail('LEG_INVALID', `${field}.destination: ${to} is not a party of treaty ${treaty.id}`, `${field}.destination`);
      if (to === record.view.requested) return fail('LEG_INVALID', `${field}.destination: the person of request ${record.id} is held by ${to} already`, `${field}.destination`);
      legs.push({ kind: 'request', request: record.id, from: record.view.requested, to, subject: record.pseudonym, weight });
    }
    const subject = legs[legs.length - 1]!.subject;
    if (subjects.has(subject)) return fail('LEG_INVALID', `${field}: person ${subject} appears in two legs`, field);
    subjects.add(subject);
  }
  return ok(legs);
}

/** A request can be a leg while it is granted on reciprocity and no committed trade holds it. */
export function checkEligible(state: State, record: RequestRecord, field: string): Result<true, ApplyError> {
  if (record.status !== 'granted-conditional' || record.decision?.onReciprocity !== true) {
    const why = record.status === 'granted-conditional' ? 'granted on assurances only, not on reciprocity' : `in status ${record.status}`;
    return fail('LEG_INELIGIBLE', `${field}.request: request ${record.id} is ${why}; only a grant conditional on reciprocity can be a trade leg`, `${field}.request`);
  }
  const holder = lockOf(state.trades, record.id);
  if (holder !== undefined) return fail('REQUEST_LOCKED', `${field}.request: request ${record.id} is locked by committed trade ${holder}`, `${field}.request`);
  return ok(true);
}
