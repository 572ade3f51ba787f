import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  addSignatureLines, cosign, formatCheckpoint, formatPolicy, formatVerifierKey, openNote, parseCheckpoint, parsePolicy, parseSignerKey,
  parseVerifierKey, quorumSatisfied, signCheckpoint, signNote, treatyOrigin, verifierOf, verifyCheckpoint, makeSigner, EMPTY_ROOT, fromBase64, toBase64, type Policy,
} from '../src/index.ts';
import { logSigner, seedOf, witnessSigner } from './helpers.ts';

const goVector = JSON.parse(readFileSync(new URL('./vectors/signed-note-go.json', import.meta.url), 'utf8'));

test('Go note vectors: the vkey parses, our signature equals Go\'s byte for byte, and opens', () => {
  const verifier = parseVerifierKey(goVector.vkey);
  assert.ok(verifier.ok);
  const signer = parseSignerKey(goVector.skey);
  assert.ok(signer.ok);
  assert.equal(formatVerifierKey(verifierOf(signer.value)), goVector.vkey);
  const signed = signNote(goVector.text, [signer.value]);
  assert.ok(signed.ok);
  assert.equal(signed.value, goVector.signed);
  const opened = openNote(goVector.signed, [verifier.value]);
  assert.ok(opened.ok);
  assert.equal(opened.value.verified.length, 1);
  for (const bad of goVector.badKeys) assert.equal(parseVerifierKey(bad).ok, false, bad);
});

test('unknown signers are ignored, a bad signature by a known key rejects, 16+ signatures accepted', () => {
  const verifier = parseVerifierKey(goVector.vkey);
  assert.ok(verifier.ok);
  const strangers = Array.from({ length: 20 }, (_, i) => makeSigner(`stranger${i}`, seedOf(`stranger${i}`)));
  const lines = strangers.map((s) => signNote(goVector.text, [s])).map((r) => (r.ok ? r.value.slice(goVector.text.length + 1) : ''));
  const crowded = addSignatureLines(goVector.signed, lines);
  const opened = openNote(crowded, [verifier.value]);
  assert.ok(opened.ok);
  assert.equal(opened.value.verified.length, 1);
  assert.equal(opened.value.unknown.length, 20);
  // A known key's signature over other text: reject the whole note.
  const forged = goVector.signed.replace('problem,', 'problem;');
  const rejected = openNote(forged, [verifier.value]);
  assert.equal(rejected.ok ? '' : rejected.error.code, 'NOTE_BAD_SIGNATURE');
  // The same forged note with the key unknown is merely unverified.
  const ignored = openNote(forged, []);
  assert.ok(ignored.ok);
  assert.equal(ignored.value.verified.length, 0);
});

test('malformed notes are rejected', () => {
  for (const bad of ['no signatures\n', 'text\n\n', 'text\n\n- name AAAA\n', 'text\u0001\n\n\u2014 a AAAAAAA=\n', 'text\n\n\u2014 a AAAAAAA=']) {
    const opened = openNote(bad, []);
    assert.equal(opened.ok ? '' : opened.error.code, 'NOTE_MALFORMED', JSON.stringify(bad));
  }
});

const origin = treatyOrigin('us-ru-2021');
const log = logSigner(origin);
const witnesses = ['US', 'RU', 'CH', 'NGO'].map(witnessSigner);
const [US, RU, CH, NGO] = witnesses as [ReturnType<typeof witnessSigner>, ReturnType<typeof witnessSigner>, ReturnType<typeof witnessSigner>, ReturnType<typeof witnessSigner>];

function policyText(): string {
  return formatPolicy({
    logs: [{ key: verifierOf(log) }],
    witnesses: witnesses.map((w) => ({ name: w.name, key: verifierOf(w) })),
    groups: [
      { name: 'states', threshold: 2, members: ['US', 'RU'] },
      { name: 'neutrals', threshold: 1, members: ['CH', 'NGO'] },
      { name: 'all', threshold: 2, members: ['states', 'neutrals'] },
    ],
    quorum: 'all',
  });
}

function policy(): Policy {
  const parsed = parsePolicy(policyText());
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.value;
}

test('checkpoints round-trip and the log signs with the origin as key name', () => {
  const text = formatCheckpoint({ origin, size: 0, root: EMPTY_ROOT });
  assert.equal(text, `${origin}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`);
  const parsed = parseCheckpoint(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.size, 0);
  for (const bad of [`${origin}\n01\nAAAA\n`, `${origin}\n5\n`, `${origin}\n5\nnotbase64\n`, `\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`]) {
    assert.equal(parseCheckpoint(bad).ok, false, bad);
  }
  const wrong = signCheckpoint({ origin: 'other', size: 0, root: EMPTY_ROOT }, log);
  assert.equal(wrong.ok ? '' : wrong.error.code, 'CHECKPOINT_WRONG_ORIGIN');
});

function cosigned(signers: readonly ReturnType<typeof witnessSigner>[], time = 1_700_000_000): string {
  const text = formatCheckpoint({ origin, size: 3, root: EMPTY_ROOT });
  const signed = signCheckpoint({ origin, size: 3, root: EMPTY_ROOT }, log);
  assert.ok(signed.ok);
  return addSignatureLines(signed.value, signers.map((w) => cosign(text, w, time)));
}

test('cosignature/v1: made, verified with its timestamp, and checked against the quorum', () => {
  const result = verifyCheckpoint(cosigned([US, RU, CH]), policy(), 'US');
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value.cosignatures.map((c) => [c.witness, c.timestamp]), [['US', 1_700_000_000], ['RU', 1_700_000_000], ['CH', 1_700_000_000]]);
});

test('verifyCheckpoint rejects: own witness missing, quorum short, no log signature, tampered cosignature', () => {
  const own = verifyCheckpoint(cosigned([RU, CH, NGO]), policy(), 'US');
  assert.equal(own.ok ? '' : own.error.code, 'CHECKPOINT_OWN_WITNESS_MISSING');
  const quorum = verifyCheckpoint(cosigned([US, CH]), policy(), 'US');
  assert.equal(quorum.ok ? '' : quorum.error.code, 'CHECKPOINT_QUORUM_NOT_MET');
  const text = formatCheckpoint({ origin, size: 3, root: EMPTY_ROOT });
  const unsigned = `${text}\n${[US, RU, CH].map((w) => cosign(text, w, 1)).join('')}`;
  const nolog = verifyCheckpoint(unsigned, policy(), 'US');
  assert.equal(nolog.ok ? '' : nolog.error.code, 'CHECKPOINT_NO_LOG_SIGNATURE');
  // A cosignature whose timestamp was altered no longer verifies: the note is rejected.
  const note = cosigned([US, RU, CH]);
  const line = cosign(text, CH, 1_700_000_000);
  const encoded = line.slice(line.lastIndexOf(' ') + 1, -1);
  const bytes = fromBase64(encoded) ?? assert.fail('cosignature is not base64');
  bytes[11] = (bytes[11] as number) ^ 1; // the timestamp's last byte (after the 4-byte key ID)
  const spliced = note.replace(encoded, toBase64(bytes));
  assert.notEqual(spliced, note);
  const tampered = verifyCheckpoint(spliced, policy(), 'US');
  assert.equal(tampered.ok ? '' : tampered.error.code, 'NOTE_BAD_SIGNATURE');
});

test('unknown-key witness signatures mixed in are ignored, not rejected', () => {
  const text = formatCheckpoint({ origin, size: 3, root: EMPTY_ROOT });
  const strangers = Array.from({ length: 16 }, (_, i) => witnessSigner(`intruder${i}`));
  const note = addSignatureLines(cosigned([US, RU, CH]), strangers.map((w) => cosign(text, w, 5)));
  const result = verifyCheckpoint(note, policy(), 'RU');
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.equal(result.value.cosignatures.length, 3);
  // A witness key reused under a policy name: same name+id as US but another key's signature.
  const impostor = makeSigner('US', seedOf('impostor'), 0x04);
  const imposter = addSignatureLines(cosigned([RU, CH]), [cosign(text, impostor, 5)]);
  const own = verifyCheckpoint(imposter, policy(), 'US');
  assert.equal(own.ok ? '' : own.error.code, 'CHECKPOINT_OWN_WITNESS_MISSING');
});

test('tlog-policy parsing: groups, thresholds and every problem reported', () => {
  const p = policy();
  assert.equal(p.logs.length, 1);
  assert.equal(p.witnesses.size, 4);
  assert.equal(quorumSatisfied(p, new Set(['US', 'RU', 'NGO'])), true);
  assert.equal(quorumSatisfied(p, new Set(['US', 'CH', 'NGO'])), false);
  const bad = parsePolicy(`log ${formatVerifierKey(verifierOf(US))}\nwitness A ${formatVerifierKey(verifierOf(log))}\ngroup g 3 A\ngroup h any Z\nquorum nobody\nquorum none\nbogus\n`);
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'POLICY_MALFORMED');
    for (const part of ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 7']) assert.match(bad.error.message, new RegExp(part));
  }
  const none = parsePolicy('# comment\n\t \nquorum none\n');
  assert.ok(none.ok);
  assert.equal(quorumSatisfied(none.value, new Set()), true);
  const missing = parsePolicy('log x\n');
  assert.equal(missing.ok, false);
});
