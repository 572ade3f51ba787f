import { err } from '../result.ts';

/**
 * Why `apply` refused an entry. Codes are stable (the server maps them to HTTP statuses in
 * one table); the message names the field and the rule; `field` is the path in the entry.
 */
export type ApplyErrorCode =
  | 'ENTRY_INVALID'
  | 'TYPE_UNKNOWN'
  | 'BODY_INVALID'
  | 'TREATY_NOT_ADOPTED'
  | 'TREATY_INVALID'
  | 'TREATY_VERSION_STALE'
  | 'PROPOSAL_EXISTS'
  | 'PROPOSAL_UNKNOWN'
  | 'ALREADY_RATIFIED'
  | 'AUTHOR_NOT_A_PARTY'
  | 'REQUEST_UNKNOWN'
  | 'REQUEST_EXISTS'
  | 'REQUESTED_INVALID'
  | 'OFFENCE_UNKNOWN'
  | 'FOLLOWS_INVALID'
  // Requests for data (issue 17)
  | 'KIND_NOT_PROVIDED'
  | 'CONTACT_POINT_MISSING'
  | 'NOT_REQUESTED_PARTY'
  | 'NOT_REQUESTING_PARTY'
  | 'ILLEGAL_TRANSITION'
  | 'TIME_REVERSED'
  | 'DEADLINE_PASSED'
  | 'ALREADY_DONE'
  | 'APPROVERS_NOT_DISTINCT'
  | 'MANDATORY_REFUSAL_APPLIES'
  | 'ASSURANCES_REQUIRED'
  | 'ASSURANCES_MISMATCH'
  | 'CONDITIONS_MISSING'
  | 'RECIPROCITY_NOT_ALLOWED'
  | 'DECISION_INCONSISTENT'
  | 'GROUND_UNKNOWN'
  | 'GROUND_NOT_AVAILABLE'
  | 'PROSECUTION_REQUIRED'
  | 'PROSECUTION_NOT_APPLICABLE'
  | 'CONSULTATION_REQUIRED'
  /** A refusal that must wait for the end of a consultation period: allowed later, not now. */
  | 'CONSULTATION_PENDING'
  | 'NO_OPEN_CONSULTATION'
  | 'ASSURANCE_NOT_REQUIRED'
  | 'DATE_INVALID'
  | 'REASONS_REQUIRED'
  | 'CREDITS_UNBALANCED'
  // Trades (trade/lifecycle).
  | 'TRADE_UNKNOWN'
  | 'TRADE_EXISTS'
  | 'TRADE_UNBALANCED'
  | 'TRADE_NOT_SIGNED'
  | 'TRADE_NOT_EXPIRED'
  | 'NOT_TRADE_PARTY'
  | 'NOT_COORDINATOR'
  | 'NOT_RECEIVER'
  | 'NOT_GIVER'
  | 'LEG_INVALID'
  | 'LEG_INELIGIBLE'
  | 'LEG_NOT_ATTESTED'
  | 'REQUEST_LOCKED'
  // Officials and their approvals (officials/, issue 13).
  | 'OFFICIAL_EXISTS'
  | 'OFFICIAL_KEY_REUSED'
  | 'OFFICIAL_UNKNOWN'
  | 'OFFICIAL_REVOKED'
  | 'OFFICIALS_TOO_FEW'
  | 'APPROVALS_REQUIRED'
  | 'APPROVALS_UNEXPECTED'
  | 'APPROVAL_INVALID'
  // Leaving the treaty (treaty/denunciation.ts, issue 17).
  | 'TREATY_DENOUNCED'
  | 'TREATY_MISMATCH'
  | 'DENUNCIATION_EXISTS'
  | 'DENUNCIATION_NOT_PROVIDED'
  | 'DENOUNCING_PARTY_CHANGED'
  // Incidents and the links of requests (incidents/, issue 17).
  | 'INCIDENT_EXISTS'
  | 'INCIDENT_UNKNOWN'
  | 'RELATED_INVALID'
  // Case keys, transport keys and erasure (erasure/, issue 17).
  | 'CASE_KEYS_INVALID'
  | 'TRANSPORT_KEY_MISSING'
  | 'TRANSPORT_KEY_STALE'
  | 'TRANSPORT_KEY_REUSED'
  | 'NOT_CASE_PARTY'
  | 'CASE_OPEN'
  | 'RETENTION_NOT_PROVIDED'
  | 'RETENTION_RUNNING'
  | 'ALREADY_ERASED'
  // A state restored from a snapshot holds a record, kept unread, that the entry reads and that does not read (unread-value.ts).
  | 'SNAPSHOT_VALUE_REFUSED';

export interface ApplyError {
  readonly code: ApplyErrorCode;
  readonly message: string;
  readonly field?: string | undefined;
}

export function fail(code: ApplyErrorCode, message: string, field?: string): { readonly ok: false; readonly error: ApplyError } {
  return err(field === undefined ? { code, message } : { code, message, field });
}
