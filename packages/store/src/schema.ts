import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them. Integers that count entries are JavaScript numbers on
 * both engines: PostgreSQL's int8 parser is replaced in create-db.ts, because `pg` returns
 * int8 as a string (reference/stack.md §3).
 */
export interface Database {
  /** The log's leaves, append-only: a row is never updated or deleted. */
  log_entries: {
    idx: number;
    /** The exact bytes of the leaf (RFC 8785 canonical JSON). */
    bytes: Uint8Array;
    /** RFC 6962 leaf hash of `bytes`. */
    leaf_hash: Uint8Array;
    author: string;
    author_seq: number;
    type: string;
    time: number;
  };
  /** One row: the next free index, bumped under a row lock so that appends never collide. */
  log_sequence: {
    id: number;
    next_idx: number;
  };
  /**
   * One row per log: the last checkpoint the operator signed. It changes only by compare-and-
   * swap, so two writers, or a writer and a crash, cannot publish inconsistent checkpoints.
   */
  log_head: {
    origin: string;
    size: number;
    root: Uint8Array;
    note: string;
    updated_at: number;
  };
  /**
   * The last checkpoint published with its witness quorum: what GET /checkpoint serves. The
   * log_head row runs ahead of it while witnesses are being asked.
   */
  log_published: {
    origin: string;
    size: number;
    root: Uint8Array;
    note: string;
    updated_at: number;
  };
  /**
   * The exchange's archive of published checkpoints: the first publication of each size, and
   * the instant its quorum had cosigned it (the latest counted cosignature). Append-only.
   */
  log_checkpoints: {
    size: number;
    root: Uint8Array;
    note: string;
    witnessed_at: number;
  };
  /** Webhook notifications a gateway owes, by a key that makes each one once (issue 15). */
  /** Each case's key, sealed under the gateway's local key, until it is erased (case-key-repo.ts). */
  gateway_case_keys: {
    request: string;
    /** The case key sealed under the local key (a compact JWE); null once erased. */
    sealed_key: string | null;
    /** The transport key the filing wrapped the case key to for this state. */
    wrap_kid: string;
    /** The log index of the filing. */
    filed_index: number;
    /** From when the case key is erased (the end of retention); null while the case is open, and once its erasure is in the log. */
    erase_after: number | null;
    erased_at: number | null;
  };
  /** Every decryption shown to an official (decryption-repo.ts). */
  gateway_decryptions: {
    id: Generated<number>;
    official: string;
    subject_type: string;
    subject_id: string;
    /** JSON array of log indexes. */
    entries: string;
    at: number;
  };
  gateway_notifications: {
    id: string;
    url: string;
    event: string;
    body: string;
    created_at: number;
    attempts: number;
    next_at: number;
    delivered_at: number | null;
    last_error: string | null;
  };
  /** Small named values a gateway keeps between runs (the notifier's cursor). */
  gateway_state: {
    key: string;
    value: string;
  };
  /**
   * Snapshots of a replay of the log (issue 14): the state and indexes after `size` entries,
   * as gzipped JSON, whose tree root is `root`, and the tree itself. Data only: a restart checks it
   * (its digest, its shape, its tree against the stored leaves and its root against a signed one)
   * and replays the whole log when it does not hold.
   */
  replay_snapshots: {
    /** Whose replay: "exchange", or "gateway:<party>". */
    service: string;
    size: number;
    root: Uint8Array;
    /** gzip of the snapshot's JSON text. */
    data: Uint8Array;
    /** An HMAC-SHA-256 of the JSON text, size, root and tree under a key only the service holds. */
    digest: Uint8Array;
    created_at: number;
    /** The tree's stored subtree hashes at `size`, level by level (log tree.ts `levelBytes`); null in older snapshots. */
    tree: Uint8Array | null;
    /** A delta's base: the size and digest of the snapshot it follows; null in a whole snapshot (migration 0017). */
    base_size: number | null;
    base_digest: Uint8Array | null;
  };
  /** A witness's latest cosigned checkpoint per origin (C2SP tlog-witness: it never rolls back). */
  witness_state: {
    origin: string;
    size: number;
    root: Uint8Array;
    note: string;
    updated_at: number;
  };
  /** A gateway's officials. Passwords are scrypt hashes (auth/password.ts in the server). */
  accounts: {
    username: string;
    party: string;
    role: string;
    password_hash: string;
    created_at: number;
    /** An approver's Ed25519 public key (base64), and its seed sealed under the password key. */
    signing_key: string | null;
    signing_key_sealed: string | null;
  };
  /** Login sessions: the cookie carries the id, the table keeps only its SHA-256. */
  sessions: {
    id_hash: string;
    username: string;
    csrf_token: string;
    expires_at: number;
    /** The official's signing seed, sealed under a key only the session's cookie gives. */
    signing_seal: string | null;
  };
  /** A gateway's draft filings (issue 4): its own state's only, never sent anywhere. */
  gateway_drafts: {
    id: string;
    party: string;
    created_by: string;
    /** The draft `request.file` body as JSON, sealed members still in plaintext. */
    body: string;
    created_at: number;
    filed_index: number | null;
  };
  /**
   * Two-person acts (decisions, trade signatures and commits) prepared by one approver and
   * waiting for a second; `request` holds the request or trade the act is on.
   */
  gateway_proposals: {
    id: string;
    party: string;
    kind: string;
    request: string;
    proposer: string;
    body: string;
    created_at: number;
    /** The act applies only from then (a consultation period): confirming earlier is refused. */
    confirmable_from: number | null;
    confirmed_by: string | null;
    entry_index: number | null;
    closed_at: number | null;
    closed_by: string | null;
    /** withdrawn, rejected or overtaken. */
    closed_outcome: string | null;
    /** JSON: the body both approvers sign and the proposer's signatures (issue 13); null before registration. */
    signed: string | null;
  };
  /** Entries this gateway submitted and the exchange accepted: the outbox it checks inclusion against. */
  gateway_submissions: {
    idx: number;
    author: string;
    author_seq: number;
    bytes: Uint8Array;
    leaf_hash: Uint8Array;
    type: string;
    submitted_at: number;
    included_at: number | null;
    /** The exchange's signed receipt (a signed note), when it gave one. */
    receipt: string | null;
    /** The official who took the act (issue 15, audit trail); also sealed in the entry. */
    official: string | null;
  };
  /**
   * Sealed evidence files, stored by the SHA-256 of their (encrypted) bytes: the exchange
   * holds them for the parties and can read none of them.
   */
  blobs: {
    hash: string;
    bytes: Uint8Array;
    author: string;
    created_at: number;
  };
}
