import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actLabel, actRequest, legLabel, legsPhrase, todoText, tradeActs } from '../src/console/trade-text.ts';
import type { Trade } from '../src/console/types.ts';

/** A two-leg trade as GET /api/trades/:id answers it (packages/server routes-trades.ts). */
function trade(overrides: Partial<Trade> = {}): Trade {
  return {
    id: 'T-1',
    proposedBy: 'US',
    proposedAt: 1_000,
    coordinator: 'US',
    deadline: 1_000 + 30 * 86_400,
    legs: [
      { kind: 'request', request: 'RU-2021-001', from: 'US', to: 'RU', subject: 'bank-fraud-04', weight: 1 },
      { kind: 'voluntary', from: 'RU', to: 'US', subject: 'pardoned-01', reason: 'pardon', weight: 1 },
    ],
    parties: ['RU', 'US'],
    signedBy: [],
    status: 'proposed',
    breaches: [],
    history: [],
    todo: { sign: true, attest: [], confirmReceipt: [] },
    ...overrides,
  };
}

describe('the console trade wording and the acts each role may take', () => {
  it('names each leg by pseudonym, direction and source', () => {
    const [request, voluntary] = trade().legs;
    assert.equal(legLabel(request!), 'bank-fraud-04: US → RU (request RU-2021-001)');
    assert.equal(legLabel({ ...voluntary!, weight: 3 }), 'pardoned-01: RU → US (voluntary: pardon, weight 3)');
    assert.deepEqual([legsPhrase([0]), legsPhrase([0, 1]), legsPhrase([0, 1, 2])], ['leg 1', 'legs 1 and 2', 'legs 1, 2 and 3']);
  });

  it('gives approvers the signature and the attestations, reviewers the receipts, observers and clerks nothing', () => {
    const proposed = trade();
    assert.deepEqual(tradeActs(proposed, 'approver'), [{ kind: 'sign' }]);
    assert.deepEqual(tradeActs(proposed, 'reviewer'), []);
    const committed = trade({ status: 'committed', signedBy: ['RU', 'US'], todo: { sign: false, attest: [0, 1], confirmReceipt: [1] } });
    assert.deepEqual(tradeActs(committed, 'approver'), [{ kind: 'attest', leg: 0 }, { kind: 'attest', leg: 1 }]);
    assert.deepEqual(tradeActs(committed, 'reviewer'), [{ kind: 'confirm-receipt', leg: 1 }]);
    for (const role of ['observer', 'clerk'] as const) assert.deepEqual(tradeActs(committed, role), []);
  });

  it('says when a signature is the last one, and what the API is sent', () => {
    assert.equal(actLabel(trade(), { kind: 'sign' }, 'US'), 'Sign for US');
    assert.equal(actLabel(trade({ signedBy: ['US'] }), { kind: 'sign' }, 'RU'), 'Sign for RU and commit');
    assert.match(todoText(trade({ signedBy: ['US'] }), 'RU'), /^sign \(approver\), which commits it$/);
    assert.equal(todoText(trade({ signedBy: ['US'], todo: { sign: false, attest: [], confirmReceipt: [] } }), 'US'), 'nothing: awaiting the signature of RU');
    assert.deepEqual(actRequest(trade(), { kind: 'attest', leg: 1 }), { path: '/api/trades/T-1/attest', body: { leg: 1, identity: true, health: true } });
    assert.deepEqual(actRequest(trade(), { kind: 'confirm-receipt', leg: 0 }), { path: '/api/trades/T-1/confirm-receipt', body: { leg: 0 } });
  });

  it('offers approvers a commit when every party signed but the signatures crossed', () => {
    const crossed = trade({ signedBy: ['RU', 'US'], todo: { sign: false, commit: true, attest: [], confirmReceipt: [] } });
    assert.deepEqual(tradeActs(crossed, 'approver'), [{ kind: 'commit' }]);
    assert.deepEqual(tradeActs(crossed, 'observer'), []);
    assert.equal(actLabel(crossed, { kind: 'commit' }, 'US'), 'Commit the trade');
    assert.deepEqual(actRequest(crossed, { kind: 'commit' }), { path: `/api/trades/${crossed.id}/commit`, body: {} });
    assert.match(todoText(crossed, 'US'), /commit: every party has signed/);
  });
});
