import { createHmac, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import type { State } from '@evenhand/core';
import { bytesEqual, captureReplay, checkRoot, decodeReplaySnapshot, logAndOwnWitness, MerkleTree, toBase64, verifyCheckpoint, withState, type Checkpoint, type DecodedReplay, type Policy, type ReplayParts } from '@evenhand/log';
import { countEntries, listSnapshots, readLeafHashes, writeSnapshot, type Store, type StoredCheckpoint } from '@evenhand/store';
import { jsonInSlices } from './json-slices.ts';

const gzipAsync = promisify(gzip);

/** How the exchange and each gateway keep snapshots of their replay (issue 14, "Snapshots"). */
export interface SnapshotOptions {
  /** Whose replay: "exchange", or "gateway:<party>" (the store table's key). */
  readonly service: string;
  /**
   * Key material only this service holds (its log or entry signing seed). A snapshot carries
   * an HMAC under a key derived from it: a snapshot edited in the database, or written by
   * anyone else, is refused.
   */
  readonly secret: Uint8Array;
  /** A snapshot at most every this many entries (10,000 by default). */
  readonly every?: number | undefined;
  /** How many snapshots are kept (2 by default). */
  readonly keep?: number | undefined;
  /** `--full-replay`: ignore every stored snapshot, replay the whole log, then write a fresh one. */
  readonly fullReplay?: boolean | undefined;
  /** Told why a snapshot is not used; the restart then replays the whole log. */
  readonly warn?: ((message: string) => void) | undefined;
  /** Told the index of each entry replayed at a restart (tests count them; a full replay tells every one). */
  readonly onReplayed?: ((index: number) => void) | undefined;
}

export const DEFAULT_SNAPSHOT_EVERY = 10_000;

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

/** A snapshot that passed every check but the final one against the signed checkpoint, with its tree. */
export interface UsableSnapshot {
  readonly decoded: DecodedReplay;
  readonly tree: MerkleTree;
}

const LEAF_CHUNK = 65_536;


/**
 * Reads and writes the snapshots of one service. Reading checks, before anything is
 * restored: the HMAC over the data, size, root and tree; the exact shape (log
 * replay-snapshot.ts and core snapshot.ts); that the store holds as many entries; the store's
 * leaf hashes beyond the verified checkpoint against the snapshot's tree (`latest`); and the
 * tree's root. Any failure is a warning and a full replay, never a start from doubtful data.
 * Writing takes the log-side parts at once (a consistent cut), and encodes, compresses and
 * stores off the caller's path, one at a time; it never touches the log's tables.
 */
export class SnapshotKeeper {
  private readonly key: Buffer;
  private inFlight: Promise<void> | undefined;
  private lastSize: number;
  private refused = false;

  constructor(
    private readonly store: Store,
    readonly options: SnapshotOptions,
  ) {
    this.key = createHmac('sha256', 'evenhand-snapshot-key/v1').update(options.secret).digest();
    this.lastSize = 0;
  }

  get every(): number {
    return Math.max(1, this.options.every ?? DEFAULT_SNAPSHOT_EVERY);
  }

  /** The size of the last snapshot taken or restored. */
  get lastSnapshotSize(): number {
    return this.lastSize;
  }

  warn(message: string): void {
    (this.options.warn ?? ((text: string) => console.warn(`evenhand: ${text}`)))(message);
  }

  /**
   * A snapshot was not used, for `why`: warns, and has the full replay that follows write a
   * fresh one (`wanted`), or every start would try the same bad snapshot again.
   */
  refuse(size: number, why: string): void {
    this.refused = true;
    this.lastSize = 0;
    this.warn(`the snapshot at size ${size} is not used (${why}); replaying the whole log`);
  }

  /** Whether a full replay of `size` entries should end with a fresh snapshot: asked for, replacing a refused one, or due. */
  wanted(size: number): boolean {
    return this.options.fullReplay === true || this.refused || this.due(size);
  }

  replayed(index: number): void {
    this.options.onReplayed?.(index);
  }

  private mac(size: number, root: Uint8Array, json: Buffer, tree: Uint8Array | undefined): Buffer {
    const mac = createHmac('sha256', this.key).update(`evenhand-snapshot/v1\n${this.options.service}\n${size}\n${toBase64(root)}\n`).update(json);
    // Snapshots written before the tree was kept have none: their digest covers the JSON alone.
    if (tree) mac.update(`\nevenhand-snapshot-tree/v1\n${json.length}\n${tree.length}\n`).update(tree);
    return mac.digest();
  }

  /**
   * The latest snapshot, checked, with its tree; undefined (after a warning) when none holds.
   * `signedSize` is the size of a verified checkpoint (`vouchedSize`) that the caller will
   * compare the replay's root with (the exchange's last signed head, a gateway's last verified
   * checkpoint): that comparison ties the snapshot's leaves below it to the signed history, so
   * only the store's leaves beyond it are read and compared here (all of them without one). A
   * restart thus costs the entries not yet checkpointed, not the history. The store's rows
   * below it are not read: that they are the signed history is the full replay's to check
   * (`--full-replay`), as it was before snapshots.
   */
  async latest(signedSize?: number): Promise<UsableSnapshot | undefined> {
    if (this.options.fullReplay) return undefined;
    const [row] = await listSnapshots(this.store.db, this.options.service, 1);
    if (!row) return undefined;
    const refuse = (why: string): undefined => {
      this.refuse(row.size, why);
      return undefined;
    };
    let json: Buffer;
    try {
      json = gunzipSync(row.data);
    } catch (error) {
      return refuse(`its data does not decompress: ${error instanceof Error ? error.message : String(error)}`);
    }
    const mac = this.mac(row.size, row.root, json, row.tree);
    if (mac.length !== row.digest.length || !timingSafeEqual(mac, row.digest)) return refuse('SNAPSHOT_DIGEST_MISMATCH: its data, size, root or tree was changed after this service wrote it, or another key wrote it');
    let data: unknown;
    try {
      data = JSON.parse(json.toString('utf8'));
    } catch {
      return refuse('SNAPSHOT_SHAPE: not JSON');
    }
    const decoded = decodeReplaySnapshot(data);
    if (!decoded.ok) return refuse(`${decoded.error.code}: ${decoded.error.message}`);
    // Before a treaty, entry keys come from the log's first entry (AuthorKeyring), which a restart from a snapshot would not read.
    if (!decoded.value.state.treaty) return refuse('SNAPSHOT_BEFORE_TREATY: taken before a treaty was in force');
    if (decoded.value.size !== row.size || toBase64(decoded.value.root) !== toBase64(row.root)) return refuse('SNAPSHOT_INCONSISTENT: its data is of another size or root than its key');
    const size = decoded.value.size;
    // Written before snapshots kept their tree (migration 0016): the full replay writes one that does.
    if (!row.tree) return refuse('SNAPSHOT_SHAPE: it has no tree (written by an earlier version)');
    // A store that lost entries (a table restored from an older backup) must not start from a longer tree.
    if ((await countEntries(this.store.db)) < size) return refuse(`SNAPSHOT_ROOT_MISMATCH: the log holds fewer than ${size} entries`);
    const tree = MerkleTree.fromLevelBytes(size, row.tree);
    if (!tree.ok) return refuse(`SNAPSHOT_SHAPE: ${tree.error.message}`);
    // The store's own leaves beyond what the caller's signed root will vouch for must be the snapshot's.
    const differs = await this.firstLeafNotIn(tree.value, Math.min(size, signedSize ?? 0), size);
    if (differs !== undefined) return refuse(`SNAPSHOT_ROOT_MISMATCH: ${differs}`);
    const root = checkRoot(decoded.value, tree.value);
    if (!root.ok) return refuse(`${root.error.code}: ${root.error.message}`);
    return { decoded: decoded.value, tree: tree.value };
  }

  /** Where the store's leaves `from <= index < to` are not the tree's, in words; undefined when they all are. */
  private async firstLeafNotIn(tree: MerkleTree, from: number, to: number): Promise<string | undefined> {
    for (let start = from; start < to; start += LEAF_CHUNK) {
      const end = Math.min(to, start + LEAF_CHUNK);
      const hashes = await readLeafHashes(this.store.db, start, end);
      if (hashes.length !== end - start) return `the log holds fewer than ${to} entries`;
      const index = hashes.findIndex((hash, offset) => !bytesEqual(hash, tree.hashAt(0, start + offset)));
      if (index >= 0) return `the log's entry ${start + index} is not the snapshot's`;
    }
    return undefined;
  }

  /** Restores `parts` from a usable snapshot: they must be fresh (nothing replayed yet). */
  adopt(snapshot: UsableSnapshot, parts: ReplayParts): State {
    parts.verifier.adoptTree(snapshot.tree);
    snapshot.decoded.restore(parts);
    this.lastSize = snapshot.decoded.size;
    return snapshot.decoded.state;
  }

  /** Whether a replay at `size` is `every` entries past the last snapshot. */
  due(size: number): boolean {
    return size - this.lastSize >= this.every;
  }

  /**
   * Takes a snapshot of `parts` and `state` (which must describe the same size) and writes
   * it in the background; resolves once written. A snapshot already being written makes this
   * one skipped. A failure is a warning: the log itself is never affected.
   */
  save(parts: ReplayParts, state: State): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (parts.verifier.tree.size === 0) return Promise.resolve();
    const captured = captureReplay(parts);
    // Views of what the tree stored at this size, which its growth never changes (log tree.ts).
    const levels = parts.verifier.tree.levelBytes(captured.size);
    this.lastSize = captured.size;
    const write = async () => {
      // Off the caller's path: the state is immutable, so encoding it later gives the same data.
      await new Promise((resolve) => setImmediate(resolve));
      const json = Buffer.from(await jsonInSlices(withState(captured, state)), 'utf8');
      const root = Buffer.from(captured.root, 'base64');
      const tree = Buffer.concat(levels);
      await writeSnapshot(
        this.store.db,
        { service: this.options.service, size: captured.size, root, data: await gzipAsync(json), digest: this.mac(captured.size, root, json, tree), tree, createdAt: Math.floor(Date.now() / 1000) },
        this.options.keep ?? 2,
      );
    };
    this.inFlight = write()
      .catch((error: unknown) => this.warn(`the snapshot at size ${captured.size} was not written: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Waits for a snapshot being written (before the store closes). */
  async flush(): Promise<void> {
    await this.inFlight;
  }
}
