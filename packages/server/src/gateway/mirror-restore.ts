import { assertStoredLeaf, countEntries, readCheckpoint, storedEntriesFrom, type StoredCheckpoint } from '@evenhand/store';
import type { MirrorOptions } from './mirror.ts';
import { VerifiedPrefix } from './verified-prefix.ts';
import { GATEWAY_REMEDY, replayRootProblem, signedUnder, storeContradictsSigned, vouchedSize } from '../replay/signed-head.ts';

/**
 * A gateway's start: its mirror rebuilt from its own store, whose entries were verified before
 * they were stored (mirror.ts `takeFresh`). With a sound snapshot (issue 14) only the entries
 * after it are replayed; one whose replay does not give the root of the checkpoint this gateway
 * last verified is dropped, and the whole mirror replayed, as it is without a snapshot or under
 * `--full-replay`. The start fails, naming the store, when the whole mirror does not give that
 * checkpoint either, or holds fewer entries than it (STORE_CONTRADICTS_SIGNED_CHECKPOINT); a row
 * whose note does not verify vouches for nothing. Answers the prefix (`empty`, or a new one if
 * a refused snapshot had been adopted into it) and that stored checkpoint, for the mirror to
 * verify with its quorum.
 */
export async function restoredPrefix(options: MirrorOptions, empty: VerifiedPrefix): Promise<{ readonly prefix: VerifiedPrefix; readonly stored: StoredCheckpoint | undefined }> {
  const { store, origin, snapshots: keeper } = options;
  let prefix = empty;
  // The checkpoint last verified, once its note verifies again (log key and this state's own
  // witness), vouches for the snapshot's prefix (`signedRootProblem` compares their roots).
  const stored = await readCheckpoint(store.db, 'log_published', origin);
  const vouched = vouchedSize(stored, signedUnder(options.policy, options.ownWitness));
  // Entries are stored before the checkpoint that reaches them (mirror.ts `extendTo`, then
  // `pull`), so a store holding fewer than its verified checkpoint lost entries it had verified.
  // Mirrored again, they would extend the prefix it still holds, which no signed checkpoint
  // vouches for any more: a prefix edited as well would then be blamed on the exchange. The
  // exchange's start refuses a signed head beyond its entries alike (sequencer.ts).
  const held = await countEntries(store.db);
  if (vouched !== undefined && vouched > held) throw storeContradictsSigned('this gateway', 'log_published', vouched, `the checkpoint it verified has ${vouched} entries, the store ${held}`, GATEWAY_REMEDY);
  /** Why the replay does not hold the checkpoint this gateway last verified (log_published), if it does not. */
  const signedRootProblem = () => replayRootProblem(prefix.tree, stored, 'the checkpoint this gateway verified');
  const usable = keeper && (await keeper.latest(vouched));
  let restored = false;
  if (keeper && usable) {
    try {
      prefix.adopt(keeper, usable);
      await replayStored(options, prefix, usable.decoded.size, held);
      // A row whose note does not verify vouches for nothing (every leaf was compared instead): its root, edited, would refuse every snapshot.
      const problem = vouched === undefined ? undefined : signedRootProblem();
      if (problem) throw new Error(`SNAPSHOT_ROOT_MISMATCH: ${problem}`);
      const unread = keeper.confirmAdopted();
      if (unread) throw new Error(unread);
      restored = true;
    } catch (error) {
      keeper.refuse(usable.decoded.size, error instanceof Error ? error.message : String(error));
      prefix.close();
      prefix = new VerifiedPrefix(options);
    }
  }
  if (!restored) {
    await replayStored(options, prefix, 0, held);
    // Entries this gateway verified under its own witness's cosignature no longer give that
    // checkpoint: its store was edited. Started, it would find the exchange's next checkpoint
    // inconsistent and blame the exchange.
    if (vouched !== undefined) {
      const unheld = signedRootProblem();
      if (unheld) throw storeContradictsSigned('this gateway', 'log_published', vouched, unheld, GATEWAY_REMEDY);
    }
    // A full replay writes a fresh snapshot (always under --full-replay), so the next start is short.
    if (keeper?.wanted(prefix.size)) void keeper.save(prefix.replayParts, prefix.state);
  }
  return { prefix, stored };
}

/** Replays into `prefix` the stored entries from `from` to `held`, the store's count. */
async function replayStored(options: MirrorOptions, prefix: VerifiedPrefix, from: number, held: number): Promise<void> {
  options.snapshots?.replaying(from, held);
  for await (const row of storedEntriesFrom(options.store.db, from)) {
    // Checked against witnessed time when they were mirrored; rule 3 runs again, to know the latest time.
    const problem = prefix.accept(row.bytes, 'unchecked');
    if (problem) throw new Error(`the gateway's stored mirror no longer verifies at entry ${row.index}: ${problem.message}`);
    assertStoredLeaf(row, prefix.tree.hashAt(0, row.index));
    options.snapshots?.replayed(row.index);
  }
}
