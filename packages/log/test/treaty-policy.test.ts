import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { genesis, type State, type Treaty } from '@evenhand/core';
import {
  addSignatureLines, cosign, formatPolicy, formatVerifierKey, logAndOwnWitness, makeSigner, SIGNATURE_COSIGNATURE_V1, ownWitnessKeyProblem, parsePolicy, signCheckpoint, TreatyHistory, treatyPolicy, verifierOf, verifyCheckpoint,
  type Policy,
} from '../src/index.ts';
import { logSigner, seedOf, witnessSigner } from './helpers.ts';

const ORIGIN = 'evenhand/test-treaty';
const log = logSigner(ORIGIN);
const vkey = (name: string) => formatVerifierKey(verifierOf(witnessSigner(name)));

/** What each gateway is configured with: the log key and its own witness (here US and TR), with their URLs. */
const configured: Policy = (() => {
  const parsed = parsePolicy(
    formatPolicy({
      logs: [{ key: verifierOf(log) }],
      witnesses: [
        { name: 'US', key: verifierOf(witnessSigner('US')), url: 'http://127.0.0.1:1/us' },
        { name: 'TR', key: verifierOf(witnessSigner('TR')) },
      ],
      quorum: 'US',
    }),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();

/** Only the fields treatyPolicy reads. */
function treaty(parties: readonly string[], neutralQuorum = 1, version = 1): Treaty {
  return {
    version,
    parties: parties.map((id) => ({ id, name: id, centralAuthority: id, witness: { key: vkey(id) } })),
    witnesses: { neutral: [{ name: 'CH', key: vkey('CH'), url: 'http://127.0.0.1:1/ch' }, { name: 'NO', key: vkey('NO') }], neutralQuorum, article: 'Arrangement art. 8' },
  } as unknown as Treaty;
}

function checkpoint(size: number, cosigners: readonly string[]): string {
  const signed = signCheckpoint({ origin: ORIGIN, size, root: new Uint8Array(32) }, log);
  if (!signed.ok) throw new Error(signed.error.message);
  const text = signed.value.slice(0, signed.value.indexOf('\n\n') + 1);
  return addSignatureLines(signed.value, cosigners.map((name) => cosign(text, witnessSigner(name), 1_700_000_000)));
}

describe('the witness policy comes from the treaty in force (issue 11)', () => {
  it('requires every party of the treaty and k of its neutral witnesses, so a state that joins brings its witness along', () => {
    const two = treatyPolicy(configured, treaty(['US', 'RU']), 'US');
    assert.ok(two.ok);
    assert.ok(verifyCheckpoint(checkpoint(5, ['US', 'RU', 'CH']), two.value, 'US').ok);
    assert.equal(verifyCheckpoint(checkpoint(5, ['US', 'RU']), two.value, 'US').ok, false, 'no neutral witness');
    const three = treatyPolicy(configured, treaty(['US', 'RU', 'TR'], 1, 2), 'US');
    assert.ok(three.ok);
    const result = verifyCheckpoint(checkpoint(5, ['US', 'RU', 'NO']), three.value, 'US');
    assert.equal(result.ok ? 'ok' : result.error.code, 'CHECKPOINT_QUORUM_NOT_MET', 'after TR joined, TR must cosign');
    assert.ok(verifyCheckpoint(checkpoint(5, ['US', 'RU', 'TR', 'NO']), three.value, 'US').ok);
    // URLs: the configuration's where it gives one, the treaty's otherwise.
    assert.equal(three.value.witnesses.get('CH')?.url, 'http://127.0.0.1:1/ch');
    assert.equal(three.value.witnesses.get('US')?.url, 'http://127.0.0.1:1/us');
    // Without a witnesses section the configured policy stands.
    const bare = treatyPolicy(configured, { ...treaty(['US', 'RU']), witnesses: undefined } as Treaty, 'US');
    assert.equal(bare.ok && bare.value, configured);
  });

  it("keeps the verifier's own witness key from its own configuration, and names a treaty that substitutes it", () => {
    const substituted = { ...treaty(['US', 'RU']), parties: [{ id: 'US', name: 'US', centralAuthority: 'US', witness: { key: formatVerifierKey(verifierOf(makeSigner('US', seedOf('operator-held US witness'), SIGNATURE_COSIGNATURE_V1))) } }, { id: 'RU', name: 'RU', centralAuthority: 'RU', witness: { key: vkey('RU') } }] } as unknown as Treaty;
    assert.match(ownWitnessKeyProblem(configured, substituted, 'US') ?? '', /gives US's witness a key other than the one US holds/);
    assert.equal(ownWitnessKeyProblem(configured, treaty(['US', 'RU']), 'US'), undefined);
    const policy = treatyPolicy(configured, substituted, 'US');
    assert.ok(policy.ok);
    // A cosignature by the substituted key does not count as US's.
    assert.equal(verifyCheckpoint(checkpoint(5, ['RU', 'CH']), policy.value, 'US').ok, false);
  });

  it('checks the log signature and the own witness first, whatever the quorum', () => {
    assert.ok(verifyCheckpoint(checkpoint(5, ['US']), logAndOwnWitness(configured, 'US'), 'US').ok);
    const missing = verifyCheckpoint(checkpoint(5, ['RU', 'CH']), logAndOwnWitness(configured, 'US'), 'US');
    assert.equal(missing.ok ? 'ok' : missing.error.code, 'CHECKPOINT_OWN_WITNESS_MISSING');
    assert.ok(verifyCheckpoint(checkpoint(5, []), logAndOwnWitness(configured, null), null).ok);
  });

  it('refuses a treaty whose witness keys are unusable, naming the field', () => {
    const broken = { ...treaty(['US', 'RU']), parties: [{ id: 'US', name: 'US', centralAuthority: 'US' }, { id: 'RU', name: 'RU', centralAuthority: 'RU', witness: { key: formatVerifierKey(verifierOf(log)) } }] } as unknown as Treaty;
    const result = treatyPolicy(configured, broken, 'US');
    assert.ok(!result.ok);
    assert.match(result.error.message, /parties\[0\]\.witness: party US names no witness/);
    assert.match(result.error.message, /parties\[1\]\.witness\.key: a witness key must be cosignature\/v1/);
  });

  it('remembers which treaty was in force at each size', () => {
    const history = new TreatyHistory();
    const first = treaty(['US', 'RU']);
    const second = treaty(['US', 'RU', 'TR'], 1, 2);
    const at = (size: number, t: Treaty | undefined): State => ({ ...genesis(), size, treaty: t });
    for (const [size, t] of [[1, undefined], [2, undefined], [3, first], [4, first], [9, second], [10, second]] as const) history.observe(at(size, t));
    assert.deepEqual([0, 2, 3, 8, 9, 100].map((size) => history.at(size)?.version), [undefined, undefined, 1, 1, 2, 2]);
  });
});
