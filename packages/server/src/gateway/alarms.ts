/**
 * The gateway's alarms (DESIGN.md "Gateway": it "raises an alarm when the exchange's
 * published view differs from its own replay, or when a submitted entry is not included in
 * time"). An alarm stays raised, with the instant it was first seen, until the condition
 * clears; the evidence of a split view (both signed notes) is kept with it, since two
 * contradictory notes signed by the log key are the proof a state would show others.
 */
export type AlarmCode =
  /** Two checkpoints signed by the log that no single append-only log can have produced. */
  | 'SPLIT_VIEW'
  /** The exchange's tiles or entries do not match its own checkpoint, or do not replay. */
  | 'INCONSISTENT'
  /** The published checkpoint lacks the witness quorum or this state's own cosignature. */
  | 'QUORUM_MISSING'
  /** The quorum is short because cosignatures are dated beyond the treaty's skew ahead of this gateway's clock. */
  | 'COSIGNED_IN_FUTURE'
  /** A gateway without a verified checkpoint was offered one whose cosignatures are older than it accepts. */
  | 'CHECKPOINT_STALE'
  /** A submitted entry is not covered by a verified checkpoint in time. */
  | 'NOT_INCLUDED'
  /** The exchange's published statistics differ from this gateway's replay at the same size. */
  | 'VIEW_MISMATCH'
  /** The exchange has not served one of its public views for several rounds in a row, so it cannot be checked. */
  | 'VIEW_UNSERVED'
  | 'EXCHANGE_UNREACHABLE'
  /** The treaty in the log gives this state an entry key other than the gateway's own. */
  | 'KEY_SUBSTITUTED'
  /** A tree without this state's entry where the exchange's signed receipt put it: the receipt is the proof. */
  | 'CENSORED'
  /** An entry dated against the log's witnessed time: backwards, before what it had seen, or after it was logged. */
  | 'ENTRY_TIME_INVALID'
  /** The exchange accepted an entry without a valid signed receipt for it. */
  | 'RECEIPT_INVALID'
  /** This gateway's state, restored from its snapshot, holds a record that does not read (core unread-value.ts): its own fault, never the exchange's. */
  | 'SNAPSHOT_BROKEN';

export interface Alarm {
  readonly code: AlarmCode;
  /** Plain words, with what to do. */
  readonly message: string;
  /** Unix seconds when first raised (and not cleared since). */
  readonly since: number;
  readonly evidence?: Readonly<Record<string, string>>;
}

export class Alarms {
  private readonly raised = new Map<AlarmCode, Alarm>();

  constructor(private readonly now: () => number) {}

  raise(code: AlarmCode, message: string, evidence?: Readonly<Record<string, string>>): void {
    const since = this.raised.get(code)?.since ?? this.now();
    // Keep the first evidence of a fork: later notes may be consistent with one side of it.
    const kept = this.raised.get(code)?.evidence ?? evidence;
    this.raised.set(code, kept ? { code, message, since, evidence: kept } : { code, message, since });
  }

  clear(code: AlarmCode): void {
    this.raised.delete(code);
  }

  has(code: AlarmCode): boolean {
    return this.raised.has(code);
  }

  list(): Alarm[] {
    return [...this.raised.values()].sort((a, b) => a.since - b.since || a.code.localeCompare(b.code));
  }
}
