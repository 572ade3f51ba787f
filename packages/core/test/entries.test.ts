import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryBodySchemas } from '../src/index.ts';

describe('entry bodies', () => {
  const decide = { request: 'US-1', decision: 'refuse', ground: 'ne-bis-in-idem', approvers: ['ru-approver-1', 'ru-approver-2'] };

  it('keeps findings to the facts actually found, without filling the others with false', () => {
    const parsed = entryBodySchemas['request.decide'].parse({ ...decide, findings: { finalJudgment: true } });
    assert.deepEqual(parsed.findings, { finalJudgment: true });
    assert.deepEqual(entryBodySchemas['request.decide'].parse(decide).findings, {});
  });

  it('rejects an unknown fact and a sealed member that is neither plaintext nor a JWE', () => {
    assert.equal(entryBodySchemas['request.decide'].safeParse({ ...decide, findings: { guilty: true } }).success, false);
    assert.equal(entryBodySchemas['request.decide'].safeParse({ ...decide, sealed: { jwe: '' } }).success, false);
    assert.equal(entryBodySchemas['request.decide'].safeParse({ ...decide, sealed: { reasons: 'r', extra: 1 } }).success, false);
    assert.equal(entryBodySchemas['request.decide'].safeParse({ ...decide, sealed: { jwe: '{"ciphertext":"x"}' } }).success, true);
  });
});
