import { apply, genesis, skewOf, type AnyDomainEntry, type State } from '@evenhand/core';
import { err, ok, type Result } from '@evenhand/core';
import {
  AuthorKeyring, bytesEqual, CaseIndex, domainPart, leafHash, EntryVerifier, logAndOwnWitness, ownWitnessKeyProblem, parseEntry, TILE_WIDTH, TileWindow, toBase64, TreatyHistory, treatyPolicy, verifyCheckpoint,
  openReceipt, verifyConsistency, witnessedTime, WitnessedTimeline, type Checkpoint, type DecodedReplay, type LogError, type MerkleTree, type NoteVerifier, type Policy, type ReplayParts, type VerifiedCheckpoint,
} from '@evenhand/log';
import { checkOpening, checkOwnKey } from './author-keys.ts';

export interface VerifyFailure {
  /** A @evenhand/log or @evenhand/core code, or one of this file's (SPLIT_VIEW, ...). */
  readonly code: string;
  readonly message: string;
  /** Both signed checkpoints when they contradict each other. */
  readonly evidence?: { readonly previous: string; readonly current: string };
}

/** Reads a tile or entry bundle of the log (an exchange over HTTP, a directory): undefined when it has none. */
export type AsyncTileFetch = (path: string) => Promise<Uint8Array | undefined>;

export interface VerifyInput {
  readonly fetch: AsyncTileFetch;
  readonly note: string;
  readonly policy: Policy;
  /** The verifying party: its witness (same name in the policy) must have cosigned. */
  readonly party: string;
  /**
   * Every entry key the verifying party has held (--key, --key-history). When given, each
   * entry authored as the party, from the first, must be signed by one of them, and the
   * treaty in force must give the party one of them.
   */
  readonly partyKeys?: readonly NoteVerifier[];
  /** The checkpoint note accepted on the previous run, if any. */
  readonly previous?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** The verifier's clock: a cosignature dated further ahead than the treaty's skew is not counted. */
  readonly now: number;
  /** A first verification (no previous checkpoint) accepts a checkpoint no older than this. */
  readonly maxAgeSeconds: number;
  /** Told before each entry bundle is read, so a source can fetch the next ones ahead. */
  readonly onBundle?: (n: number) => void;
  /** The exchange's signed receipts to check against the log (verify --receipts), by name. */
  readonly receipts?: ReadonlyMap<string, string>;
  /** Other parties' latest cosigned checkpoints (their witnesses' /checkpoint/cosigned), by witness. */
  readonly peers?: ReadonlyMap<string, string>;
  /**
   * The replay of the previous run, at the checkpoint it accepted (replay-file.ts): used only
   * if its tree gives that checkpoint's root, and the run then checks the entries after it.
   */
  readonly resume?: { readonly decoded: DecodedReplay; readonly tree: MerkleTree } | undefined;
}

export interface VerifyReport {
  readonly checkpoint: VerifiedCheckpoint;
  readonly previousSize: number | null;
  readonly entries: number;
  readonly authors: readonly string[];
  readonly state: State;
  /** Receipts checked: honoured (the entry is at its index), and pending (not yet due). */
  readonly receipts: { readonly honoured: number; readonly pending: number };
  /** How many other witnesses' latest checkpoints were compared and found consistent. */
  readonly peers: number;
  /** The size the run went on from (the previous run's replay), or 0 when it replayed every entry. */
  readonly resumedFrom: number;
  /** What the replay built, for the next run to go on from (replay-file.ts). */
  readonly replay: ReplayParts;
}

function fail(code: string, message: string, evidence?: VerifyFailure['evidence']): Result<never, VerifyFailure> {
  return err(evidence ? { code, message, evidence } : { code, message });
}

/** Index of the entry of `author` with `seq` at or after `from`, to tell a reordering from a drop. */
async function findLater(window: TileWindow, from: number, author: string, seq: number): Promise<number | undefined> {
  for (let n = Math.floor(from / TILE_WIDTH); n < Math.ceil(window.size / TILE_WIDTH); n++) {
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) return undefined;
    for (const [i, bytes] of bundle.value.entries()) {
      const index = n * TILE_WIDTH + i;
      if (index < from) continue;
      const entry = parseEntry(bytes);
      if (entry.ok && entry.value.author === author && entry.value.seq === seq) return index;
    }
  }
  return undefined;
}

/**
 * The whole audit of a log (issue 3, `evenhand verify`): the log's signature and the
 * verifier's own witness, consistency with the last accepted checkpoint, the tiles against
 * the root, then every entry (canonical bytes, author signature, author chain, `seen`, and
 * the verifier's own keys, its time against the witnessed times of the log's checkpoint
 * archive, log time-rules.ts) replayed through core `apply`, and last the quorum of the treaty
 * in force at the checkpoint's size. Tiles are read through a bounded window, one bundle
 * after another: memory does not grow with the size a checkpoint claims, and a size the
 * source cannot back fails with the tile it lacks.
 */
export async function verifyLog(input: VerifyInput): Promise<Result<VerifyReport, VerifyFailure>> {
  // The log's signature and the verifier's own witness now; the quorum, which the treaty in
  // force at the checkpoint's size sets, once every entry up to that size is checked.
  const checked = verifyCheckpoint(input.note, logAndOwnWitness(input.policy, input.party), input.party);
  if (!checked.ok) return fail(checked.error.code, `checkpoint: ${checked.error.message}`);
  const { origin, size, root } = checked.value.checkpoint;
  const window = new TileWindow(input.fetch, size);

  const tilesRoot = await window.run((reader) => reader.root());
  if (!tilesRoot.ok) {
    const why = tilesRoot.error.code === 'TILE_MISSING' ? `the log does not back a tree of size ${size}: ${tilesRoot.error.message}` : tilesRoot.error.message;
    return fail(tilesRoot.error.code, `tiles: ${why}`);
  }
  if (!bytesEqual(tilesRoot.value, root)) return fail('ROOT_MISMATCH', `tiles: they give the root ${toBase64(tilesRoot.value)}, the checkpoint says ${toBase64(root)}`);

  let previousSize: number | null = null;
  let accepted: Checkpoint | undefined;
  if (input.previous !== undefined) {
    // The previous note was verified when it was accepted; here only its tree matters.
    const prior = verifyCheckpoint(input.previous, logAndOwnWitness(input.policy, null), null);
    if (!prior.ok) return fail('STATE_INVALID', `state file: the last accepted checkpoint no longer verifies: ${prior.error.message}`);
    const before = prior.value.checkpoint;
    if (before.origin === origin) {
      previousSize = before.size;
      const evidence = { previous: input.previous, current: input.note };
      if (before.size === size && !bytesEqual(before.root, root)) {
        return fail('EQUIVOCATION', `checkpoint: the log signed two different trees of size ${size} (${toBase64(before.root)} before, ${toBase64(root)} now)`, evidence);
      }
      if (before.size > size) {
        return fail('ROLLBACK', `checkpoint: size ${size} is smaller than the size ${before.size} accepted before: the log shows an older view`);
      }
      const proof = await window.run((reader) => reader.consistencyProof(before.size, size));
      if (!proof.ok) return fail(proof.error.code, `tiles: cannot build the consistency proof from ${before.size} to ${size}: ${proof.error.message}`);
      const consistent = verifyConsistency(before.size, size, proof.value, before.root, root);
      if (!consistent.ok) {
        return fail('SPLIT_VIEW', `checkpoint: the tree of size ${size} does not extend the tree of size ${before.size} accepted before (${consistent.error.message})`, evidence);
      }
      accepted = before;
    }
  }

  const logKey = input.policy.logs.find((log) => log.key.name === origin)?.key;
  if (!logKey) return fail('CHECKPOINT_WRONG_ORIGIN', `policy: no log key named ${origin}`);
  let state = genesis();
  const treaties = new TreatyHistory();
  const keyring = new AuthorKeyring(logKey.publicKey);
  // Keys follow the log: each entry is checked against the treaty in force before it.
  const verifier = new EntryVerifier(origin, (author, entry) => keyring.keyOf(author, state, entry));
  // Entry times against witnessed time (log time-rules.ts): the archive's checkpoints, each
  // believed once the log signed it, the quorum of its treaty cosigned it, and its root is ours.
  const timeline = new WitnessedTimeline(input.fetch, (archived, at): Result<number, LogError> => {
    const policy = treatyPolicy(input.policy, treaties.at(at), input.party);
    if (!policy.ok) return policy;
    const checked = verifyCheckpoint(archived, policy.value, null, { now: input.now, skewSeconds: skewOf(treaties.at(at)) });
    if (!checked.ok) return checked;
    if (!bytesEqual(checked.value.checkpoint.root, verifier.tree.root(at))) return err({ code: 'ROOT_MISMATCH', message: `its root is not the one these entries build at size ${at}` });
    return ok(witnessedTime(checked.value));
  });
  const cases = new CaseIndex();
  // The previous run's replay stands for the entries under the checkpoint it accepted, whose
  // note verified again above and which the tiles extend consistently: its tree must give
  // that checkpoint's root. Taken after a treaty only, since keys before it come from entry 0.
  const resume = input.resume;
  const resumedFrom = resume && accepted && resume.decoded.state.treaty && resume.tree.size === accepted.size && bytesEqual(resume.tree.root(), accepted.root) && bytesEqual(resume.decoded.root, accepted.root) ? accepted.size : 0;
  if (resume && resumedFrom > 0) {
    verifier.adoptTree(resume.tree);
    resume.decoded.restore({ verifier, treaties, cases });
    state = resume.decoded.state;
    // A full replay checks every archived note of each page it reads; so must this run, for the pages it reads.
    timeline.checkEveryNoteUpTo(resumedFrom);
  }
  const bundles = Math.ceil(size / TILE_WIDTH);
  for (let n = Math.floor(resumedFrom / TILE_WIDTH); n < bundles; n++) {
    input.onBundle?.(n);
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) return fail(bundle.error.code, bundle.error.message);
    for (const [offset, bytes] of bundle.value.entries()) {
      if (n * TILE_WIDTH + offset < resumedFrom) {
        // Before the resumed size, in the bundle that holds it: the kept tree's leaf, which its root vouches for.
        if (!bytesEqual(leafHash(bytes), verifier.tree.hashAt(0, n * TILE_WIDTH + offset))) return fail('ENTRY_HASH_MISMATCH', `entry ${n * TILE_WIDTH + offset}: its bytes are not the entry the checkpoint accepted last time holds there`);
        continue;
      }
      const index = verifier.tree.size;
      const parsed = parseEntry(bytes);
      if (!parsed.ok) return fail(parsed.error.code, `entry ${index}: ${parsed.error.message}`);
      if (index === 0) {
        const opening = checkOpening(parsed.value);
        if (!opening.ok) return opening;
      }
      if (input.partyKeys && input.partyKeys.length > 0 && parsed.value.author === input.party) {
        // Entry by entry: a history opened or amended with keys the party never held is not
        // its own, whatever key the treaty gives it at the end.
        const key = keyring.keyOf(parsed.value.author, state, parsed.value);
        if (!key || !input.partyKeys.some((own) => bytesEqual(own.publicKey, key))) {
          return fail('ENTRY_NOT_OURS', `entry ${index} (${parsed.value.type}, seq ${parsed.value.seq}) is authored as ${input.party} but signed with a key ${input.party} never held (not among --key/--key-history): the log holds history ${input.party} did not make`);
        }
      }
      const seen = await timeline.witnessedAt(parsed.value.seen.size, verifier.tree.size);
      if (!seen.ok) return fail(seen.error.code, `entry ${index}: seen: ${seen.error.message}`);
      const expected = verifier.chains.expected(parsed.value.author);
      const accepted = verifier.add(bytes, { skewSeconds: skewOf(state.treaty), seenWitnessedAt: seen.value }, parsed.value);
      if (!accepted.ok) {
        if (accepted.error.code === 'ENTRY_CHAIN_BROKEN' && parsed.value.seq > expected.seq) {
          const later = await findLater(window, index + 1, parsed.value.author, expected.seq);
          if (later !== undefined) {
            return fail('ENTRY_REORDERED', `entry ${index}: ${parsed.value.author}'s entries are out of order: seq ${parsed.value.seq} is at index ${index}, its seq ${expected.seq} comes later at index ${later}`);
          }
        }
        return fail(accepted.error.code, accepted.error.message);
      }
      const applied = apply(state, domainPart(parsed.value) as AnyDomainEntry);
      if (!applied.ok) return fail(applied.error.code, `entry ${index}: the state machine refuses ${parsed.value.type} by ${parsed.value.author}: ${applied.error.message}`);
      state = applied.value;
      treaties.observe(state);
      const covering = await timeline.witnessedAt(verifier.tree.size);
      if (!covering.ok) return fail(covering.error.code, covering.error.message);
      if (covering.value !== undefined) {
        const covered = verifier.times.cover(verifier.tree.size, covering.value, skewOf(state.treaty));
        if (!covered.ok) return fail(covered.error.code, covered.error.message);
      }
    }
    input.onProgress?.(verifier.tree.size, size);
  }
  if (!bytesEqual(verifier.tree.root(), root)) return fail('ROOT_MISMATCH', `entries: they give the root ${toBase64(verifier.tree.root())}, the checkpoint says ${toBase64(root)}`);
  const own = checkOwnKey(keyring, state, { party: input.party, keys: input.partyKeys ?? [] });
  if (!own.ok) return own;
  const witnessKey = ownWitnessKeyProblem(input.policy, state.treaty, input.party);
  if (witnessKey) return fail('KEY_SUBSTITUTED', `treaty: ${witnessKey}`);
  const policy = treatyPolicy(input.policy, treaties.at(size), input.party);
  if (!policy.ok) return fail(policy.error.code, `checkpoint: ${policy.error.message}`);
  const quorum = verifyCheckpoint(input.note, policy.value, input.party, { now: input.now, skewSeconds: skewOf(treaties.at(size)), ...(input.previous === undefined ? { maxAgeSeconds: input.maxAgeSeconds } : {}) });
  if (!quorum.ok) return fail(quorum.error.code, `checkpoint: ${quorum.error.message}`);
  const covered = verifier.times.cover(size, witnessedTime(quorum.value), skewOf(state.treaty));
  if (!covered.ok) return fail(covered.error.code, covered.error.message);
  const receipts = checkReceipts(input.receipts ?? new Map(), logKey, verifier, quorum.value);
  if (!receipts.ok) return receipts;
  for (const [peer, peerNote] of input.peers ?? new Map<string, string>()) {
    const compared = await comparePeer(input, verifier, peer, peerNote);
    if (!compared.ok) return compared;
  }
  return ok({ checkpoint: quorum.value, previousSize, entries: size, authors: verifier.chains.authors(), state, receipts: receipts.value, peers: input.peers?.size ?? 0, resumedFrom, replay: { verifier, treaties, cases } });
}

/**
 * Each receipt must be the log key's; its entry must be at its index when the tree reaches
 * it, and a checkpoint cosigned after its include-by time must reach it. Otherwise the
 * receipt with this checkpoint proves censorship (log receipt.ts `verifyCensorshipProof`).
 */
function checkReceipts(receipts: ReadonlyMap<string, string>, logKey: NoteVerifier, verifier: EntryVerifier, checkpoint: VerifiedCheckpoint): Result<{ honoured: number; pending: number }, VerifyFailure> {
  let honoured = 0;
  let pending = 0;
  const { size } = checkpoint.checkpoint;
  const cosignedAt = Math.min(...checkpoint.cosignatures.map((each) => each.timestamp));
  for (const [name, note] of receipts) {
    const receipt = openReceipt(note, logKey);
    if (!receipt.ok) return fail('RECEIPT_INVALID', `receipt ${name}: ${receipt.error.message}`);
    const { index, leafHash, includeBy } = receipt.value;
    if (index < size) {
      if (!bytesEqual(verifier.tree.hashAt(0, index), leafHash)) return fail('CENSORED', `receipt ${name}: the log holds another entry at index ${index}, where the exchange's signed receipt put this one`);
      honoured += 1;
    } else if (cosignedAt > includeBy) {
      return fail('CENSORED', `receipt ${name}: the exchange promised entry ${index} by ${includeBy}, and its checkpoint of size ${size}, cosigned at ${cosignedAt}, does not reach it`);
    } else {
      pending += 1;
    }
  }
  return ok({ honoured, pending });
}

/**
 * Another party's latest cosigned checkpoint must be a tree of the same log: the verified tree
 * at its size, or one the source's tiles extend the verified tree to (issue 12, "split views
 * across parties"). Otherwise the log showed that party another history: both notes are kept.
 */
async function comparePeer(input: VerifyInput, verifier: EntryVerifier, peer: string, peerNote: string): Promise<Result<true, VerifyFailure>> {
  const checked = verifyCheckpoint(peerNote, logAndOwnWitness(input.policy, null), null);
  if (!checked.ok) return ok(true); // not this log's checkpoint: it proves nothing either way
  const { size, root } = checked.value.checkpoint;
  const evidence = { previous: peerNote, current: input.note };
  const own = verifier.tree.size;
  if (size <= own) {
    if (bytesEqual(verifier.tree.root(size), root)) return ok(true);
    return fail('SPLIT_VIEW', `${peer}'s witness cosigned a tree of size ${size} other than the one this log shows at that size: the log shows the parties different histories`, evidence);
  }
  const window = new TileWindow(input.fetch, size);
  const tilesRoot = await window.run((reader) => reader.root());
  const proof = await window.run((reader) => reader.consistencyProof(own, size));
  if (tilesRoot.ok && bytesEqual(tilesRoot.value, root) && proof.ok && verifyConsistency(own, size, proof.value, verifier.tree.root(), root).ok) return ok(true);
  return fail('SPLIT_VIEW', `${peer}'s witness cosigned a tree of size ${size} that this log does not extend to: the log shows the parties different histories`, evidence);
}
