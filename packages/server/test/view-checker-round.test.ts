import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, genesis, type State } from '@evenhand/core';
import { honestView, repeatedScenario, scenarioKeys, treatyWithKeys } from '@evenhand/testing';
import { ViewChecker } from '../src/gateway/monitor.ts';
import type { Alarms } from '../src/gateway/alarms.ts';
import type { ExchangeClient } from '../src/gateway/exchange-client.ts';
import type { LogMirror } from '../src/gateway/mirror.ts';

const START = 1_700_000_000;

function statesAlong(count: number): State[] {
  const states = [genesis()];
  for (const entry of repeatedScenario(treatyWithKeys(scenarioKeys()), START, 1).slice(0, count)) {
    const applied = apply(states.at(-1)!, entry);
    assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
    states.push(applied.value);
  }
  return states;
}

/**
 * The sustained benchmark raised a false VIEW_MISMATCH on the deadlines ("differs from this
 * gateway's replay"): a round asks every view at the mirror's size when it begins, but the
 * deadlines were recomputed from the mirror's state after the statistics had been awaited, and
 * the mirror had grown meanwhile. A round compares every view with the replay at its own size.
 */
test('a round compares every view at the size it began with, though the mirror grows while it waits', async () => {
  const states = statesAlong(40);
  const owed = (state: State) => (honestView(state, 'deadlines', { at: String(START) }) as { items: unknown[] }).items;
  const early = states.findIndex((state) => owed(state).length > 0);
  assert.ok(early > 0, 'the scenario owes something early on');
  const late = states.length - 1;
  assert.notDeepEqual(honestView(states[early]!, 'deadlines', { at: String(START) }), honestView(states[late]!, 'deadlines', { at: String(START) }), 'the two sizes owe different things');
  const mirror = { size: early, state: states[early]! };
  const asked: string[] = [];
  const exchange = {
    async view(path: string) {
      const url = new URL(path, 'http://exchange');
      const view = url.pathname.replace('/v1/', '');
      const size = Number(url.searchParams.get('size'));
      asked.push(`${view}@${size}`);
      // As the wire gives it: JSON, without the undefined members an object in memory may hold.
      const body = JSON.parse(JSON.stringify({ ...(honestView(states[size]!, view, Object.fromEntries(url.searchParams)) as object), size })) as object;
      // The mirror verifies more entries while the statistics are on their way.
      if (view === 'statistics') Object.assign(mirror, { size: late, state: states[late]! });
      return { served: true as const, body };
    },
  };
  const raised: string[] = [];
  const alarms = { raise: (code: string, message: string) => raised.push(`${code}: ${message}`), clear: () => undefined };
  const checker = new ViewChecker(exchange as unknown as ExchangeClient, mirror as unknown as LogMirror, alarms as unknown as Alarms, () => START);
  await checker.check(true);
  assert.ok(asked.includes(`deadlines@${early}`) && asked.includes(`statistics@${early}`), `both views were asked at the round's size: ${asked.join(', ')}`);
  assert.deepEqual(raised, [], 'an honest exchange raises nothing');
});
