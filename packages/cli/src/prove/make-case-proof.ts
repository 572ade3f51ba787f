import { apply, genesis, type State } from '@evenhand/core';
import {
  archivedCheckpointAfter, CaseIndex, domainPart, parseCheckpoint, parseEntry, parseNote, parsePolicy, proveCase, quorumTreaty, TILE_WIDTH, TileWindow, treatyPolicy, verifyCheckpoint, witnessedTime,
  type CaseEntrySource, type CaseProof, type CaseProveError, type Policy,
} from '@evenhand/log';
import type { AsyncTileFetch } from '../verify/verify-log.ts';

export interface ProveInput {
  readonly fetch: AsyncTileFetch;
  /** The latest checkpoint note the source serves. */
  readonly note: string;
  /** tlog-policy text with the log key (the treaty supplies the witnesses). */
  readonly policy: string;
  readonly subject: CaseProof['subject'];
  /** Prove that this obligation of the request went unanswered (a deadline kind: acknowledge, decide…). */
  readonly unanswered?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export class ProveError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** A source that could not be read (a tile, a bundle, a range) is exit 2, as an unreadable input; anything about the case is 1. */
const UNREADABLE: ReadonlySet<string> = new Set(['TILE_MISSING', 'TILE_MALFORMED', 'BUNDLE_MALFORMED', 'PROOF_INDEX_OUT_OF_RANGE', 'CASE_PROOF_MALFORMED']);

function exitCodeOf(error: CaseProveError): 1 | 2 {
  return UNREADABLE.has(error.code) && !error.message.startsWith('the bundle made does not check') ? 2 : 1;
}

/** The log's tiles as a prover's source: entries from the entry bundles, range proofs from the hash tiles. */
function tileSource(window: TileWindow): CaseEntrySource {
  return {
    async entries(from, to) {
      const out: Uint8Array[] = [];
      for (let n = Math.floor(from / TILE_WIDTH); n * TILE_WIDTH < to; n++) {
        const bundle = await window.run((reader) => reader.entries(n));
        if (!bundle.ok) return bundle;
        bundle.value.forEach((bytes, i) => {
          const index = n * TILE_WIDTH + i;
          if (index >= from && index < to) out.push(bytes);
        });
      }
      return { ok: true, value: out };
    },
    rangeProof: (from, to, size) => window.run((reader) => reader.rangeProof(from, to, size)),
  };
}

/**
 * `evenhand prove`: reads the whole log once, as `verify` does (an auditor's tool, off any
 * request path), replaying it into the state and the CaseIndex, then hands both to the one
 * prover the services use too (log `proveCase`), which reads the case's entries by index.
 */
export async function makeCaseProof(input: ProveInput): Promise<CaseProof> {
  const policy = parsePolicy(input.policy);
  if (!policy.ok) throw new ProveError(`policy: ${policy.error.message}`, 2);
  const note = parseNote(input.note);
  const head = note.ok ? parseCheckpoint(note.value.text) : undefined;
  if (!head?.ok) throw new ProveError('the log serves no readable checkpoint', 2);
  const size = head.value.size;
  const window = new TileWindow(input.fetch, size);
  const cases = new CaseIndex();
  let state: State = genesis();
  for (let n = 0; n * TILE_WIDTH < size; n++) {
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) throw new ProveError(`entry bundle ${n}: ${bundle.error.message}`, 2);
    for (const [i, bytes] of bundle.value.entries()) {
      const index = n * TILE_WIDTH + i;
      const entry = parseEntry(bytes);
      if (!entry.ok) throw new ProveError(`entry ${index}: ${entry.error.message}`, 1);
      // At its own index, so that histories name log indexes even past an entry that does not apply.
      const applied = apply({ ...state, size: index }, domainPart(entry.value) as never);
      if (!applied.ok) continue;
      state = applied.value;
      cases.observe(index, entry.value, state);
    }
    input.onProgress?.(Math.min(size, (n + 1) * TILE_WIDTH), size);
  }

  let unanswered: Parameters<typeof proveCase>[0]['unanswered'];
  if (input.unanswered !== undefined) {
    if (input.subject.type !== 'request') throw new ProveError('--unanswered: only a request\'s obligation can be proved unanswered', 2);
    const treatyQuorum = treatyPolicyOrFail(policy.value, state);
    const verified = verifyCheckpoint(input.note, treatyQuorum, null);
    if (!verified.ok) throw new ProveError(`the log's checkpoint: ${verified.error.message}`, 1);
    unanswered = {
      kind: input.unanswered,
      witnessedAt: witnessedTime(verified.value),
      checkpointAfter: (minSize, due) => archivedCheckpointAfter(input.fetch, treatyQuorum, minSize, size, due),
    };
  }
  const made = await proveCase({ subject: input.subject, state, cases, checkpoint: { size, note: input.note }, policy: input.policy, source: tileSource(window), ...(unanswered ? { unanswered } : {}) });
  if (!made.ok) throw new ProveError(made.error.message, exitCodeOf(made.error));
  return made.value;
}

function treatyPolicyOrFail(configured: Policy, state: State): Policy {
  const policy = treatyPolicy(configured, quorumTreaty(state), null);
  if (!policy.ok) throw new ProveError(policy.error.message, 1);
  return policy.value;
}
