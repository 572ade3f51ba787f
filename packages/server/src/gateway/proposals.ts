import { randomBytes } from 'node:crypto';
import { checkAct, entryBodySchemas, getRequest, getTrade, isoTime, STAND_IN_APPROVERS, type AnyDomainEntry, type ApplyError, type State } from '@evenhand/core';
import { createProposal, findProposal, listOpenProposals, markProposalClosed, markProposalConfirmed, type ActProposal, type OpenProposalFilter, type ProposalEnding, type ProposalKind, type SignedProposal } from '@evenhand/store';
import type { Official } from '../auth/roles.ts';
import { approvalsRequired, signApproval } from './approvals.ts';
import { relayedField, ServiceError, type ErrorCode } from '../errors.ts';
import type { GatewayContext } from './context.ts';
import { gatherSealed } from './sealed-members.ts';
import { bodyInvalid, requireReasons, withOfficial } from './submit-entry.ts';

/**
 * Two-person acts (DESIGN.md "Decisions need two approvers"; issue 11): a decision, a trade
 * signature and a trade commit bind the state, so one approver prepares the act, which signs
 * nothing, and a different approver confirms it, which signs the entry naming both.
 *
 * A proposal is checked when it is made by the same `apply` the confirmation will meet
 * (core checkAct), so one that could never be confirmed is refused at once with the rule
 * and its article. Waiting periods are the one exception: a refusal inside a consultation
 * window is accepted with the instant from which it can be confirmed. Its proposer may
 * withdraw it, another approver may reject it with reasons, and one the case's history has
 * overtaken says why and can be replaced. For decisions, each of these endings is recorded in
 * the log (request.proposal-closed), sealed to both parties, so both states' officials see it.
 */

/**
 * The act's target field in the entry body: the request of a decision, the trade of a trade
 * act, the official a revocation removes. A treaty act or a registration names what it acts on
 * in its parameters; its target is only the proposal's label.
 */
function refOf(kind: ProposalKind, target: string): Record<string, unknown> {
  if (kind === 'request.decide') return { request: target };
  if (kind.startsWith('trade.')) return { trade: target };
  return kind === 'official.revoke' ? { official: target } : {};
}

/** The parties the act's sealed part is encrypted to: the request's two, or the trade's; treaty and official acts seal nothing. */
export function partiesOf(state: State, kind: ProposalKind, target: string): string[] {
  if (kind === 'request.decide') {
    const record = getRequest(state, target);
    return record ? [record.view.requesting, record.view.requested] : [];
  }
  return kind.startsWith('trade.') ? [...(getTrade(state.trades, target)?.parties ?? [])] : [];
}

/**
 * The body the confirmation will sign, with stand-ins for the two approvers, who are not both
 * known yet. The official's own text is: a refusal without reasons is refused now, not later.
 */
function draftBody(kind: ProposalKind, target: string, params: Record<string, unknown>): Record<string, unknown> {
  return gatherSealed(kind, { ...params, ...refOf(kind, target), approvers: [...STAND_IN_APPROVERS] });
}

/** Checks the shape of the act's body now (schema errors name the field). */
function checkShape(kind: ProposalKind, target: string, params: Record<string, unknown>): void {
  const parsed = entryBodySchemas[kind].safeParse(draftBody(kind, target, params), { reportInput: true });
  if (!parsed.success) throw bodyInvalid(parsed.error);
}

/** Whether the act would apply at `time`, and from when; the core's refusal otherwise. */
function check(context: GatewayContext, kind: ProposalKind, target: string, params: Record<string, unknown>, time: number) {
  const entry = { author: context.party, time, type: kind, body: draftBody(kind, target, params) } as AnyDomainEntry;
  return checkAct(context.mirror.state, entry);
}

function refusal(error: ApplyError): ServiceError {
  return new ServiceError(error.code as ErrorCode, error.message, relayedField(error.field));
}

/** The official's choices in a proposal, without the `at` it was proposed with: the act is checked at the time it is checked. */
function choicesOf(proposal: ActProposal): Record<string, unknown> {
  const { at: _at, ...choices } = proposal.body as Record<string, unknown> & { at?: number };
  return choices;
}

/** A proposal as the console shows it: still confirmable, or overtaken by the history and why. */
export function proposalView(context: GatewayContext, proposal: ActProposal) {
  const params = choicesOf(proposal);
  // Checked at the present: a waiting period still running answers with the instant it ends
  // (checkAct), which may be earlier than the one stored, once the requesting party replies.
  const checked = check(context, proposal.kind, proposal.target, params, context.now());
  return {
    id: proposal.id,
    kind: proposal.kind,
    target: proposal.target,
    // The request id, for decisions (the console's older name for the target), or the trade's.
    ...(proposal.kind === 'request.decide' ? { request: proposal.target } : proposal.kind.startsWith('trade.') ? { trade: proposal.target } : {}),
    proposer: proposal.proposer,
    createdAt: proposal.createdAt,
    confirmableFrom: checked.ok ? (checked.value.from ?? null) : proposal.confirmableFrom,
    overtaken: checked.ok ? null : { code: checked.error.code, message: checked.error.message },
    ...params,
  };
}

/** The open proposals on one target (a request or a trade) of the kinds named: at most one per kind and target is open. */
export async function openProposals(context: GatewayContext, filter: OpenProposalFilter & { readonly target: string }) {
  const open = await listOpenProposals(context.store.db, context.party, filter);
  return open.map((proposal) => proposalView(context, proposal));
}

/**
 * Prepares a two-person act. One open proposal per act and target: another one is refused
 * unless the open one was overtaken, which is then closed as such.
 */
export async function propose(context: GatewayContext, input: { kind: ProposalKind; target: string; proposer: Official; params: Record<string, unknown>; time: number }) {
  const { kind, target, params, time } = input;
  const proposer = input.proposer.username;
  checkShape(kind, target, params);
  requireReasons(kind, gatherSealed(kind, params));
  const checked = check(context, kind, target, params, time);
  if (!checked.ok) throw refusal(checked.error);
  const signed = approvalsRequired(context.mirror.state, context.party) ? await signedProposal(context, kind, target, params, input.proposer) : null;
  return context.submitter.exclusive(async () => {
    for (const open of await listOpenProposals(context.store.db, context.party, { kinds: [kind], target })) {
      const view = proposalView(context, open);
      if (!view.overtaken) throw new ServiceError('PROPOSAL_OPEN', `proposal ${open.id} by ${open.proposer} on ${target} is still open: its proposer may withdraw it, or another approver confirm or reject it`);
      await close(context, open, proposer, 'overtaken', view.overtaken.message, time);
    }
    const proposal = {
      id: `proposal-${randomBytes(9).toString('base64url')}`,
      party: context.party,
      kind,
      target,
      proposer,
      body: params,
      createdAt: context.now(),
      confirmableFrom: checked.value.from ?? null,
      signed,
    };
    await createProposal(context.store.db, proposal);
    return proposalView(context, { ...proposal, confirmedBy: null, entryIndex: null, closed: null });
  });
}

/**
 * The body both approvers will sign, fixed now (issue 13): sealed once, so that the ciphertext
 * the proposer signs is the one the log will hold, and without `official` in the sealed part,
 * since the entry names both approvers publicly. A trade signature also carries the proposer's
 * signature over the commit that the last signature brings, which the confirmation submits.
 */
async function signedProposal(context: GatewayContext, kind: ProposalKind, target: string, params: Record<string, unknown>, proposer: Official): Promise<SignedProposal> {
  const state = context.mirror.state;
  const plain = requireReasons(kind, gatherSealed(kind, { ...params, ...refOf(kind, target) }));
  const recipients = [...partiesOf(state, kind, target), ...context.sealObservers];
  const body = await context.caseKeys.sealEntry(kind, plain, recipients);
  const approval = signApproval(state, proposer, kind, body);
  if (kind !== 'trade.sign') return { body, approval };
  const commit = { trade: target };
  return { body, approval, commit: { body: commit, approval: signApproval(state, proposer, 'trade.commit', commit) } };
}

/** The entry body of a signed proposal, with both approvers and their signatures. */
function approvedBody(context: GatewayContext, type: ProposalKind, signed: { body: Record<string, unknown>; approval: string }, proposer: string, confirmer: Official): Record<string, unknown> {
  const second = signApproval(context.mirror.state, confirmer, type, signed.body);
  return { ...signed.body, approvers: [proposer, confirmer.username], approvals: [signed.approval, second] };
}

async function openProposal(context: GatewayContext, id: string): Promise<ActProposal> {
  const proposal = await findProposal(context.store.db, context.party, id);
  if (!proposal) throw new ServiceError('NOT_FOUND', `no proposal ${id} of ${context.party}`);
  if (proposal.confirmedBy !== null) throw new ServiceError('PROPOSAL_CONFIRMED', `proposal ${id} was confirmed by ${proposal.confirmedBy} already`);
  if (proposal.closed) throw new ServiceError('PROPOSAL_CLOSED', `proposal ${id} was ${proposal.closed.outcome} by ${proposal.closed.by} at ${isoTime(proposal.closed.at)}`);
  return proposal;
}

/**
 * The second approver signs the act. Checked, submitted and marked in one turn of the
 * submission queue, so two confirmations of the same proposal cannot both submit. The last
 * signature of a trade also commits it, with the same two approvers.
 */
export async function confirm(context: GatewayContext, id: string, official: Official): Promise<{ index: number; commitIndex?: number }> {
  const confirmer = official.username;
  return context.submitter.exclusive(async () => {
    const proposal = await openProposal(context, id);
    if (proposal.proposer === confirmer) throw new ServiceError('SAME_APPROVER', `the two-person rule: ${confirmer} proposed this act, so another approver must confirm it`);
    const params = proposal.body as Record<string, unknown>;
    const time = context.now();
    // Checked again now, not against the date stored at proposal time: a reply from the
    // requesting party ends the consultation early (UNTOC art. 16(16)), and the core knows it.
    const checked = check(context, proposal.kind, proposal.target, choicesOf(proposal), time);
    if (!checked.ok) throw refusal(checked.error);
    const from = checked.value.from;
    if (from !== undefined && time < from) {
      throw new ServiceError('CONSULTATION_PENDING', `proposal ${id} can be confirmed from ${isoTime(from)}, when the consultation period ends (or earlier, once the requesting party replies)`);
    }
    const approvers = [proposal.proposer, confirmer];
    const state = context.mirror.state;
    const signed = proposal.signed;
    if (!signed && approvalsRequired(state, context.party)) {
      throw new ServiceError('APPROVALS_REQUIRED', `proposal ${id} was made before ${context.party} registered its officials in the log, so it carries no signature of ${proposal.proposer}: withdraw it and propose again`);
    }
    const recipients = [...partiesOf(state, proposal.kind, proposal.target), ...context.sealObservers];
    // The confirming approver takes the act (both approvers are named in it, publicly); once
    // the state has registered its officials, both sign it (issue 13).
    const body = signed
      ? approvedBody(context, proposal.kind, signed, proposal.proposer, official)
      : await context.caseKeys.sealEntry(proposal.kind, withOfficial(proposal.kind, requireReasons(proposal.kind, gatherSealed(proposal.kind, { ...params, ...refOf(proposal.kind, proposal.target), approvers })), confirmer), recipients);
    const submitted = await context.submitter.submitNow({ time, type: proposal.kind, body, official: confirmer });
    await markProposalConfirmed(context.store.db, context.party, id, confirmer, submitted.index);
    const trade = proposal.kind === 'trade.sign' ? getTrade(state.trades, proposal.target) : undefined;
    const last = trade !== undefined && trade.parties.every((party) => party === context.party || trade.signedBy.includes(party));
    if (!last) return { index: submitted.index };
    const commit = signed?.commit
      ? approvedBody(context, 'trade.commit', signed.commit, proposal.proposer, official)
      : await context.caseKeys.sealEntry('trade.commit', withOfficial('trade.commit', { trade: proposal.target, approvers }, confirmer), recipients);
    const committed = await context.submitter.submitNow({ time, type: 'trade.commit', body: commit, official: confirmer });
    return { index: submitted.index, commitIndex: committed.index };
  });
}

/** The proposer withdraws its proposal, or another approver rejects it with reasons. */
export async function end(context: GatewayContext, id: string, official: string, outcome: Exclude<ProposalEnding, 'overtaken'>, reasons: string | undefined): Promise<{ index?: number }> {
  return context.submitter.exclusive(async () => {
    const proposal = await openProposal(context, id);
    if (outcome === 'withdrawn' && proposal.proposer !== official) throw new ServiceError('NOT_PROPOSER', `only ${proposal.proposer}, who proposed it, may withdraw proposal ${id}; another approver may reject it`);
    if (outcome === 'rejected' && proposal.proposer === official) throw new ServiceError('SAME_APPROVER', `${official} proposed this act: withdraw it rather than reject it`);
    if (outcome === 'rejected' && !reasons?.trim()) throw new ServiceError('BAD_REQUEST', 'body.reasons: a rejection gives its reasons to the proposer and to the record', 'body.reasons');
    return close(context, proposal, official, outcome, reasons, context.now());
  });
}

/** Closes a proposal; a decision's closing is recorded in the log for both parties (inside the submission queue). */
async function close(context: GatewayContext, proposal: ActProposal, official: string, outcome: ProposalEnding, reasons: string | undefined, time: number): Promise<{ index?: number }> {
  let index: number | undefined;
  if (proposal.kind === 'request.decide') {
    const body = proposal.body as { decision?: string; ground?: string };
    const decision = `${body.decision ?? 'decision'}${body.ground ? ` on ${body.ground}` : ''}`;
    const entry = gatherSealed('request.proposal-closed', { request: proposal.target, proposal: proposal.id, outcome, official, decision, ...(reasons?.trim() ? { reasons: reasons.trim() } : {}) });
    const recipients = [...partiesOf(context.mirror.state, proposal.kind, proposal.target), ...context.sealObservers];
    index = (await context.submitter.submitNow({ time, type: 'request.proposal-closed', body: await context.caseKeys.sealEntry('request.proposal-closed', entry, recipients), official })).index;
  }
  await markProposalClosed(context.store.db, context.party, proposal.id, official, outcome, time);
  return index === undefined ? {} : { index };
}
