/**
 * Verify and replay with signature checks (goal ≥ 12,000 entries/s per core since issue 14;
 * issue 3 asked 10,000): each
 * entry is strictly parsed, its author signature, chain and `seen` checked, appended to the
 * tree, and applied through core `apply`, and the statistics' index is read at the end; keys come from the treaty in force (AuthorKeyring). One thread, so the figure is per core.
 * Run: node --import tsx packages/log/bench/verify-replay.bench.ts [copies]
 *
 * The data: the 2021 scenario, with its requests copied `copies` times under fresh ids.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apply, figuresOf, genesis, loadTreaty, type AnyDomainEntry } from '@evenhand/core';
import {
  AuthorKeyring, domainPart, EMPTY_ROOT, entryLink, EntryVerifier, formatVerifierKey, makeSigner, MerkleTree, parseEntry, signEntry, toBase64, treatyOrigin, verifierOf,
  type JsonObject,
} from '../src/index.ts';
import { best, repeatedScenario, report } from '@evenhand/testing';
import { ed25519Ceiling } from './ed25519-ceiling.ts';

const copies = Number(process.argv[2] ?? 600);
const origin = treatyOrigin('us-ru-2021');
const signers = new Map(['US', 'RU'].map((party) => [party, makeSigner(party, new Uint8Array(createHash('sha256').update(party).digest()))]));
const loaded = loadTreaty(readFileSync(fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url)), 'utf8'));
if (!loaded.ok) throw new Error('treaty');
const treaty = { ...loaded.value, parties: loaded.value.parties.map((p) => ({ ...p, key: formatVerifierKey(verifierOf(signers.get(p.id)!)) })) };
const now = 1_700_000_000;
const domain: AnyDomainEntry[] = repeatedScenario(treaty, now, copies);

// Sign the log as its authors would (not timed).
const tree = new MerkleTree();
const last = new Map<string, { seq: number; link: string }>();
const entries = domain.map((item, index) => {
  const prior = last.get(item.author);
  const seenSize = Math.floor(index / 16) * 16;
  const { bytes } = signEntry({
    v: 1, log: origin, author: item.author, seq: (prior?.seq ?? 0) + 1, prev: prior?.link ?? '',
    seen: { size: seenSize, root: toBase64(seenSize === 0 ? EMPTY_ROOT : tree.root(seenSize)) }, time: item.time, type: item.type, body: JSON.parse(JSON.stringify(item.body)) as JsonObject,
  }, signers.get(item.author)!.seed);
  last.set(item.author, { seq: (prior?.seq ?? 0) + 1, link: entryLink(bytes) });
  tree.append(bytes);
  return bytes;
});

// Keys as every verifier resolves them: from the treaty in force over the replayed state.
const logKey = makeSigner(origin, new Uint8Array(32).fill(1)).publicKey;
const seconds = best(2, () => {
  let state = genesis();
  const keyring = new AuthorKeyring(logKey);
  const verifier = new EntryVerifier(origin, (author, entry) => keyring.keyOf(author, state, entry));
  for (const bytes of entries) {
    const parsed = parseEntry(bytes);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const accepted = verifier.add(bytes, { skewSeconds: 300, seenWitnessedAt: 'unchecked' }, parsed.value);
    if (!accepted.ok) throw new Error(accepted.error.message);
    const applied = apply(state, domainPart(parsed.value) as AnyDomainEntry);
    if (!applied.ok) throw new Error(`entry ${accepted.value.index}: ${applied.error.code} ${applied.error.message}`);
    state = applied.value;
  }
  // `verify` compares the public views at the end, and so reads the figure index once (core figure-cell.ts).
  figuresOf(state);
});
const ceiling = ed25519Ceiling(1300);
report(`verify + replay with signature checks (${entries.length.toLocaleString('en-US')} entries, one thread)`, entries.length / seconds, 'entries/s', 12_000, 'higher', `raw Ed25519 verification alone on this machine: ${Math.round(ceiling.verifyPerSecond).toLocaleString("en-US")}/s, which is ${Math.round(1e6 / ceiling.verifyPerSecond)} of the ${Math.round(1e6 * seconds / entries.length)} µs each entry took`);
