import {
  evaluate, listRequests, mirrorLawProfiles, mirrorParties, openObligations, summarizeRequest, type Deadline, type OfficialRole, type RequestRecord, type State,
} from '@evenhand/core';
import { parseEntry } from '@evenhand/log';
import { readEntries } from '@evenhand/store';
import type { GatewayContext } from './context.ts';
import { openSealed } from './sealed-members.ts';
import { actsFor } from './acts-view.ts';
import { openProposals } from './proposals.ts';

/** A request as this state's console lists it. */
export function requestRow(state: State, party: string, record: RequestRecord, now: number) {
  const { requesting, requested } = record.view;
  const next = state.treaty ? openObligations(state.treaty, record, now)[0] : undefined;
  return {
    id: record.id,
    requesting,
    requested,
    direction: requesting === party ? 'outgoing' : 'incoming',
    counterpart: requesting === party ? requested : requesting,
    kind: record.view.kind,
    offences: record.view.offences,
    filedAt: record.view.filedAt,
    status: record.status,
    nextDeadline: next ? { kind: next.kind, party: next.party, due: next.due, overdue: next.overdue } : null,
    // The times the reciprocity dashboard charts, so that it needs no detail per request.
    decidedAt: record.decision?.at ?? null,
    surrenderedAt: record.surrenderedAt ?? null,
    lastActivityAt: record.history.at(-1)?.time ?? record.view.filedAt,
  };
}

export type RequestRow = ReturnType<typeof requestRow>;

/** Requests this state is a party to, filtered and sorted as the console asks. */
export function listOwnRequests(state: State, party: string, now: number, query: { direction?: string; status?: string; sort?: string }): RequestRow[] {
  const rows = listRequests(state)
    .filter((record) => record.view.requesting === party || record.view.requested === party)
    .map((record) => requestRow(state, party, record, now))
    .filter((row) => !query.direction || query.direction === 'all' || row.direction === query.direction)
    .filter((row) => !query.status || row.status === query.status);
  if (query.sort === 'due') rows.sort((a, b) => (a.nextDeadline?.due ?? Infinity) - (b.nextDeadline?.due ?? Infinity) || a.id.localeCompare(b.id));
  else if (query.sort === 'id') rows.sort((a, b) => a.id.localeCompare(b.id));
  else if (query.sort === 'filed-desc') rows.reverse();
  return rows;
}

/**
 * The mirror verdict: the same request with the roles reversed, swapping the two parties
 * everywhere in the request and their law profiles in the treaty (core `mirrorParties`,
 * `mirrorLawProfiles`), so an official sees what the treaty would say if the other side had
 * asked. DESIGN.md "Symmetry is a checked property": `symmetric` says whether the outcome
 * mirrors back exactly.
 */
export function mirrorVerdict(state: State, record: RequestRecord) {
  const treaty = state.treaty;
  if (!treaty) return null;
  const { requesting: a, requested: b } = record.view;
  const reversed = evaluate(mirrorLawProfiles(treaty, a, b), mirrorParties(record.view, a, b), { invocations: mirrorParties(state.invocations, a, b) });
  const original = evaluate(treaty, record.view, state);
  const back = mirrorParties({ extraditable: reversed.extraditable, mandatoryRefusals: reversed.mandatoryRefusals, availableGrounds: reversed.availableGrounds }, a, b);
  const symmetric =
    back.extraditable === original.extraditable &&
    JSON.stringify([...back.mandatoryRefusals].sort()) === JSON.stringify([...original.mandatoryRefusals].sort()) &&
    JSON.stringify([...back.availableGrounds].sort()) === JSON.stringify([...original.availableGrounds].sort());
  return {
    requesting: reversed.requesting,
    requested: reversed.requested,
    extraditable: reversed.extraditable,
    mandatoryRefusals: reversed.mandatoryRefusals,
    availableGrounds: reversed.availableGrounds,
    symmetric,
  };
}

/** Sealed members of the request's entries that this state can open (it is a recipient). */
async function openedMembers(context: GatewayContext, record: RequestRecord) {
  const out: { index: number; type: string; sealed: unknown }[] = [];
  for (const item of record.history) {
    let plaintext = context.openedSealed.get(item.index);
    if (!context.openedSealed.has(item.index)) {
      const [row] = await readEntries(context.store.db, item.index, item.index + 1);
      if (!row) continue;
      const entry = parseEntry(row.bytes);
      if (!entry.ok) continue;
      plaintext = await openSealed(entry.value.body.sealed, context.party, context.sealKey);
      context.openedSealed.set(item.index, plaintext);
    }
    if (plaintext !== undefined) out.push({ index: item.index, type: item.type, sealed: plaintext });
  }
  return out;
}

/** Everything the console shows of one request of this state, with what this official may do on it. */
export async function requestDetail(context: GatewayContext, record: RequestRecord, role: OfficialRole) {
  const state = context.mirror.state;
  const now = context.now();
  const verifiedSize = context.mirror.verified?.checkpoint.size ?? 0;
  const summary = summarizeRequest(state, record);
  const open: Deadline[] = state.treaty ? openObligations(state.treaty, record, now) : [];
  return {
    ...requestRow(state, context.party, record, now),
    subject: { pseudonym: record.pseudonym, nationalities: record.view.subject.nationalities, ageAtOffence: record.view.subject.ageAtOffence },
    purpose: record.view.purpose,
    offenceDate: record.view.offenceDate,
    facts: record.view.facts,
    decision: record.decision ?? null,
    consultations: record.consultations,
    prosecution: record.prosecution ?? null,
    timeline: record.history.map((item) => ({ index: item.index, type: item.type, time: item.time, author: item.author, includedInCheckpoint: item.index < verifiedSize })),
    evaluation: summary.evaluation ?? null,
    mirror: mirrorVerdict(state, record),
    deadlines: open,
    sealed: await openedMembers(context, record),
    acts: actsFor(context, role, { kind: 'request', id: record.id }),
    proposals: await openProposals(context, (proposal) => proposal.kind === 'request.decide' && proposal.target === record.id),
  };
}
