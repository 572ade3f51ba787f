import type { ApplyErrorCode } from '@evenhand/core';
import type { LogErrorCode } from '@evenhand/log';

/** Codes the services raise themselves, beside the core's. */
export type ServiceErrorCode =
  | 'BAD_REQUEST'
  | 'VIEW_SIZE_NOT_KEPT'
  | 'BODY_TOO_LARGE'
  | 'BODY_TOO_DEEP'
  | 'DRAFT_LIMIT'
  | 'PATH_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'LOGIN_FAILED'
  | 'CSRF_MISMATCH'
  | 'ROLE_FORBIDDEN'
  | 'WRONG_PARTY'
  | 'SAME_APPROVER'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  // The gateway's (gateway/**).
  | 'EXCHANGE_UNREACHABLE'
  | 'DRAFT_FILED'
  | 'PROPOSAL_CONFIRMED'
  | 'PROPOSAL_CLOSED'
  | 'PROPOSAL_OPEN'
  | 'NOT_PROPOSER'
  | 'REQUEST_PENDING'
  | 'ROLE_NOT_PERMITTED'
  | 'SIGNING_KEY_MISSING'
  | 'SIGNING_KEY_LOCKED'
  // Case keys (gateway/case-keys.ts, issue 17).
  | 'CASE_ERASED'
  | 'CASE_KEY_UNAVAILABLE';

export type ErrorCode = ApplyErrorCode | LogErrorCode | ServiceErrorCode | 'ENTRY_TIME_SKEW';

/**
 * The one table from error code to HTTP status (DEVELOPERS.md "Errors"). It is a Record over
 * the union of codes, so a new code without a status does not compile.
 * 400: the input is malformed; 403: the author may not do this; 404: no such thing;
 * 409: it already happened; 422: well-formed, but the treaty or the lifecycle forbids it.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  ENTRY_INVALID: 400,
  TYPE_UNKNOWN: 400,
  BODY_INVALID: 400,
  TREATY_INVALID: 400,
  DATE_INVALID: 400,
  REASONS_REQUIRED: 400,
  OFFENCE_UNKNOWN: 400,
  REQUESTED_INVALID: 400,
  FOLLOWS_INVALID: 400,
  KIND_NOT_PROVIDED: 422,
  CONTACT_POINT_MISSING: 422,
  GROUND_UNKNOWN: 400,
  APPROVERS_NOT_DISTINCT: 400,
  AUTHOR_NOT_A_PARTY: 403,
  NOT_REQUESTED_PARTY: 403,
  NOT_REQUESTING_PARTY: 403,
  REQUEST_UNKNOWN: 404,
  PROPOSAL_UNKNOWN: 404,
  REQUEST_EXISTS: 409,
  PROPOSAL_EXISTS: 409,
  ALREADY_RATIFIED: 409,
  ALREADY_DONE: 409,
  TREATY_NOT_ADOPTED: 422,
  TREATY_VERSION_STALE: 422,
  ILLEGAL_TRANSITION: 422,
  TIME_REVERSED: 422,
  DEADLINE_PASSED: 422,
  MANDATORY_REFUSAL_APPLIES: 422,
  ASSURANCES_REQUIRED: 422,
  ASSURANCES_MISMATCH: 422,
  CONDITIONS_MISSING: 422,
  RECIPROCITY_NOT_ALLOWED: 422,
  DECISION_INCONSISTENT: 422,
  GROUND_NOT_AVAILABLE: 422,
  PROSECUTION_REQUIRED: 422,
  PROSECUTION_NOT_APPLICABLE: 422,
  CONSULTATION_REQUIRED: 422,
  CONSULTATION_PENDING: 422,
  NO_OPEN_CONSULTATION: 422,
  ASSURANCE_NOT_REQUIRED: 422,
  CREDITS_UNBALANCED: 422,
  // Trades (core trade/lifecycle).
  LEG_INVALID: 400,
  NOT_TRADE_PARTY: 403,
  NOT_COORDINATOR: 403,
  NOT_RECEIVER: 403,
  NOT_GIVER: 403,
  TRADE_UNKNOWN: 404,
  TRADE_EXISTS: 409,
  REQUEST_LOCKED: 409,
  TRADE_UNBALANCED: 422,
  TRADE_NOT_SIGNED: 422,
  TRADE_NOT_EXPIRED: 422,
  LEG_INELIGIBLE: 422,
  LEG_NOT_ATTESTED: 422,
  // Officials and their approvals (core officials/, issue 13).
  OFFICIAL_EXISTS: 409,
  OFFICIAL_KEY_REUSED: 409,
  OFFICIAL_UNKNOWN: 404,
  OFFICIAL_REVOKED: 403,
  OFFICIALS_TOO_FEW: 422,
  APPROVALS_REQUIRED: 422,
  APPROVALS_UNEXPECTED: 422,
  APPROVAL_INVALID: 403,
  // Leaving the treaty (core treaty/denunciation.ts, issue 17).
  TREATY_DENOUNCED: 422,
  TREATY_MISMATCH: 422,
  DENUNCIATION_EXISTS: 409,
  DENUNCIATION_NOT_PROVIDED: 422,
  DENOUNCING_PARTY_CHANGED: 422,
  // Incidents and the links of requests (core incidents/, issue 17).
  INCIDENT_EXISTS: 409,
  INCIDENT_UNKNOWN: 404,
  RELATED_INVALID: 400,
  // Case keys, transport keys and erasure (core erasure/, issue 17).
  CASE_KEYS_INVALID: 400,
  TRANSPORT_KEY_MISSING: 422,
  TRANSPORT_KEY_STALE: 422,
  TRANSPORT_KEY_REUSED: 409,
  NOT_CASE_PARTY: 403,
  CASE_OPEN: 422,
  RETENTION_NOT_PROVIDED: 422,
  RETENTION_RUNNING: 422,
  ALREADY_ERASED: 409,
  // The service's own state, restored from a snapshot, holds a record that does not read (core unread-value.ts): not the client's fault, and the service stops to replay its log.
  SNAPSHOT_VALUE_REFUSED: 503,
  // The log's checks of an entry and of proofs (@evenhand/log).
  PROOF_MALFORMED: 400,
  PROOF_INDEX_OUT_OF_RANGE: 400,
  // A public view asked at a size too far back to recompute on request (exchange/sequencer.ts).
  VIEW_SIZE_NOT_KEPT: 410,
  PROOF_SIZE_ORDER: 400,
  PROOF_WRONG_LENGTH: 400,
  // A snapshot's stored tree of the wrong length (log tree.ts): never from a request; refused at a restart.
  TREE_LEVELS_INVALID: 500,
  ROOT_MISMATCH: 422,
  NOTE_MALFORMED: 400,
  NOTE_BAD_SIGNATURE: 403,
  NOTE_UNVERIFIED: 403,
  KEY_MALFORMED: 400,
  CHECKPOINT_MALFORMED: 400,
  CHECKPOINT_WRONG_ORIGIN: 400,
  CHECKPOINT_NO_LOG_SIGNATURE: 403,
  CHECKPOINT_QUORUM_NOT_MET: 422,
  CHECKPOINT_OWN_WITNESS_MISSING: 422,
  CHECKPOINT_STALE: 422,
  CHECKPOINT_COSIGNED_IN_FUTURE: 422,
  CHECKPOINT_UNARCHIVED: 422,
  ARCHIVE_MALFORMED: 400,
  POLICY_MALFORMED: 400,
  ENTRY_TOO_LARGE: 413,
  ENTRY_MALFORMED: 400,
  ENTRY_DUPLICATE_KEY: 400,
  ENTRY_UNSAFE_NUMBER: 400,
  ENTRY_NOT_CANONICAL: 400,
  ENTRY_WRONG_ORIGIN: 400,
  ENTRY_UNKNOWN_AUTHOR: 403,
  ENTRY_BAD_SIGNATURE: 403,
  ENTRY_CHAIN_BROKEN: 409,
  ENTRY_REPLAYED: 409,
  ENTRY_SEEN_NOT_PREFIX: 409,
  ENTRY_HASH_MISMATCH: 400,
  ENTRY_TIME_SKEW: 422,
  ENTRY_TIME_BACKWARDS: 422,
  ENTRY_TIME_BEFORE_SEEN: 422,
  ENTRY_TIME_AFTER_WITNESSED: 422,
  TILE_MISSING: 404,
  TILE_MALFORMED: 400,
  BUNDLE_MALFORMED: 400,
  TLOG_PROOF_MALFORMED: 400,
  // A case proof a service was handed or asked to make (issue 13).
  CASE_PROOF_MALFORMED: 400,
  CASE_PROOF_NOT_INCLUDED: 422,
  CASE_PROOF_ENTRY_INVALID: 422,
  CASE_PROOF_REPLAY_FAILED: 422,
  CASE_PROOF_POLICY_MISMATCH: 422,
  CASE_PROOF_SUBJECT_MISSING: 404,
  CASE_PROOF_RANGE_INCOMPLETE: 422,
  CASE_PROOF_NOT_OVERDUE: 409,
  CASE_PROOF_DELIVERY_UNPROVEN: 422,
  BAD_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  BODY_TOO_DEEP: 400,
  DRAFT_LIMIT: 409,
  PATH_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  CSRF_MISMATCH: 403,
  ROLE_FORBIDDEN: 403,
  WRONG_PARTY: 403,
  SAME_APPROVER: 403,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  EXCHANGE_UNREACHABLE: 502,
  DRAFT_FILED: 409,
  PROPOSAL_CONFIRMED: 409,
  PROPOSAL_CLOSED: 409,
  PROPOSAL_OPEN: 409,
  NOT_PROPOSER: 403,
  REQUEST_PENDING: 409,
  ROLE_NOT_PERMITTED: 403,
  // An approver's personal key (gateway/official-keys.ts): none on the account, or not unlocked in this session.
  SIGNING_KEY_MISSING: 403,
  SIGNING_KEY_LOCKED: 401,
  // A case whose key this gateway destroyed (erased) takes no new sealed act; one whose key it could not unwrap cannot be sealed to.
  CASE_ERASED: 409,
  CASE_KEY_UNAVAILABLE: 503,
};

/** The parts of a request a refusal can name (input-check.ts): what a console strips to find its form's field. */
export type RequestPart = 'body' | 'query' | 'path' | 'headers';

/**
 * Where in the request a refusal points: a part, then the member's path in it (`body.name`,
 * `query.after`, `path.id`, `headers.content-type`, `body.items[3]`). One form for every
 * route, so that a client finds the field whatever the service: a bare `after` or `hash` left
 * it guessing whether the query or the path was meant.
 */
export type FieldPath = RequestPart | `${RequestPart}.${string}` | `${RequestPart}[${string}`;

/**
 * A field named by another component's check and relayed as it spelled it: the core's refusal
 * names the member of the entry (core apply-error.ts: `author`, `time`, `body.request`), a
 * zod schema's issues the path under the part they were checked as, an exchange's answer its
 * own field. Marked so that a field written here by hand must be a FieldPath.
 */
export type RelayedField = string & { readonly relayed: true };

export function relayedField(field: string | undefined): RelayedField | undefined {
  return field as RelayedField | undefined;
}

/** An expected failure of a request: its code picks the status, its message goes to the client. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: FieldPath | RelayedField,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** The status of any code, including ones a newer package may add (those become 422). */
export function statusOf(code: string): number {
  // Own keys only: a code such as "constructor" from an untrusted answer is not a status.
  return Object.hasOwn(HTTP_STATUS, code) ? (HTTP_STATUS as Record<string, number>)[code]! : 422;
}

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: FieldPath | RelayedField;
}
