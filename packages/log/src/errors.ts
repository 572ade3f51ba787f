/**
 * Stable error codes of @evenhand/log (DEVELOPERS.md "Errors"). Every failure a caller can
 * provoke with data returns one of these in a `Result`; `throw` is kept for bugs.
 */
export type LogErrorCode =
  // Merkle tree and proofs (RFC 9162 §2.1)
  | 'PROOF_MALFORMED'
  | 'PROOF_INDEX_OUT_OF_RANGE'
  | 'PROOF_SIZE_ORDER'
  | 'TREE_LEVELS_INVALID'
  | 'PROOF_WRONG_LENGTH'
  | 'ROOT_MISMATCH'
  // Signed notes (C2SP signed-note)
  | 'NOTE_MALFORMED'
  | 'NOTE_BAD_SIGNATURE'
  | 'NOTE_UNVERIFIED'
  | 'KEY_MALFORMED'
  // Checkpoints, cosignatures and policy (C2SP tlog-checkpoint, tlog-cosignature, tlog-policy)
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_WRONG_ORIGIN'
  | 'CHECKPOINT_NO_LOG_SIGNATURE'
  | 'CHECKPOINT_QUORUM_NOT_MET'
  | 'CHECKPOINT_OWN_WITNESS_MISSING'
  | 'CHECKPOINT_STALE'
  | 'CHECKPOINT_COSIGNED_IN_FUTURE'
  | 'CHECKPOINT_UNARCHIVED'
  | 'ARCHIVE_MALFORMED'
  | 'POLICY_MALFORMED'
  // Entries (DESIGN.md "The log")
  | 'ENTRY_TOO_LARGE'
  | 'ENTRY_MALFORMED'
  | 'ENTRY_DUPLICATE_KEY'
  | 'ENTRY_UNSAFE_NUMBER'
  | 'ENTRY_NOT_CANONICAL'
  | 'ENTRY_INVALID'
  | 'ENTRY_WRONG_ORIGIN'
  | 'ENTRY_UNKNOWN_AUTHOR'
  | 'ENTRY_BAD_SIGNATURE'
  | 'ENTRY_CHAIN_BROKEN'
  | 'ENTRY_REPLAYED'
  | 'ENTRY_SEEN_NOT_PREFIX'
  | 'ENTRY_HASH_MISMATCH'
  // Entry times against witnessed time (issue 12)
  | 'ENTRY_TIME_BACKWARDS'
  | 'ENTRY_TIME_BEFORE_SEEN'
  | 'ENTRY_TIME_AFTER_WITNESSED'
  // Tiles and offline proofs (C2SP tlog-tiles, tlog-proof)
  | 'TILE_MISSING'
  | 'TILE_MALFORMED'
  | 'BUNDLE_MALFORMED'
  | 'TLOG_PROOF_MALFORMED'
  // Case proofs (issue 13, docs/case-proof.md)
  | 'CASE_PROOF_MALFORMED'
  | 'CASE_PROOF_NOT_INCLUDED'
  | 'CASE_PROOF_ENTRY_INVALID'
  | 'CASE_PROOF_REPLAY_FAILED'
  | 'CASE_PROOF_POLICY_MISMATCH'
  | 'CASE_PROOF_SUBJECT_MISSING'
  | 'CASE_PROOF_RANGE_INCOMPLETE'
  | 'CASE_PROOF_NOT_OVERDUE'
  | 'CASE_PROOF_DELIVERY_UNPROVEN';

export interface LogError {
  readonly code: LogErrorCode;
  /** Names the field and the rule, e.g. `seq: expected 4 after the author's seq 3, found 6`. */
  readonly message: string;
}

export function logError(code: LogErrorCode, message: string): LogError {
  return { code, message };
}
