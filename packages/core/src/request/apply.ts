import { err, ok, assertNever, type Result } from '../result.ts';
import { issuesFromZod, safeParseReporting } from '../treaty/load.ts';
import { fail, type ApplyError } from './apply-error.ts';
import { entryBodySchemas, isTradeEntryType, type AnyDomainEntry, type EntryBody, type EntryType, type IncidentEntryType, type OfficialEntryType, type TradeEntryType } from './entries.ts';
import { checkApprovals } from '../officials/approval.ts';
import { applyRegister, applyRevoke } from '../officials/registry.ts';
import { applyIncidentRegister } from '../incidents/register.ts';
import { mapGet, mapSet } from './persistent-map.ts';
import { SnapshotValueRefused } from './unread-value.ts';
import { requestRoles } from './roles.ts';
import type { RequestRecord, State } from './state.ts';
import type { Step, StepResult } from './step.ts';
import { applyPropose, applyRatify } from './treaty-adoption.ts';
import { applyDenounce } from './treaty-denunciation.ts';
import { noteDenunciationsInEffect } from '../treaty/denunciation.ts';
import { wholeSeconds } from '../time.ts';
import { keptWord } from './kept-words.ts';
import { applyFile } from './filing.ts';
import { acknowledge, arrest, askInfo, closeProposal, consent, consult, consultReply, extend, supplyInfo, withdraw } from './review.ts';
import { decide } from './decision.ts';
import { assure, confirmReceipt, scheduleSurrender, surrender } from './execution.ts';
import { milestone, outcome } from './prosecution.ts';
import { provide } from '../evidence/provide.ts';
import { applyTrade } from '../trade/lifecycle/apply-trade.ts';
import { applyClearingRound } from '../trade/lifecycle/clearing-round.ts';
import { unlessAfterAdoption, unlessParty } from './treaty-checks.ts';
import { lockOf } from '../trade/lifecycle/trade-state.ts';
import { applyErase } from '../erasure/erase.ts';
import { applySealPublish } from '../erasure/transport-keys.ts';
import { checkCaseKeys } from '../erasure/case-keys.ts';
import { notingEnd } from '../erasure/retention.ts';
import { FigureCell } from '../statistics/figure-cell.ts';

/**
 * The lifecycle reducer of the fold `state = entries.reduce(apply, genesis())` (`replay`
 * below unwraps each Result), run identically by
 * the exchange and every gateway (DESIGN.md "Topology"). It validates the entry's body
 * against its schema, then the transition against the treaty and the request's history,
 * and returns the new state or a typed error. It never throws on bad input, and a failed
 * apply returns no state at all, so the caller's state is unchanged. The new state shares
 * everything it did not change with the old one (persistent-map.ts), and the old state
 * remains valid.
 */
export function apply(state: State, entry: AnyDomainEntry): Result<State, ApplyError> {
  return applyReading(state, entry, true);
}

/**
 * `apply` without the approvers' signatures, for checking an act before it is signed: whether
 * it would apply once two registered officials sign it (acts/act-check.ts). Never used on a log.
 */
export function applyUnsigned(state: State, entry: AnyDomainEntry): Result<State, ApplyError> {
  return applyReading(state, entry, false);
}

/**
 * `applyEntry`, with a record of a restored state that does not read at its first reading
 * (unread-value.ts `SnapshotValueRefused`) returned as an error: the entry cannot be checked
 * against that record, and `apply` never throws.
 */
function applyReading(state: State, entry: AnyDomainEntry, checkSignatures: boolean): Result<State, ApplyError> {
  try {
    return applyEntry(state, entry, checkSignatures);
  } catch (error) {
    if (!(error instanceof SnapshotValueRefused)) throw error;
    return err({ code: 'SNAPSHOT_VALUE_REFUSED', message: `this state was restored from a snapshot holding a record that the entry reads and that does not read (${error.message}); the service replays its log at its next start` });
  }
}

/**
 * Every entry that applies may be the first dated at or after a denunciation's effective
 * instant: the state records it, since the witness quorum changes at that point of the log
 * (treaty/denunciation.ts, issue 17).
 */
function applyEntry(state: State, entry: AnyDomainEntry, checkSignatures: boolean): Result<State, ApplyError> {
  // The transitions' copies of `state` would share its cell: they get one that refuses to be
  // read instead, so that no half-applied records are ever counted as `state`'s figures.
  const applied = applyChecked({ ...state, figures: FigureCell.inTransition }, entry, checkSignatures);
  if (!applied.ok) return applied;
  const next = noteDenunciationsInEffect(applied.value, entry.time, state.size);
  // The views' index follows what this entry changed, when it is read (statistics/figure-cell.ts).
  return ok({ ...next, figures: FigureCell.after(state) });
}

function applyChecked(state: State, given: AnyDomainEntry, checkSignatures: boolean): Result<State, ApplyError> {
  const shape = checkEnvelope(given);
  if (!shape.ok) return shape;
  // Every instant a record keeps comes from an entry's time: a caller's computed instant (a division) is a boxed number even
  // when whole, and would box those fields in every record of their shape (time.ts `wholeSeconds`). A parsed entry's is not.
  // Its type goes into the history item the act adds: the code's copy, not the parser's (kept-words.ts).
  const entry = { ...given, time: wholeSeconds(given.time), type: keptWord(given.type) };
  const type = entry.type;
  // Every body is validated, replay included: a log stores bodies as their authors signed
  // them, without the schema's defaults, and zod costs well under the replay goal (see
  // bench/apply.bench.ts), so there is no unvalidated fast path to get wrong.
  const parsed = safeParseReporting(entryBodySchemas[type], entry.body);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues, ['body']);
    return fail('BODY_INVALID', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues[0]?.path);
  }
  const body: unknown = parsed.data;
  if (checkSignatures) {
    // The signatures cover the body as the author wrote it, not the schema's defaults.
    const approved = checkApprovals(state, entry.author, type, entry.body as Record<string, unknown>);
    if (!approved.ok) return approved;
  }

  if (type === 'treaty.propose') return applyPropose(state, entry.author, entry.time, body as EntryBody<'treaty.propose'>);
  if (type === 'treaty.ratify') return applyRatify(state, entry.author, entry.time, body as EntryBody<'treaty.ratify'>);

  const treaty = state.treaty;
  if (!treaty) return fail('TREATY_NOT_ADOPTED', `type: ${type} needs a treaty in force; propose one and have every party ratify it first`, 'type');
  // Trades have their own authors (the exchange may propose and abort) and records.
  if (isTradeEntryType(type)) return applyTrade(state, treaty, { author: entry.author, time: entry.time, type }, body);
  if (type === 'clearing.round') return applyClearingRound(state, treaty, entry.author, entry.time, body as EntryBody<'clearing.round'>);
  const outside = unlessParty(treaty, entry.author) ?? unlessAfterAdoption(state, entry.time);
  if (outside) return outside;
  if (type === 'treaty.denounce') return applyDenounce(state, treaty, entry.author, entry.time, body as EntryBody<'treaty.denounce'>);
  if (type === 'official.register') return applyRegister(state, entry.author, entry.time, body as EntryBody<'official.register'>);
  if (type === 'official.revoke') return applyRevoke(state, entry.author, entry.time, body as EntryBody<'official.revoke'>);
  if (type === 'incident.register') return applyIncidentRegister(state, treaty, entry.author, entry.time, body as EntryBody<'incident.register'>);
  if (type === 'seal.publish') return applySealPublish(state, entry.author, entry.time, body as EntryBody<'seal.publish'>);
  if (type === 'request.file') {
    const file = body as EntryBody<'request.file'>;
    // The case key's wraps (issue 17) are checked before the filing itself, against the transport keys in force.
    const wraps = checkCaseKeys(state, entry.author, file.requested, file.caseKeys);
    return wraps.ok ? applyFile(state, treaty, entry.author, entry.time, file) : wraps;
  }

  const id = (body as { request: string }).request;
  const record = mapGet(state.requests, id);
  if (!record) return fail('REQUEST_UNKNOWN', `body.request: no request ${id}`, 'body.request');
  // Either party erases its own copy of a case, so no role applies (erasure/erase.ts).
  if (type === 'request.erase') return applyErase(state, treaty, record, entry.author, entry.time);
  const role = requestRoles[type];
  const owner = role === 'requesting' ? record.view.requesting : record.view.requested;
  if (entry.author !== owner) {
    return fail(
      role === 'requesting' ? 'NOT_REQUESTING_PARTY' : 'NOT_REQUESTED_PARTY',
      `author: only the ${role} party of request ${id} (${owner}) may enter ${type}, found ${entry.author}`,
      'author',
    );
  }
  const holder = LOCKED_OUT.has(type) ? lockOf(state.trades, id) : undefined;
  if (holder !== undefined) {
    return fail('REQUEST_LOCKED', `body.request: request ${id} is a leg of committed trade ${holder}; it cannot be ${LOCKED_OUT.get(type)} outside the trade until the trade completes or aborts`, 'body.request');
  }
  const last = record.history[record.history.length - 1];
  if (last && entry.time < last.time) return fail('TIME_REVERSED', `time: ${entry.time} is before the last entry of request ${id} (${last.time})`, 'time');

  const step = { state, treaty, record, author: entry.author, time: entry.time, body } as Step<never>;
  const result = transition(type, step);
  if (!result.ok) return result;
  const { patch, invocation } = result.value;
  const updated: RequestRecord = notingEnd(record, { ...record, ...patch, history: [...record.history, { index: state.size, type, time: entry.time, author: entry.author }] }, entry.time);
  let invocations = state.invocations;
  if (invocation && !invocations.some((use) => use.by === invocation.by && use.against === invocation.against && use.ground === invocation.ground)) {
    invocations = [...invocations, invocation];
  }
  return ok({ ...state, requests: mapSet(state.requests, id, updated), invocations, size: state.size + 1 });
}

/**
 * Entries a commit locks out (DESIGN.md "Trades" 3): the legs of a committed trade move
 * only through the trade, so their requests cannot be withdrawn, decided again, or
 * surrendered outside it. Each maps to the words of the refusal.
 */
const LOCKED_OUT: ReadonlyMap<EntryType, string> = new Map([
  ['request.withdraw', 'withdrawn'],
  ['request.decide', 'decided again'],
  ['request.schedule-surrender', 'scheduled for surrender'],
  ['request.surrender', 'surrendered'],
  ['request.confirm-receipt', 'confirmed received'],
]);

/** The latest entry time apply accepts: 9999-12-31T23:59:59Z. */
const MAX_ENTRY_TIME = 253_402_300_799;

function checkEnvelope(entry: AnyDomainEntry): Result<true, ApplyError> {
  const raw = entry as unknown as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object') return fail('ENTRY_INVALID', '(entry): expected an object', '(entry)');
  if (typeof raw.type !== 'string' || !Object.hasOwn(entryBodySchemas, raw.type)) {
    return fail('TYPE_UNKNOWN', `type: unknown entry type ${JSON.stringify(raw.type)}`, 'type');
  }
  if (typeof raw.author !== 'string' || raw.author.length === 0) return fail('ENTRY_INVALID', 'author: expected a party id', 'author');
  // Up to the last second of 9999: bodies carry dates as YYYY-MM-DD, and every instant
  // derived from an entry time (plus treaty periods) must stay within ECMAScript's Date
  // range, so that messages and reports can print it (isoTime) instead of throwing.
  if (typeof raw.time !== 'number' || !Number.isSafeInteger(raw.time) || raw.time < 0 || raw.time > MAX_ENTRY_TIME) {
    return fail('ENTRY_INVALID', `time: expected whole Unix seconds from 0 to ${MAX_ENTRY_TIME} (9999-12-31T23:59:59Z), found ${JSON.stringify(raw.time)}`, 'time');
  }
  return ok(true);
}

function as<T extends EntryType>(step: Step<never>): Step<T> {
  return step as unknown as Step<T>;
}

type RequestEntryType = Exclude<EntryType, 'treaty.propose' | 'treaty.ratify' | 'treaty.denounce' | 'request.file' | 'request.erase' | 'seal.publish' | 'clearing.round' | OfficialEntryType | IncidentEntryType | TradeEntryType>;

function transition(type: RequestEntryType, step: Step<never>): StepResult {
  // Each handler reads only the body of its own type; the cast is the dispatch. (A generic
  // function, not a closure per call: under tsx each closure made costs a naming call.)
  switch (type) {
    case 'request.acknowledge':
      return acknowledge(as(step));
    case 'request.arrest':
      return arrest(as(step));
    case 'request.ask-info':
      return askInfo(as(step));
    case 'request.supply-info':
      return supplyInfo(as(step));
    case 'request.consent':
      return consent(as(step));
    case 'request.extend':
      return extend(as(step));
    case 'request.consult':
      return consult(as(step));
    case 'request.consult-reply':
      return consultReply(as(step));
    case 'request.decide':
      return decide(as(step));
    case 'request.assure':
      return assure(as(step));
    case 'request.schedule-surrender':
      return scheduleSurrender(as(step));
    case 'request.surrender':
      return surrender(as(step));
    case 'request.confirm-receipt':
      return confirmReceipt(as(step));
    case 'request.provide':
      return provide(as(step));
    case 'request.withdraw':
      return withdraw(as(step));
    case 'request.proposal-closed':
      return closeProposal(as(step));
    case 'prosecution.milestone':
      return milestone(as(step));
    case 'prosecution.outcome':
      return outcome(as(step));
    default:
      return assertNever(type, 'entry type');
  }
}

/** Replays entries from genesis or a given state; stops at the first refused entry, naming its index. */
export function replay(entries: readonly AnyDomainEntry[], from: State): Result<State, ApplyError & { readonly index: number }> {
  let state = from;
  for (let index = 0; index < entries.length; index += 1) {
    const result = apply(state, entries[index] as AnyDomainEntry);
    if (!result.ok) return { ok: false, error: { ...result.error, index } };
    state = result.value;
  }
  return ok(state);
}
