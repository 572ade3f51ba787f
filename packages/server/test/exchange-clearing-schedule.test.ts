import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyDomainEntry } from '@evenhand/core';
import { readEntries } from '@evenhand/store';
import { scenarioKeys, treatyWithKeys, waitFor } from '@evenhand/testing';
import { clearingDue } from '../src/exchange/clearing-routes.ts';
import { conditionalGrant, startStack, submitEntries, type Stack } from './exchange-stack.ts';

describe('clearing on the schedule the treaty sets', () => {
  it('is due at once when the treaty sets a schedule, then every everyHours, and never without one', () => {
    assert.equal(clearingDue(undefined, undefined, 1000), false);
    assert.equal(clearingDue(24, undefined, 1000), true);
    assert.equal(clearingDue(24, 1000, 1000 + 24 * 3600 - 1), false);
    assert.equal(clearingDue(24, 1000, 1000 + 24 * 3600), true);
  });

  describe('with a running exchange', () => {
    let stack: Stack;
    // The exchange's clock, moved forward by the test: a round may run as soon as the
    // treaty is adopted (before any grant exists), so the next one is due a day later.
    const start = Math.floor(Date.now() / 1000) - 7200;
    before(async () => {
      stack = await startStack({ extraAuthors: new Map([['exchange', scenarioKeys().log]]), clearingTickMs: 100, start });
    });
    after(async () => stack?.close());

    it('proposes trades by itself once a treaty with a schedule is in force, without anyone asking', async () => {
      const now = start + 7200;
      const treaty = { ...treatyWithKeys(stack.keys), clearing: { everyHours: 24, article: 'Arrangement art. 5(3)' } };
      const entries = [
        { author: 'US', time: now - 3600, type: 'treaty.propose', body: { treaty } },
        { author: 'US', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
        { author: 'RU', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
        ...conditionalGrant('US-1', 'US', 'RU', now - 3000),
        ...conditionalGrant('RU-1', 'RU', 'US', now - 3000),
      ] as unknown as AnyDomainEntry[];
      await submitEntries(stack, entries);
      stack.clock.advanceBy(25 * 3600);
      const trades = await waitFor('a scheduled clearing round to propose a trade', async () => {
        const listed = ((await (await fetch(`${stack.exchange.url}/v1/trades`)).json()) as { items: { proposedBy: string; legs: unknown[] }[] }).items;
        return listed.length > 0 ? listed : undefined;
      }, 30_000);
      assert.equal(trades.length, 1);
      assert.equal(trades[0]!.proposedBy, 'exchange');
      assert.equal(trades[0]!.legs.length, 2);
    });

    // The schedule counts from the last round the log records: a restart used to run a round at
    // its first tick whatever the schedule, and a writing round in every "idle" minute after it.
    // Rounds are counted from where the exchange closed: its close waits for a round in flight or
    // queued, while a count taken before it could miss a round whose trades were already listed.
    it('resumes the schedule after a restart, from the last round in the log', async () => {
      const closed = stack.exchange;
      await stack.restartExchange();
      const lastRoundAt = closed.sequencer.domainState.lastClearingRoundAt;
      const sizeAtClose = closed.sequencer.size;
      assert.ok(lastRoundAt !== undefined, 'a round was recorded, and the state knows when');
      const roundsSinceClose = async () => (await readEntries(stack.exchange.store.db, sizeAtClose, stack.exchange.sequencer.size)).filter((entry) => entry.type === 'clearing.round').length;
      // Twenty ticks of 100 ms, an hour later by the exchange's clock: the next round is due 24 hours after the last.
      stack.clock.advanceBy(3600);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(await roundsSinceClose(), 0, 'no round at the restart');
      assert.equal(stack.exchange.sequencer.domainState.lastClearingRoundAt, lastRoundAt);
      stack.clock.advanceBy(24 * 3600);
      await waitFor('the next round, a day on', async () => (await roundsSinceClose()) > 0, 30_000);
    });
  });
});
