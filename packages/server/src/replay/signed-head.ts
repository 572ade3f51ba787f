/**
 * The checkpoint a service last signed or verified, stored beside its log, and what a restart
 * may learn from it: how much of the replay its signatures vouch for, and whether the replay
 * reached it. A store is data like any other (DESIGN.md "The operator holds every key but
 * yours"): a row's note counts only once it verifies again.
 */
import { bytesEqual, logAndOwnWitness, verifyCheckpoint, type Checkpoint, type MerkleTree, type Policy } from '@evenhand/log';
import type { StoredCheckpoint } from '@evenhand/store';

/**
 * The size of the signed checkpoint a restart may take to vouch for the snapshot's prefix
 * (`SnapshotKeeper.latest`): the stored checkpoint's note must verify (`opened` gives its size and
 * root, or undefined) and state its row's size and root. A row edited, or a note that does not
 * verify, vouches for nothing: every leaf of the snapshot is then compared with the store's.
 */
export function vouchedSize(stored: StoredCheckpoint | undefined, opened: (note: string) => { readonly size: number; readonly root: Uint8Array } | undefined): number | undefined {
  if (!stored) return undefined;
  const checkpoint = opened(stored.note);
  return checkpoint && checkpoint.size === stored.size && bytesEqual(checkpoint.root, stored.root) ? stored.size : undefined;
}

/**
 * What `vouchedSize` opens a stored checkpoint's note with: the log key's signature and, when
 * `ownWitness` is given, that witness's cosignature (log treaty-policy.ts `logAndOwnWitness`).
 */
export function signedUnder(policy: Policy, ownWitness: string | null): (note: string) => Checkpoint | undefined {
  return (note) => {
    const checked = verifyCheckpoint(note, logAndOwnWitness(policy, ownWitness), ownWitness);
    return checked.ok ? checked.value.checkpoint : undefined;
  };
}

/** Why a replayed tree does not hold `signed` (described as `what`), if it does not. */
export function replayRootProblem(tree: MerkleTree, signed: StoredCheckpoint | undefined, what: string): string | undefined {
  if (!signed) return undefined;
  if (signed.size > tree.size) return `${what} has ${signed.size} entries, the replay ${tree.size}`;
  if (!bytesEqual(tree.root(signed.size), signed.root)) return `the replay's root at size ${signed.size} is not the root of ${what}`;
  return undefined;
}

/**
 * The failed start of a service whose stored entries do not give a checkpoint that it signed
 * or verified itself (`problem` from `replayRootProblem`). Serving on, it would sign or accept
 * another history at sizes it already vouched for, and blame the other side for the difference.
 * `remedy` is what its operator can do: the exchange alone holds its log; a gateway can mirror
 * the log again.
 */
export function storeContradictsSigned(service: string, table: string, size: number, problem: string, remedy: string): Error {
  return new Error(`STORE_CONTRADICTS_SIGNED_CHECKPOINT: ${service}'s store does not hold the log its own checkpoint of size ${size} (table ${table}) states: ${problem}. ${remedy}`);
}

/** What an exchange whose store contradicts its signed head can do (`storeContradictsSigned`). */
export function exchangeRemedy(size: number): string {
  return `Its log entries were edited, or its database was replaced by an older copy. Replace it only with a copy that holds everything the exchange signed, at least ${size} entries (docs/deploying.md, "What to keep, and a lost disk"); it will not sign another history.`;
}

/** What the operator of a gateway whose store contradicts its own verified checkpoint can do (`storeContradictsSigned`). */
export const GATEWAY_REMEDY =
  'Its mirrored entries were edited or removed after it verified them. Restore the database from a backup, or start the gateway on an empty database to mirror and verify the log again, which loses what only the store holds: accounts and their signing keys, drafts, open proposals (docs/deploying.md, "What to keep, and a lost disk"); it will not start on another history.';

/**
 * The failed start of an exchange whose signed head (log_head) is no checkpoint its log key
 * signed of the row's size and root. That row is the guard against signing a fork (publisher.ts):
 * what it was is not guessed.
 */
export function exchangeHeadEdited(size: number): Error {
  return new Error(
    `STORE_CHECKPOINT_EDITED: the exchange's signed head (table log_head, size ${size}) is not a checkpoint its log key signed of that size and root: the row was edited, or the log key in the config is not the one that signed it. ` +
      'It guards against signing a fork, so the exchange does not start without it: restore the database from a backup, or start with the log key that signed it.',
  );
}
