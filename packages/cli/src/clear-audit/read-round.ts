/**
 * Reads what `evenhand clear --audit` needs from a log (issue 13): one `clearing.round` entry,
 * the state the log had at the round's `poolAt` (the pool is rebuilt from it), and the trades
 * the exchange proposed between then and the round. Tiles are read through the same bounded
 * window as verify and prove, and the entries checked against the checkpoint's root; with a
 * policy, the checkpoint's log signature and every entry's author signature are checked too.
 * The rest of a log's audit (witness quorum, author chains, times) is `evenhand verify`'s.
 */
import { apply, entryBodySchemas, EXCHANGE_AUTHOR, formatPath, genesis, type AnyDomainEntry, type EntryBody, type State, type TradeLegInput } from '@evenhand/core';
import {
  AuthorKeyring, bytesEqual, domainPart, logAndOwnWitness, parseCheckpoint, parseEntry, parseNote, TILE_WIDTH, TileWindow, toBase64, verifyCheckpoint, verifyEntrySignature,
  type Checkpoint, type Entry, type Policy,
} from '@evenhand/log';
import type { AsyncTileFetch } from '../verify/verify-log.ts';

/** Which round: its position among the log's clearing.round entries (1-based), its id, or the last. */
export type RoundSelector = { readonly ordinal: number } | { readonly id: string } | { readonly last: true };

export function parseRoundSelector(text: string): RoundSelector {
  if (text === 'last') return { last: true };
  if (/^[1-9][0-9]{0,15}$/.test(text)) return { ordinal: Number(text) };
  return { id: text };
}

export function describeSelector(selector: RoundSelector): string {
  return 'ordinal' in selector ? `round number ${selector.ordinal}` : 'id' in selector ? `round ${selector.id}` : 'the last round';
}

/** A failure to read: 2 when the input is unreadable or lacks what was asked, 1 when the log is invalid. */
export class AuditReadError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface ProposedInLog {
  readonly index: number;
  readonly trade: string;
  readonly legs: readonly TradeLegInput[];
}

export interface LoggedRound {
  readonly checkpoint: Checkpoint;
  /** Whether the log key's signatures were checked (a policy was given). */
  readonly signaturesChecked: boolean;
  readonly index: number;
  /** The round entry's time: who had left the treaty by then is not pooled (core clearingPool, issue 17). */
  readonly time: number;
  /** 1-based position among the log's clearing.round entries. */
  readonly ordinal: number;
  readonly body: EntryBody<'clearing.round'>;
  /** The state after the first `body.poolAt` entries; undefined for a round that records no figures. */
  readonly poolState?: State;
  /** The exchange's trade.propose entries from `poolAt` up to the round, in log order. */
  readonly proposals: readonly ProposedInLog[];
}

export async function readClearingRound(fetch: AsyncTileFetch, note: string, selector: RoundSelector, policy?: Policy): Promise<LoggedRound> {
  const checkpoint = readCheckpoint(note, policy);
  const window = new TileWindow(fetch, checkpoint.size);
  const root = await window.run((reader) => reader.root());
  if (!root.ok) throw new AuditReadError(`tiles: the log does not back its checkpoint of size ${checkpoint.size}: ${root.error.message}`, 2);
  if (!bytesEqual(root.value, checkpoint.root)) throw new AuditReadError(`tiles: they give the root ${toBase64(root.value)}, the checkpoint says ${toBase64(checkpoint.root)}`, 1);

  // Pass 1 finds the round (its poolAt says how far back the pool's state is); pass 2 replays up to it.
  const found = await findRound(window, checkpoint.size, selector);
  if (!found) throw new AuditReadError(`no clearing round matches ${describeSelector(selector)} in the log of ${checkpoint.size} entries`, 2);
  const { index, ordinal, body, time } = found;
  const logKey = policy?.logs.find((log) => log.key.name === checkpoint.origin)?.key;
  const keyring = logKey ? new AuthorKeyring(logKey.publicKey) : undefined;
  let state = genesis();
  let poolState: State | undefined;
  const proposals: ProposedInLog[] = [];
  // Through the round itself, so that apply's rules on it (its author, credits, figures all or none) hold too.
  await eachEntry(window, index + 1, (at, entry, bytes) => {
    if (at === body.poolAt) poolState = state;
    if (keyring) {
      const key = keyring.keyOf(entry.author, state, entry);
      const signed = key ? verifyEntrySignature(entry, key, bytes) : undefined;
      if (!signed?.ok) throw new AuditReadError(`entry ${at} (${entry.type} by ${entry.author}): ${signed ? signed.error.message : `no key is known for ${entry.author}`}`, 1);
    }
    const applied = apply(state, domainPart(entry) as AnyDomainEntry);
    if (!applied.ok) throw new AuditReadError(`entry ${at}: the state machine refuses ${entry.type} by ${entry.author}: ${applied.error.message} (the log does not replay; run evenhand verify)`, 1);
    state = applied.value;
    if (body.poolAt !== undefined && at >= body.poolAt && entry.author === EXCHANGE_AUTHOR && entry.type === 'trade.propose') {
      const proposal = entry.body as { trade: string; legs: TradeLegInput[] };
      proposals.push({ index: at, trade: proposal.trade, legs: proposal.legs });
    }
  });
  return { checkpoint, signaturesChecked: policy !== undefined, index, time, ordinal, body, ...(poolState ? { poolState } : {}), proposals };
}

function readCheckpoint(note: string, policy: Policy | undefined): Checkpoint {
  if (policy) {
    // The log's own signature only: which witnesses must cosign is verify's question.
    const verified = verifyCheckpoint(note, logAndOwnWitness(policy, null), null);
    if (!verified.ok) throw new AuditReadError(`checkpoint: ${verified.error.message}`, 1);
    return verified.value.checkpoint;
  }
  const parsed = parseNote(note);
  const checkpoint = parsed.ok ? parseCheckpoint(parsed.value.text) : parsed;
  if (!checkpoint.ok) throw new AuditReadError(`checkpoint: ${checkpoint.error.message}`, 2);
  return checkpoint.value;
}

/** Calls `visit` on entries 0..end-1 in order (end excluded), reading one bundle at a time. */
async function eachEntry(window: TileWindow, end: number, visit: (index: number, entry: Entry, bytes: Uint8Array) => boolean | void): Promise<void> {
  for (let n = 0; n * TILE_WIDTH < end; n++) {
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) throw new AuditReadError(`entry bundle ${n}: ${bundle.error.message}`, bundle.error.code === 'TILE_MISSING' ? 2 : 1);
    for (const [i, bytes] of bundle.value.entries()) {
      const index = n * TILE_WIDTH + i;
      if (index >= end) return;
      const entry = parseEntry(bytes);
      if (!entry.ok) throw new AuditReadError(`entry ${index}: ${entry.error.message}`, 1);
      if (visit(index, entry.value, bytes) === false) return;
    }
  }
}

async function findRound(window: TileWindow, size: number, selector: RoundSelector): Promise<{ index: number; time: number; ordinal: number; body: EntryBody<'clearing.round'> } | undefined> {
  let ordinal = 0;
  let found: { index: number; time: number; ordinal: number; body: EntryBody<'clearing.round'> } | undefined;
  await eachEntry(window, size, (index, entry) => {
    if (entry.type !== 'clearing.round' || entry.author !== EXCHANGE_AUTHOR) return true;
    ordinal += 1;
    const body = entryBodySchemas['clearing.round'].safeParse(entry.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new AuditReadError(`entry ${index} (clearing.round): ${formatPath(['body', ...(issue?.path ?? [])])}: ${issue?.message ?? 'invalid'}`, 1);
    }
    const matches = 'ordinal' in selector ? ordinal === selector.ordinal : 'id' in selector ? body.data.round === selector.id : true;
    if (matches) found = { index, time: entry.time, ordinal, body: body.data };
    return !(matches && !('last' in selector));
  });
  return found;
}
