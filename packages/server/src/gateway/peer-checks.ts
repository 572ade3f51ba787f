import { logAndOwnWitness, TileWindow, treatyPolicy, verifyCheckpoint, type Policy, type TreatyHistory, type VerifiedCheckpoint } from '@evenhand/log';
import { readCheckpoint, type Store } from '@evenhand/store';
import type { Alarms } from './alarms.ts';
import { ExchangeUnreachable, type ExchangeClient } from './exchange-client.ts';
import { tilesRootProblem } from './fresh-entries.ts';
import { raiseProblem, type Problem } from './mirror-problems.ts';
import { answerText, fetchWithin } from '../transport/timed-fetch.ts';

/** What the comparisons read of the mirror, and the one way they may grow it. */
export interface ComparedMirror {
  /** Why the mirror stopped, if it did. */
  halted(): string | undefined;
  /** The latest checkpoint verified with its quorum. */
  verified(): VerifiedCheckpoint | undefined;
  /** The treaty in force at the mirror's size. */
  treatyNow(): ReturnType<TreatyHistory['at']>;
  /** Runs `task` alone among the mirror's operations. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Grows the mirror to a tree the log signed, checked entry by entry (LogMirror's `extendTo`). */
  extendTo(size: number, root: Uint8Array, witnessedAt: number): Promise<Problem | undefined>;
}

export interface PeerCheckOptions {
  readonly store: Store;
  readonly origin: string;
  readonly policy: Policy;
  readonly ownWitness: string;
  readonly exchange: ExchangeClient;
  readonly alarms: Alarms;
  readonly now: () => number;
}

/**
 * This state's view of the log against what others were shown (issue 12, "split views across
 * parties"): the other witnesses' latest cosigned checkpoints, and the hash tiles the exchange
 * serves to everyone else. Run every peerCheckSeconds (gateway-app.ts), a few reads each time.
 */
export class PeerChecks {
  constructor(
    private readonly mirror: ComparedMirror,
    private readonly options: PeerCheckOptions,
  ) {}

  /**
   * The witnesses of the treaty in force at the mirror's size, with their addresses: the
   * other parties this state compares views with (`comparePeer`).
   */
  peers(): { name: string; url: string }[] {
    const policy = treatyPolicy(this.options.policy, this.mirror.treatyNow(), this.options.ownWitness);
    const witnesses = policy.ok ? policy.value.witnesses.values() : this.options.policy.witnesses.values();
    return [...witnesses].filter((witness) => witness.name !== this.options.ownWitness && witness.url !== undefined).map((witness) => ({ name: witness.name, url: witness.url! }));
  }

  /**
   * Fetches every other witness's latest cosigned checkpoint and compares it with this state's
   * view (`comparePeer` raises SPLIT_VIEW with both notes as evidence). A witness that does not
   * answer within `timeoutMs` is skipped: it may be down, and proves nothing either way.
   */
  async checkPeers(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.peers().map(async (peer) => {
        let note: string;
        try {
          const answer = await fetchWithin(`${peer.url.replace(/\/+$/, '')}/checkpoint/cosigned`, {}, timeoutMs);
          if (answer.status !== 200) return;
          note = answerText(answer);
        } catch {
          return;
        }
        await this.comparePeer(peer.name, note);
      }),
    );
  }

  /**
   * The exchange's hash tiles at the verified size must give the verified root. Extensions
   * trust the entry bundles alone when they build the signed root (fresh-entries.ts), but the
   * tiles are what `evenhand verify`, case proofs and public mirrors read: tiles that lie are
   * raised here, as an extension raised them before. Run with the peers' comparison, so at
   * most every peerCheckSeconds and a few tiles each time.
   */
  checkServedTiles(): Promise<void> {
    return this.mirror.exclusive(async () => {
      const verified = this.mirror.verified();
      if (!verified || this.mirror.halted()) return;
      const { size, root } = verified.checkpoint;
      let message: string | undefined;
      try {
        message = await tilesRootProblem(new TileWindow((path) => this.options.exchange.tile(path), size), size, root);
      } catch (error) {
        if (error instanceof ExchangeUnreachable) return;
        throw error;
      }
      if (message) raiseProblem(this.options.alarms, { code: 'INCONSISTENT', message }, { checkpoint: verified.note });
    });
  }

  /**
   * Another party's latest cosigned checkpoint against this state's view: signed by the log,
   * it must be a tree the mirror holds or can verifiably reach from the exchange's tiles. A
   * log that shows each party its own history cannot pass this, since each party's witness
   * publishes what it was shown.
   */
  comparePeer(peer: string, note: string): Promise<string | undefined> {
    return this.mirror.exclusive(async () => {
      // A stopped mirror compares nothing: what stopped it was raised when it stopped (and each
      // sync raises it again), and "the mirror stopped" is no evidence that the exchange showed
      // `peer` another history, which is what SPLIT_VIEW says.
      if (this.mirror.halted()) return undefined;
      // Only the log's signature is checked: the note is the peer's word on what it was shown.
      const checked = verifyCheckpoint(note, logAndOwnWitness(this.options.policy, null), null);
      if (!checked.ok || checked.value.checkpoint.origin !== this.options.origin) return `${peer}'s latest checkpoint is not this log's (${checked.ok ? checked.value.checkpoint.origin : checked.error.message})`;
      const { size, root } = checked.value.checkpoint;
      // Rule 2 (log time-rules.ts) for entries no archived checkpoint covers yet, as in a tree
      // signed and offered but not yet published: the log signed the tree before this gateway
      // read it, so none may be dated after this gateway's clock plus the skew, the bound its
      // witness applies when it cosigns (LogMirror's `agrees`). Not the note's witnessed time:
      // checked against no witness, it counts no cosignature, and `witnessedTime` of none is
      // -Infinity, which failed every such entry. Nor the peer's own cosignature: one witness's
      // clock (the operator holds the neutral witness's key), where the rule takes a quorum's latest.
      const problem = await this.mirror.extendTo(size, root, this.options.now());
      if (!problem || problem.code === 'UNREACHABLE') return undefined;
      // What this state was shown: the latest its own witness cosigned (or verified, failing that).
      const own = (await readCheckpoint(this.options.store.db, 'witness_state', this.options.origin))?.note ?? this.mirror.verified()?.note ?? '';
      const message = problem.code === 'SPLIT_VIEW' || problem.code === 'INCONSISTENT'
        ? `${peer}'s witness cosigned a tree of size ${size} that the exchange does not show this state (${problem.message}): the exchange shows the parties different histories`
        : problem.message;
      raiseProblem(this.options.alarms, { code: problem.code === 'INCONSISTENT' ? 'SPLIT_VIEW' : problem.code, message, evidence: { [`${peer}-cosigned`]: note, own } });
      return message;
    });
  }
}
