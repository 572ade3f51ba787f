import { err, ok, type Result } from '@evenhand/core';
import { parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { logError, type LogError } from './errors.ts';
import { openNote, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, type NoteVerifier } from './note.ts';
import { quorumSatisfied, type Policy } from './policy.ts';

export interface WitnessCosignature {
  readonly witness: string;
  readonly timestamp: number;
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint body (note text), as the witnesses cosigned it. */
  readonly text: string;
  /** The whole note, kept verbatim as evidence. */
  readonly note: string;
  readonly cosignatures: readonly WitnessCosignature[];
}

/**
 * Accepts a checkpoint note only when (1) a log of the policy whose key name is the origin
 * signed it, (2) the verifier's own witness cosigned it (DESIGN.md: "a verifier always
 * requires its own state's cosignature"), and (3) the policy's quorum of witnesses cosigned
 * it. Signatures by keys outside the policy are ignored; a bad signature by a key inside
 * it rejects the note (signed-note). `ownWitness` is null only for an outside auditor.
 */
/**
 * The verifier's clock, when the cosignatures' times matter (issue 12, "cosignature time"): a
 * cosignature dated more than `skewSeconds` after `now` is not counted toward the quorum, and
 * with `maxAgeSeconds` (a first-time verifier) the quorum's oldest cosignature must be no older.
 */
export interface VerifierClock {
  readonly now: number;
  readonly skewSeconds: number;
  readonly maxAgeSeconds?: number | undefined;
}

export function verifyCheckpoint(note: string, policy: Policy, ownWitness: string | null, clock?: VerifierClock): Result<VerifiedCheckpoint, LogError> {
  if (ownWitness !== null && !policy.witnesses.has(ownWitness)) {
    return err(logError('CHECKPOINT_OWN_WITNESS_MISSING', `ownWitness: ${ownWitness} is not a witness of the policy`));
  }
  const witnessKeys = new Map<NoteVerifier, string>();
  for (const witness of policy.witnesses.values()) witnessKeys.set(witness.key, witness.name);
  const known = [...policy.logs.map((log) => log.key), ...witnessKeys.keys()];
  const opened = openNote(note, known);
  if (!opened.ok) return opened;
  const checkpoint = parseCheckpoint(opened.value.text);
  if (!checkpoint.ok) return checkpoint;
  const logSignatures = opened.value.verified.filter((sig) => sig.verifier.type === SIGNATURE_ED25519 && policy.logs.some((log) => log.key === sig.verifier));
  if (logSignatures.length === 0) {
    return err(logError('CHECKPOINT_NO_LOG_SIGNATURE', `signatures: no log key of the policy signed the checkpoint of ${checkpoint.value.origin}`));
  }
  if (!logSignatures.some((sig) => sig.verifier.name === checkpoint.value.origin)) {
    return err(logError('CHECKPOINT_WRONG_ORIGIN', `origin: ${checkpoint.value.origin} is not the name of the log key that signed it (${logSignatures[0]?.verifier.name})`));
  }
  const cosignatures: WitnessCosignature[] = [];
  const future: string[] = [];
  const futureNames: string[] = [];
  for (const sig of opened.value.verified) {
    const witness = witnessKeys.get(sig.verifier);
    if (witness === undefined || sig.verifier.type !== SIGNATURE_COSIGNATURE_V1 || sig.timestamp === undefined) continue;
    // A cosignature from the future vouches for nothing yet: not counted.
    if (clock && sig.timestamp > clock.now + clock.skewSeconds) {
      future.push(`${witness} (dated ${sig.timestamp}, ${sig.timestamp - clock.now} s ahead)`);
      futureNames.push(witness);
    }
    else cosignatures.push({ witness, timestamp: sig.timestamp });
  }
  const cosigned = new Set(cosignatures.map((c) => c.witness));
  const ahead = future.length > 0 ? `; not counted, dated more than ${clock?.skewSeconds} s in the future: ${future.join(', ')}` : '';
  // Short of the quorum because cosignatures are dated ahead is a code of its own: a witness
  // whose clock runs fast, or one dating forward to make an old tree look fresh (issue 12).
  // Only when counting them would have passed: a quorum short for other reasons keeps its own code.
  const withFuture = new Set([...cosigned, ...futureNames]);
  const short = futureNames.length > 0 && (ownWitness === null || withFuture.has(ownWitness)) && quorumSatisfied(policy, withFuture) ? 'CHECKPOINT_COSIGNED_IN_FUTURE' : undefined;
  if (ownWitness !== null && !cosigned.has(ownWitness)) {
    return err(logError(short ?? 'CHECKPOINT_OWN_WITNESS_MISSING', `cosignatures: the verifier's own witness ${ownWitness} has not cosigned size ${checkpoint.value.size}${ahead}`));
  }
  if (!quorumSatisfied(policy, cosigned)) {
    return err(logError(short ?? 'CHECKPOINT_QUORUM_NOT_MET', `cosignatures: ${[...cosigned].join(', ') || 'no witness'} cosigned, which does not meet quorum ${policy.quorum}${ahead}`));
  }
  if (clock?.maxAgeSeconds !== undefined) {
    // The quorum's cosignatures, oldest first: an honest witness never cosigns an older tree again.
    const counted = cosignatures.filter((each) => policy.witnesses.has(each.witness)).map((each) => each.timestamp);
    const oldest = Math.min(...counted);
    if (clock.now - oldest > clock.maxAgeSeconds) {
      return err(logError('CHECKPOINT_STALE', `cosignatures: the oldest is ${clock.now - oldest} s old, more than the ${clock.maxAgeSeconds} s a first verification accepts: the log may be showing an old view; ask for a fresh checkpoint`));
    }
  }
  return ok({ checkpoint: checkpoint.value, text: opened.value.text, note, cosignatures });
}
