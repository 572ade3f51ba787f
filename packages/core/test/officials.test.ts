import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { approvedEntry, foundingRegistration, testOfficial } from '@evenhand/testing';
import { apply, getOfficial, type AnyDomainEntry, type EntryType, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, fileBody, run, refused } from './request-helpers.ts';

const treaty = treaty2021();

const ru1 = testOfficial('ru-approver-1');
const ru2 = testOfficial('ru-approver-2');
const ru3 = testOfficial('ru-approver-3');
const intruder = testOfficial('intruder');
const official = testOfficial;

/** An act of `author` signed by two officials (ids and seeds may be mismatched on purpose). */
function approved(author: string, time: number, type: EntryType, body: Record<string, unknown>, signers: { id: string; seed: Uint8Array }[]): AnyDomainEntry {
  return approvedEntry(treaty.id, author, time, type, body, signers);
}

const founding = foundingRegistration('RU', day(0), [ru1, ru2]);
/** Adopted, RU's founding set registered, and US-1 filed against RU and acknowledged. */
function ready(): State {
  return run([...adoption(treaty), founding, entry('US', day(0), 'request.file', fileBody('US-1', { subject: { pseudonym: 'p-1', nationalities: ['US'], ageAtOffence: 30 } })), entry('RU', day(1), 'request.acknowledge', { request: 'US-1' })]);
}
const grant = { request: 'US-1', decision: 'grant' as const };

describe('officials and approvals anyone can check (issue 13)', () => {
  it('a decision of a state with registered officials applies with two valid signatures', () => {
    const state = run([approved('RU', day(2), 'request.decide', grant, [ru1, ru2])], ready());
    assert.equal(state.requests && getOfficial(state.officials, 'RU', 'ru-approver-1')?.key, ru1.key);
  });

  it('without signatures it is refused once the state has registered officials', () => {
    refused(ready(), entry('RU', day(2), 'request.decide', { ...grant, approvers: [ru1.id, ru2.id] }), 'APPROVALS_REQUIRED');
  });

  it('a forged second approval is refused: an unregistered official, or a registered one signed with another key', () => {
    refused(ready(), approved('RU', day(2), 'request.decide', grant, [ru1, intruder]), 'OFFICIAL_UNKNOWN');
    refused(ready(), approved('RU', day(2), 'request.decide', grant, [ru1, { id: ru2.id, seed: intruder.seed }]), 'APPROVAL_INVALID');
  });

  it('the same official twice is refused', () => {
    refused(ready(), approved('RU', day(2), 'request.decide', grant, [ru1, ru1]), 'APPROVERS_NOT_DISTINCT');
  });

  it('a signature over another act does not carry over', () => {
    const signedRefusal = approved('RU', day(2), 'request.decide', { ...grant, decision: 'refuse-prosecute', ground: 'nationality' }, [ru1, ru2]);
    const swapped = entry('RU', day(2), 'request.decide', { ...grant, approvers: [ru1.id, ru2.id], approvals: (signedRefusal.body as { approvals: string[] }).approvals });
    refused(ready(), swapped, 'APPROVAL_INVALID');
  });

  it('a state with no registered officials cannot show approvals yet, and its unsigned acts still apply', () => {
    const unregistered = run([...adoption(treaty), entry('RU', day(0), 'request.file', fileBody('RU-1', { requested: 'US', subject: { pseudonym: 'p-2', nationalities: ['RU'], ageAtOffence: 30 } })), entry('US', day(1), 'request.acknowledge', { request: 'RU-1' })]);
    const us1 = official('us-approver-1');
    const us2 = official('us-approver-2');
    refused(unregistered, approved('US', day(2), 'request.decide', { request: 'RU-1', decision: 'grant' }, [us1, us2]), 'APPROVALS_UNEXPECTED');
    assert.ok(apply(unregistered, entry('US', day(2), 'request.decide', { request: 'RU-1', decision: 'grant', approvers: [us1.id, us2.id] })).ok);
  });

  it('a founding set needs two officials; later registrations need two registered approvers', () => {
    const adopted = run(adoption(treaty));
    refused(adopted, entry('RU', day(0), 'official.register', { officials: [{ id: ru1.id, key: ru1.key }] }), 'OFFICIALS_TOO_FEW');
    const later = { officials: [{ id: ru3.id, key: ru3.key }] };
    refused(ready(), entry('RU', day(2), 'official.register', later), 'APPROVALS_REQUIRED');
    const state = run([approved('RU', day(2), 'official.register', later, [ru1, ru2])], ready());
    assert.equal(state.officials.counts.RU?.active, 3);
  });

  it('ids and keys are never reused, within a state or across states', () => {
    refused(ready(), approved('RU', day(2), 'official.register', { officials: [{ id: ru1.id, key: ru3.key }] }, [ru1, ru2]), 'OFFICIAL_EXISTS');
    refused(ready(), approved('RU', day(2), 'official.register', { officials: [{ id: ru3.id, key: ru1.key }] }, [ru1, ru2]), 'OFFICIAL_KEY_REUSED');
    refused(ready(), entry('US', day(2), 'official.register', { officials: [{ id: 'us-approver-1', key: ru2.key }, { id: 'us-approver-2', key: official('us-approver-2').key }] }), 'OFFICIAL_KEY_REUSED');
  });

  it('a revoked official approves nothing after the revocation; a state keeps at least two', () => {
    refused(ready(), approved('RU', day(2), 'official.revoke', { official: ru2.id }, [ru1, ru2]), 'OFFICIALS_TOO_FEW');
    const revoked = run([approved('RU', day(2), 'official.register', { officials: [{ id: ru3.id, key: ru3.key }] }, [ru1, ru2]), approved('RU', day(2), 'official.revoke', { official: ru2.id, reason: 'left the office' }, [ru1, ru3])], ready());
    assert.equal(getOfficial(revoked.officials, 'RU', ru2.id)?.revokedAt?.index, revoked.size - 1);
    refused(revoked, approved('RU', day(3), 'request.decide', grant, [ru1, ru2]), 'OFFICIAL_REVOKED');
    assert.ok(apply(revoked, approved('RU', day(3), 'request.decide', grant, [ru3, ru1])).ok);
    refused(revoked, approved('RU', day(3), 'official.revoke', { official: ru2.id }, [ru1, ru3]), 'OFFICIAL_REVOKED');
  });

  it('only a party of the treaty registers officials, for itself', () => {
    refused(run(adoption(treaty)), entry('CH', day(0), 'official.register', { officials: [ru1, ru2].map(({ id, key }) => ({ id, key })) }), 'AUTHOR_NOT_A_PARTY');
  });

  it('property: any change to a signed decision body, or a signature by any other key, is refused', () => {
    const base = ready();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('grant', 'grant-conditional'), fc.boolean(), (seed, decision, onReciprocity) => {
        const body = { request: 'US-1', decision: 'grant', onReciprocity: false };
        const honest = approved('RU', day(2), 'request.decide', body, [ru1, ru2]);
        assert.ok(apply(base, honest).ok);
        const other = { ...body, decision, onReciprocity };
        const changed = { ...honest, body: { ...other, approvers: [ru1.id, ru2.id], approvals: (honest.body as { approvals: string[] }).approvals } } as AnyDomainEntry;
        const same = decision === 'grant' && !onReciprocity;
        assert.equal(apply(base, changed).ok, same);
        const forged = approved('RU', day(2), 'request.decide', body, [ru1, { id: ru2.id, seed }]);
        const isRealKey = Buffer.from(seed).equals(Buffer.from(ru2.seed));
        const result = apply(base, forged);
        assert.equal(result.ok, isRealKey);
        if (!result.ok) assert.equal(result.error.code, 'APPROVAL_INVALID');
      }),
      { numRuns: 100 },
    );
  });
});
