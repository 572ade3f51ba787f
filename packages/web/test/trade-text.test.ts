import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handedOverAt, legLabel, legsPhrase, statusText, todoText } from '../src/console/trade-text.ts';
import type { Trade, TradeObligation } from '../src/console/types.ts';

/** A two-leg trade as GET /api/trades/:id answers it (packages/server routes-trades.ts). */
function trade(overrides: Partial<Trade> = {}): Trade {
  return {
    id: 'T-1',
    proposedBy: 'US',
    proposedAt: 1_000,
    coordinator: 'exchange',
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
    acts: { available: [], unavailable: [] },
    proposals: [],
    obligations: [],
    ...overrides,
  };
}

const owes = (party: string, kind: TradeObligation['kind'], leg?: number): TradeObligation => ({ trade: 'T-1', party, kind, due: 1_000 + 30 * 86_400, overdue: false, ...(leg === undefined ? {} : { leg }) });

describe('the console trade wording', () => {
  it('names each leg by pseudonym, direction and source', () => {
    const [request, voluntary] = trade().legs;
    assert.equal(legLabel(request!), 'bank-fraud-04: US → RU (request RU-2021-001)');
    assert.equal(legLabel({ ...voluntary!, weight: 3 }), 'pardoned-01: RU → US (voluntary: pardon, weight 3)');
    assert.deepEqual([legsPhrase([0]), legsPhrase([0, 1]), legsPhrase([0, 1, 2])], ['leg 1', 'legs 1 and 2', 'legs 1, 2 and 3']);
  });

  it("says what this state still owes from the core's obligations, and whom the trade waits for otherwise", () => {
    assert.equal(todoText(trade({ signedBy: ['US'], obligations: [owes('RU', 'trade-sign')] }), 'RU'), 'sign (two approvers), which commits it');
    assert.equal(todoText(trade({ signedBy: ['US'], obligations: [owes('RU', 'trade-sign')] }), 'US'), 'nothing: awaiting the signature of RU');
    assert.match(todoText(trade({ signedBy: ['RU', 'US'], obligations: [owes('US', 'trade-commit'), owes('RU', 'trade-commit')] }), 'US'), /^commit: every party has signed/);
    const committed = trade({ status: 'committed', signedBy: ['RU', 'US'], obligations: [owes('US', 'trade-hand-over', 0), owes('US', 'trade-confirm-receipt', 1)] });
    assert.equal(todoText(committed, 'US'), 'hand over leg 1 (reviewer records it); confirm receipt of leg 2 (reviewer)');
    assert.equal(todoText(committed, 'RU'), 'nothing: awaiting the handover by US');
  });

  it('counts a leg handed over by either record, and words the third ending', () => {
    assert.equal(handedOverAt({ ...trade().legs[0]!, surrenderedAt: 50, attestedAt: 40 }), 40);
    assert.equal(handedOverAt({ ...trade().legs[0]!, surrenderedAt: 50 }), 50);
    assert.equal(handedOverAt(trade().legs[0]!), undefined);
    assert.equal(statusText('receipt-unconfirmed'), 'called off with a receipt unconfirmed');
  });
});
