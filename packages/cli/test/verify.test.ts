import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cosign, formatCheckpoint, formatVerifierKey, makeSigner, parseEntry, signEntry, verifierOf, type Entry } from '@evenhand/log';
import { keyAmendment, treatyWithKeys } from '@evenhand/testing';
import { runCli } from './run-cli.ts';
import { longDomainEntries, makeKeys, NOW, scenarioDomainEntries, signEntries, writeLog, writePolicy, type Keys } from './verify-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'evenhand-verify-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys: Keys = makeKeys();
const entries = signEntries(scenarioDomainEntries(keys), keys);
const policy = join(work, 'policy.txt');
writePolicy(policy, keys);
let counter = 0;

/** A fresh run directory: its own log dir and its own state, evidence and mirror dirs. */
function fresh(label: string) {
  const base = join(work, `${++counter}-${label}`);
  return { log: join(base, 'log'), state: join(base, 'state.json'), evidence: join(base, 'evidence'), mirror: join(base, 'mirror') };
}

function verify(run: ReturnType<typeof fresh>, party = 'US', extra: string[] = []) {
  return runCli(['verify', '--log', run.log, '--policy', policy, '--as', party, '--state', run.state, '--evidence', run.evidence, '--mirror', run.mirror, '--now', String(NOW), ...extra]);
}

function parsed(bytes: Uint8Array): Entry {
  const entry = parseEntry(bytes);
  assert.ok(entry.ok);
  return entry.value;
}

function expectFailure(result: ReturnType<typeof runCli>, code: string): void {
  assert.equal(result.status, 1, `expected exit 1 with ${code}; stdout: ${result.stdout} stderr: ${result.stderr}`);
  assert.match(result.stderr, new RegExp(`FAILED \\[${code}\\]`), result.stderr);
}

test('the 2021 scenario log verifies as US and as RU, prints statistics, and mirrors the tiles', () => {
  const run = fresh('honest');
  writeLog(run.log, entries, keys);
  const us = verify(run, 'US', ['--key', formatVerifierKey(verifierOf(keys.authors.get('US')!))]);
  assert.equal(us.status, 0, us.stderr);
  assert.match(us.stdout, new RegExp(`Checkpoint evenhand/us-ru-2021 at size ${entries.length}: signed by the log, cosigned by US, RU, CH`));
  assert.match(us.stdout, /First verification of this log/);
  assert.match(us.stdout, /US -> RU: \d+ filed/);
  assert.match(us.stdout, /unanswered past the deadline/);
  assert.ok(existsSync(join(run.mirror, 'checkpoint')));
  assert.ok(existsSync(join(run.mirror, 'tile/entries/000.p/' + entries.length)));
  const again = verify(run, 'US');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`Consistent with the checkpoint of size ${entries.length} accepted before`));
  const ru = verify({ ...run, state: join(run.log, '..', 'ru.json') }, 'RU');
  assert.equal(ru.status, 0, ru.stderr);
});

test('a grown log is checked for consistency with the last run', () => {
  const run = fresh('grown');
  writeLog(run.log, entries.slice(0, 10), keys);
  assert.equal(verify(run).status, 0);
  writeLog(run.log, entries, keys);
  const grown = verify(run);
  assert.equal(grown.status, 0, grown.stderr);
  assert.match(grown.stdout, /Consistent with the checkpoint of size 10 accepted before/);
});

test('a long log (over 2,000 entries, several tiles) reports progress on stderr and verifies', () => {
  const run = fresh('long');
  const long = signEntries(longDomainEntries(keys, 80), keys);
  assert.ok(long.length > 2_000);
  // The copies run 400 days apart, decades past NOW: the checkpoint is cosigned after the last.
  const cosignedAt = parsed(long.at(-1)!).time + 60;
  writeLog(run.log, long, keys, { time: cosignedAt });
  const result = verify(run, 'US', ['--now', String(cosignedAt)]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`verify: ${long.length}/${long.length} entries checked and replayed \\(100%\\)`));
  assert.ok(result.stderr.split('\n').filter((line) => line.startsWith('verify: ')).length >= 5);
  assert.match(result.stdout, new RegExp(`${long.length} entries verified`));
  const quiet = verify({ ...run, state: `${run.state}.quiet` }, 'US', ['--no-progress', '--now', String(cosignedAt)]);
  assert.equal(quiet.status, 0);
  assert.doesNotMatch(quiet.stderr, /entries checked/);
});

test('unreadable input exits 2: a directory without a checkpoint, a policy that does not parse', () => {
  const run = fresh('missing');
  const missing = verify(run);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no checkpoint in the log directory/);
  const badPolicy = join(work, 'bad-policy.txt');
  writeFileSync(badPolicy, 'log not-a-key\nquorum nobody\n');
  const unparsable = runCli(['verify', '--log', run.log, '--policy', badPolicy, '--as', 'US']);
  assert.equal(unparsable.status, 2);
  assert.match(unparsable.stderr, /bad-policy\.txt is not a valid tlog-policy/);
  // A URL source is tested against a running exchange in verify-http.test.ts.
});

// Adversarial logs. The operator is assumed to hold the log key and, where stated, to have
// the witnesses' cooperation; authors' keys stay with their authors.

test('one byte changed in an entry bundle: the entry no longer hashes to its leaf', () => {
  const run = fresh('byte');
  writeLog(run.log, entries, keys);
  const path = join(run.log, 'tile/entries', `000.p/${entries.length}`);
  const bundle = readFileSync(path);
  const at = bundle.indexOf('US-2021-001');
  assert.ok(at > 0);
  bundle[at + 3] = '9'.charCodeAt(0);
  writeFileSync(path, bundle);
  expectFailure(verify(run), 'ENTRY_HASH_MISMATCH');
  // Even if the operator rebuilds the tiles and has the checkpoint cosigned again, the
  // author's signature over the changed entry fails.
  const colluding = fresh('byte-colluding');
  const target = entries.findIndex((bytes) => Buffer.from(bytes).includes('US-2021-001'));
  const changed = entries.map((bytes, i) => (i === target ? Buffer.from(Buffer.from(bytes).toString('utf8').replace('US-2021-001', 'US-2021-009')) : bytes));
  writeLog(colluding.log, changed, keys);
  expectFailure(verify(colluding), 'ENTRY_BAD_SIGNATURE');
});

test('an entry dropped: the author\'s chain breaks', () => {
  const run = fresh('dropped');
  const authors = entries.map((bytes) => parsed(bytes).author);
  // A drop whose next entry has the same author and whose `seen` stays within the prefix.
  const i = authors.findIndex((author, k) => k > 3 && author === authors[k + 1] && (k + 1) % 5 !== 0);
  assert.ok(i > 0);
  writeLog(run.log, [...entries.slice(0, i), ...entries.slice(i + 1)], keys);
  const result = verify(run);
  expectFailure(result, 'ENTRY_CHAIN_BROKEN');
  assert.match(result.stderr, /missing or out of order/);
});

test('two entries of one author swapped: reported as reordered', () => {
  const run = fresh('swapped');
  const authors = entries.map((bytes) => parsed(bytes).author);
  const i = authors.findIndex((author, k) => k > 3 && author === authors[k + 1]);
  const swapped = [...entries];
  [swapped[i], swapped[i + 1]] = [swapped[i + 1] as Uint8Array, swapped[i] as Uint8Array];
  writeLog(run.log, swapped, keys);
  expectFailure(verify(run), 'ENTRY_REORDERED');
});

test('a forged author signature: the entry is refused', () => {
  const run = fresh('forged');
  const victim = parsed(entries[8] as Uint8Array);
  const { sig: _sig, ...unsigned } = victim;
  const forger = makeSigner(victim.author, new Uint8Array(32).fill(9));
  const forged = [...entries];
  forged[8] = signEntry(unsigned, forger.seed).bytes;
  writeLog(run.log, forged, keys);
  const result = verify(run);
  expectFailure(result, 'ENTRY_BAD_SIGNATURE');
  assert.match(result.stderr, /entry 8: sig: not a valid signature/);
});

test('a replayed entry (reused seq): refused as a replay', () => {
  const run = fresh('replayed');
  writeLog(run.log, [...entries, entries[6] as Uint8Array], keys);
  expectFailure(verify(run), 'ENTRY_REPLAYED');
});

test('an equivocating checkpoint (same size, other root): refused, both checkpoints kept', () => {
  const run = fresh('equivocation');
  const honest = writeLog(run.log, entries, keys);
  assert.equal(verify(run).status, 0);
  const last = parsed(entries[entries.length - 1] as Uint8Array);
  const { sig: _sig, ...unsigned } = last;
  const other = [...entries.slice(0, -1), signEntry({ ...unsigned, time: last.time + 1 }, keys.authors.get(last.author)!.seed).bytes];
  const fork = writeLog(run.log, other, keys);
  assert.equal(fork.tree.size, honest.tree.size);
  const result = verify(run);
  expectFailure(result, 'EQUIVOCATION');
  const [folder] = readdirSync(run.evidence);
  assert.ok(folder);
  assert.equal(readFileSync(join(run.evidence, folder, 'previous.checkpoint'), 'utf8'), honest.note);
  assert.equal(readFileSync(join(run.evidence, folder, 'current.checkpoint'), 'utf8'), fork.note);
});

test('a checkpoint cosigned over a tree inconsistent with the last one: split view, evidence kept', () => {
  const run = fresh('split');
  const first = writeLog(run.log, entries.slice(0, 12), keys);
  assert.equal(verify(run).status, 0);
  // A fork: entry 11 replaced by another, then the rest; every witness cosigns it.
  const e11 = parsed(entries[11] as Uint8Array);
  const { sig: _sig, ...unsigned } = e11;
  const fork = writeLog(run.log, [...entries.slice(0, 11), signEntry({ ...unsigned, time: e11.time + 5 }, keys.authors.get(e11.author)!.seed).bytes, ...entries.slice(12)], keys);
  const result = verify(run);
  expectFailure(result, 'SPLIT_VIEW');
  assert.match(result.stderr, /kept as evidence/);
  const [folder] = readdirSync(run.evidence);
  assert.equal(readFileSync(join(run.evidence, folder as string, 'previous.checkpoint'), 'utf8'), first.note);
  assert.equal(readFileSync(join(run.evidence, folder as string, 'current.checkpoint'), 'utf8'), fork.note);
  // A cosignature made over another (inconsistent) tree and pasted into the honest checkpoint.
  const paste = fresh('pasted-cosignature');
  const honest = writeLog(paste.log, entries, keys, { witnesses: ['US', 'RU'] });
  const otherTree = formatCheckpoint({ origin: honest.note.split('\n')[0] as string, size: entries.length, root: first.tree.root() });
  writeFileSync(join(paste.log, 'checkpoint'), honest.note + cosign(otherTree, keys.witnesses.get('CH')!, NOW));
  expectFailure(verify(paste), 'NOTE_BAD_SIGNATURE');
});

test('a checkpoint without the verifier\'s own witness: refused', () => {
  const run = fresh('own-witness');
  writeLog(run.log, entries, keys, { witnesses: ['RU', 'CH'] });
  expectFailure(verify(run, 'US'), 'CHECKPOINT_OWN_WITNESS_MISSING');
});

test('witness signatures from unknown keys mixed in: ignored, not rejected', () => {
  const run = fresh('unknown-witnesses');
  const strangers = Array.from({ length: 17 }, (_, i) => makeSigner(i % 2 ? `stranger-${i}` : 'CH', new Uint8Array(32).fill(i + 1), 0x04));
  writeLog(run.log, entries, keys, { extraCosigners: strangers });
  const result = verify(run);
  assert.equal(result.status, 0, result.stderr);
});

test('a log whose entries as the verifier are signed with a key it never held is refused at the first, with --key', () => {
  const run = fresh('substituted-key');
  writeLog(run.log, entries, keys);
  const mine = makeSigner('US', new Uint8Array(32).fill(42));
  const result = verify(run, 'US', ['--key', formatVerifierKey(verifierOf(mine))]);
  expectFailure(result, 'ENTRY_NOT_OURS');
  assert.match(result.stderr, /entry 2 \(treaty\.ratify, seq 1\) is authored as US but signed with a key US never held/);
  // Without its keys, verify says what it rests on instead.
  const trusting = verify({ ...fresh('substituted-key-trusting'), log: run.log }, 'US');
  assert.equal(trusting.status, 0, trusting.stderr);
  assert.match(trusting.stderr, /rests on the witnesses' cosignatures alone/);
});

test('a key changed by treaty amendment is followed: the old key is refused after adoption, --key must be the new one', () => {
  const rotated = makeSigner('US', new Uint8Array(32).fill(7));
  const domain = scenarioDomainEntries(keys);
  // Entries 0-2 adopt version 1; the amendment (propose, ratify US, ratify RU) adopts version 2 at 5.
  const amendment = keyAmendment(treatyWithKeys(keys), new Map([['US', rotated]]), domain[2]!.time);
  const amendedDomain = [...domain.slice(0, 3), ...amendment.entries, ...domain.slice(3)];
  const adoptedAt = 3 + amendment.entries.length - 1;
  const followed = signEntries(amendedDomain, keys, (index, author) => (author === 'US' && index > adoptedAt ? rotated : undefined));
  assert.ok(amendedDomain.slice(adoptedAt + 1).some((item) => item.author === 'US'), 'the scenario has US entries after the amendment');
  const run = fresh('rotated-key');
  writeLog(run.log, followed, keys);
  const oldKey = formatVerifierKey(verifierOf(keys.authors.get('US')!));
  const newKey = formatVerifierKey(verifierOf(rotated));
  // The whole key history, as flags or as the file a gateway keeps.
  const withBoth = verify(run, 'US', ['--key', oldKey, '--key', newKey]);
  assert.equal(withBoth.status, 0, withBoth.stderr);
  const historyFile = join(run.log, '..', 'us-entry.key.history');
  writeFileSync(historyFile, `# US's entry keys\n${oldKey}\n${newKey}\n`);
  const fromFile = verify({ ...fresh('rotated-key-file'), log: run.log }, 'US', ['--key-history', historyFile]);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  // Only the new key: the entries US signed before the amendment are not under any key given.
  expectFailure(verify({ ...fresh('rotated-key-new'), log: run.log }, 'US', ['--key', newKey]), 'ENTRY_NOT_OURS');
  // Only the old key: US's first entry after the adoption is signed with a key not given.
  const withOld = verify({ ...fresh('rotated-key-old'), log: run.log }, 'US', ['--key', oldKey]);
  expectFailure(withOld, 'ENTRY_NOT_OURS');
  assert.match(withOld.stderr, new RegExp(`entry ${adoptedAt + 1}|entry \\d+ \\(`));
  // US going on with its old key once the amendment is adopted: its next entry is refused.
  const stale = fresh('rotated-key-stale');
  writeLog(stale.log, signEntries(amendedDomain, keys), keys);
  const refused = verify(stale);
  expectFailure(refused, 'ENTRY_BAD_SIGNATURE');
});

// Issue 14: a daily audit must not cost what the whole history costs.

/** The statistics a run printed: what a resumed run and a full replay must agree on. */
const statisticsOf = (stdout: string) => stdout.slice(stdout.indexOf('Statistics recomputed'));

test('a run goes on from the replay the last run kept: it checks the entries since, across tiles, and ends where a full replay ends', () => {
  const run = fresh('resumed');
  const long = signEntries(longDomainEntries(keys, 80), keys);
  const cosignedAt = parsed(long.at(-1)!).time + 60;
  // Not at a tile's edge: the run takes up inside the bundle that holds the cut.
  const cut = 700;
  writeLog(run.log, long.slice(0, cut), keys, { time: cosignedAt });
  const first = verify(run, 'US', ['--now', String(cosignedAt)]);
  assert.equal(first.status, 0, first.stderr);
  assert.doesNotMatch(first.stdout, /Went on from/);
  assert.ok(existsSync(run.state.replace(/\.json$/, '.replay')), 'the replay is kept beside the state file');

  writeLog(run.log, long, keys, { time: cosignedAt });
  const resumed = verify(run, 'US', ['--now', String(cosignedAt)]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`Went on from the replay this verifier kept at size ${cut}: the ${long.length - cut} entries after it were checked now`));
  assert.match(resumed.stdout, new RegExp(`${long.length} entries verified`));
  assert.match(resumed.stderr, new RegExp(`verify: ${long.length}/${long.length} entries checked and replayed`));

  const full = verify(run, 'US', ['--now', String(cosignedAt), '--full-replay']);
  assert.equal(full.status, 0, full.stderr);
  assert.doesNotMatch(full.stdout, /Went on from/);
  assert.equal(statisticsOf(resumed.stdout), statisticsOf(full.stdout));

  // The mirror the resumed run left holds the whole log: it verifies from scratch.
  const fromMirror = verify({ ...fresh('from-mirror'), log: run.mirror }, 'US', ['--now', String(cosignedAt)]);
  assert.equal(fromMirror.status, 0, fromMirror.stderr);
  assert.match(fromMirror.stdout, new RegExp(`${long.length} entries verified`));
  assert.equal(statisticsOf(fromMirror.stdout), statisticsOf(full.stdout));
});

test('the kept replay is used only when it holds: another party or keys, a mirror without its checkpoint, or edited bytes mean a full replay', () => {
  const base = fresh('kept');
  writeLog(base.log, entries.slice(0, 20), keys);
  assert.equal(verify(base).status, 0);
  const replayOf = (run: ReturnType<typeof fresh>) => run.state.replace(/\.json$/, '.replay');
  /** A copy of the state the first run left, with the log grown. */
  const copy = (label: string) => {
    const run = fresh(label);
    cpSync(join(base.log, '..'), join(run.log, '..'), { recursive: true });
    const moved = { ...run, state: join(run.log, '..', 'state.json'), mirror: join(run.log, '..', 'mirror'), evidence: join(run.log, '..', 'evidence') };
    writeLog(moved.log, entries, keys);
    return moved;
  };
  const fullReplayWith = (run: ReturnType<typeof fresh>, why: RegExp, extra: string[] = []) => {
    const result = verify(run, 'US', extra);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, why);
    assert.doesNotMatch(result.stdout, /Went on from/);
    assert.match(result.stdout, new RegExp(`${entries.length} entries verified`));
  };
  const sound = copy('sound');
  const resumed = verify(sound);
  assert.match(resumed.stdout, /Went on from the replay this verifier kept at size 20/, resumed.stderr);

  // Made without --key: the entries before it were not checked against the party's keys.
  fullReplayWith(copy('with-key'), /is not used \(it was made for US with 0 key\(s\), this run is for US with 1\)/, ['--key', formatVerifierKey(verifierOf(keys.authors.get('US')!))]);
  const mirrorless = copy('mirrorless');
  rmSync(mirrorless.mirror, { recursive: true, force: true });
  fullReplayWith(mirrorless, /the mirror does not hold the checkpoint accepted last time/);
  // One hash of the kept tree changed, one that the root is not computed from (the subtree of
  // leaves 8 to 16, under that of 0 to 16): its children tell.
  const inner = copy('inner-edited');
  const bytes = readFileSync(replayOf(inner));
  bytes[bytes.length - 40]! ^= 1;
  writeFileSync(replayOf(inner), bytes);
  fullReplayWith(inner, /is not used \(its tree's hash 1 at level 3 is not its children's\)/);
  // A sound replay of another checkpoint (the log at 19 entries) in its place: not the one accepted.
  const other = fresh('other-replay');
  writeLog(other.log, entries.slice(0, 19), keys);
  assert.equal(verify(other).status, 0);
  const swapped = copy('swapped');
  cpSync(replayOf(other), replayOf(swapped));
  fullReplayWith(swapped, /is not of the checkpoint accepted last time; every entry was replayed/);
  // Its compressed data cut short: it does not read back.
  const cut = copy('data-cut');
  const whole = readFileSync(replayOf(cut));
  writeFileSync(replayOf(cut), whole.subarray(0, whole.length - 1));
  fullReplayWith(cut, /is not used \(its lengths do not match the file\)/);
});

test('a run that goes on refuses what a full run refuses: an archived note edited below the cut, an entry dated back after it', () => {
  /** The outcome of a first run on the log's first 20 entries and a second on `tampered`, and of one full run on it. */
  const both = (label: string, tampered: readonly Uint8Array[], edit: (log: string) => void = () => undefined) => {
    const run = fresh(label);
    writeLog(run.log, tampered.slice(0, 20), keys);
    const first = verify(run);
    assert.equal(first.status, 0, first.stderr);
    writeLog(run.log, tampered, keys);
    edit(run.log);
    const full = verify({ ...fresh(`${label}-full`), log: run.log });
    const resumed = verify(run);
    const code = (result: ReturnType<typeof runCli>) => /FAILED \[([A-Z_]+)\]/.exec(result.stderr)?.[1];
    assert.equal(full.status, 1, full.stdout);
    assert.equal(resumed.status, 1, resumed.stdout);
    assert.equal(code(resumed), code(full), `full: ${full.stderr}\nresumed: ${resumed.stderr}`);
  };
  // The archived checkpoint of size 5 (below the cut, on the page the run reads) with its signature altered.
  both('archive-edited', entries, (log) => {
    const page = join(log, 'checkpoints/000');
    const notes = JSON.parse(readFileSync(page, 'utf8')) as string[];
    const lines = notes[0]!.split('\n');
    const signature = lines.findIndex((line) => line.startsWith('— '));
    lines[signature] = lines[signature]!.replace(/.(=*)$/, (last, pad) => `${last[0] === 'A' ? 'B' : 'A'}${pad}`);
    notes[0] = lines.join('\n');
    writeFileSync(page, JSON.stringify(notes));
  });
  // The entry after the cut dated a month before the one ahead of it: the restored times and state must refuse it.
  const domain = scenarioDomainEntries(keys);
  const backdated = domain.map((entry, i) => (i === 20 ? { ...entry, time: domain[19]!.time - 30 * 86_400 } : entry));
  both('backdated', signEntries(backdated, keys));
});
