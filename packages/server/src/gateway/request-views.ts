import {
  evaluate, getIncident, isEvidenceKind, linksOf, mirrorLawProfiles, mirrorParties, openObligations, summarizeRequest, type Deadline, type OfficialRole, type RequestRecord, type State,
} from '@evenhand/core';
import { parseEntry } from '@evenhand/log';
import { readEntries, readEntriesAt } from '@evenhand/store';
import type { GatewayContext } from './context.ts';
import { ERASED } from './case-keys.ts';
import { auditDecryption } from './decryption-audit.ts';
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
    /** The incidents the request names (issue 17), for the list's column and filter. */
    incidents: linksOf(state.incidents, record.id).incidents,
  };
}

export type RequestRow = ReturnType<typeof requestRow>;

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

/**
 * Sealed members of the request's entries that this state can open (it is a recipient). Once
 * this state has erased the case (issue 17), each reads as the ERASED marker: shown, not
 * decrypted, so the audit records only what was opened.
 */
export async function openedMembers(context: GatewayContext, history: readonly { readonly index: number; readonly type: string }[], reader: { readonly official: string; readonly subject: { readonly type: 'request' | 'trade'; readonly id: string } }) {
  const out = await sealedMembers(context, history);
  await auditDecryption(context, reader.official, reader.subject, out.filter((item) => item.sealed !== ERASED).map((item) => item.index));
  return out;
}

/**
 * The words a search may find in a request's sealed members (request-search.ts `SealedText`):
 * the text of every string in what this state can open of them, not their member names, and
 * the entries that was. Undefined when there is none, or the case is erased here. The caller
 * audits what a match opened.
 */
export async function sealedSearchText(context: GatewayContext, record: RequestRecord): Promise<{ text: string; entries: number[] } | undefined> {
  const opened = (await sealedMembers(context, record.history)).filter((item) => item.sealed !== ERASED);
  if (opened.length === 0) return undefined;
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  for (const item of opened) collect(item.sealed);
  return { text: strings.join(' ').toLowerCase(), entries: opened.map((item) => item.index) };
}

/**
 * What this state can open of the sealed members of `history`'s entries, unaudited: from the
 * cache of opened members, else read (those not cached in one query, not one per entry) and
 * decrypted.
 */
async function sealedMembers(context: GatewayContext, history: readonly { readonly index: number; readonly type: string }[]) {
  const out: { index: number; type: string; sealed: unknown }[] = [];
  const erasures = context.caseKeys.erasures;
  const rows = await readEntriesAt(context.store.db, history.filter((item) => !context.openedSealed.has(item.index)).map((item) => item.index));
  for (const item of history) {
    let plaintext = context.openedSealed.get(item.index);
    if (!context.openedSealed.has(item.index)) {
      // Read apart only if the cache let go of it since the query (it is bounded).
      const row = rows.get(item.index) ?? (await readEntries(context.store.db, item.index, item.index + 1))[0];
      if (!row) continue;
      const entry = parseEntry(row.bytes);
      if (!entry.ok) continue;
      plaintext = await context.caseKeys.open(entry.value.body.sealed);
      // The marker is not cached: it is no plaintext, and costs one read of the key table. Nor
      // is a plaintext opened while a case key was destroyed: it may be that case's, which the
      // erasure has already forgotten here, and which would then be served for good.
      if (plaintext !== ERASED && context.caseKeys.erasures === erasures) context.openedSealed.set(item.index, plaintext);
    }
    if (plaintext !== undefined) out.push({ index: item.index, type: item.type, sealed: plaintext });
  }
  return out;
}

/** Everything the console shows of one request of this state, with what this official may do on it. */
export async function requestDetail(context: GatewayContext, record: RequestRecord, official: { readonly username: string; readonly role: OfficialRole }) {
  const role = official.role;
  const state = context.mirror.state;
  const now = context.now();
  const verifiedSize = context.mirror.verified?.checkpoint.size ?? 0;
  const summary = summarizeRequest(state, record);
  const open: Deadline[] = state.treaty ? openObligations(state.treaty, record, now) : [];
  const opened = await openedMembers(context, record.history, { official: official.username, subject: { type: 'request', id: record.id } });
  return {
    ...requestRow(state, context.party, record, now),
    subject: { pseudonym: record.pseudonym, nationalities: record.view.subject.nationalities, ageAtOffence: record.view.subject.ageAtOffence },
    purpose: record.view.purpose,
    offenceDate: record.view.offenceDate,
    facts: record.view.facts,
    decision: record.decision ?? null,
    consultations: record.consultations,
    prosecution: record.prosecution ?? null,
    /**
     * A request for data (issue 17): until when the data is preserved, the files it was answered
     * with (each opens at /api/evidence/:ref), and the requested party's 24/7 contact point.
     */
    data: isEvidenceKind(record.view.kind)
      ? { preservedUntil: record.preservedUntil ?? null, providedAt: record.providedAt ?? null, provided: record.provided ?? [], contactPoint: state.treaty?.parties.find((party) => party.id === record.view.requested)?.contactPoint ?? null }
      : null,
    timeline: withOfficials(record.history.map((item) => ({ index: item.index, type: item.type, time: item.time, author: item.author, includedInCheckpoint: item.index < verifiedSize })), opened),
    evaluation: summary.evaluation ?? null,
    mirror: mirrorVerdict(state, record),
    deadlines: open,
    sealed: opened,
    acts: actsFor(context, role, { kind: 'request', id: record.id }),
    /** Who erased the case's personal data (issue 17): once this state has, its sealed members read as erased. */
    erasure: { erasedBy: record.erasedBy ?? [], erasedHere: record.erasedBy?.includes(context.party) ?? false },
    links: publicLinks(state, record.id),
    proposals: await openProposals(context, { kinds: ['request.decide'], target: record.id }),
  };
}

/**
 * Each entry with the official who took it, where this state can open its sealed member (it
 * is one of the parties): the audit trail of issue 15. The public sees only the state.
 */
export function withOfficials<T extends { readonly index: number }>(rows: readonly T[], opened: readonly { readonly index: number; readonly sealed: unknown }[]): (T & { official?: string })[] {
  const officials = new Map<number, string>();
  for (const item of opened) {
    const official = (item.sealed as { official?: unknown } | undefined)?.official;
    if (typeof official === 'string') officials.set(item.index, official);
  }
  return rows.map((row) => (officials.has(row.index) ? { ...row, official: officials.get(row.index)! } : row));
}

/**
 * A request's public links (issue 17): the incidents it names, with their names and groups, the
 * earlier requests it relates to, and the later ones that relate to it.
 */
export function publicLinks(state: State, id: string) {
  const links = linksOf(state.incidents, id);
  return {
    incidents: links.incidents.map((incident) => {
      const record = getIncident(state.incidents, incident);
      return { id: incident, name: record?.name ?? incident, date: record?.date ?? null, group: record?.group ?? null };
    }),
    related: links.related,
    relatedBy: links.relatedBy,
  };
}
