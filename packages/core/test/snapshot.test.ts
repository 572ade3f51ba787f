import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply, decodeState, expiredTrades, openTrades, encodeState, legalActs, scenario2021, type State } from '../src/index.ts';
import { actEntry, authors, openTargets } from './legal-acts-support.ts';
import { walk } from './legal-acts-walk.ts';
import { treaty2021 } from './fixtures.ts';
import { run } from './request-helpers.ts';
import { assertSameNext, views } from './snapshot-support.ts';

/**
 * Issue 14, "Snapshots": a state written as JSON and read back must be the same state to
 * everyone who reads it. Checked on what readers see (the public views) and on what the
 * state does next (every further entry gives the same result, or the same refusal), over
 * generated histories and at every prefix of the 2021 scenario.
 */

function roundTrip(state: State): State {
  const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))));
  assert.ok(decoded.ok, decoded.ok ? '' : `${decoded.error.code}: ${decoded.error.message}`);
  return decoded.value;
}

describe('state snapshots (issue 14)', () => {
  it('decode(encode(s)) shows the same views and applies every further act as s does, over generated histories', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 20, maxLength: 120 }), (count, steps) => {
        const { state, now } = walk(count, steps);
        const decoded = roundTrip(state);
        assert.deepEqual(views(decoded, now), views(state, now));
        // Every act the core lists for any party on any open case, in each of its ways, and a
        // week later (deadlines run from the state's instants): the further entries a log could hold.
        for (const at of [now, now + 7 * 86_400]) {
          for (const target of openTargets(state)) {
            for (const party of authors(state)) {
              const listed = legalActs(state, { party }, at, target);
              assert.deepEqual(legalActs(decoded, { party }, at, target), listed);
              for (const act of listed.available) for (const variant of act.variants) assertSameNext(state, decoded, actEntry(party, act, variant, target, at), at);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('decode(encode(s)) replays the rest of the 2021 scenario as s does, from every prefix', () => {
    const now = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;
    const entries = scenario2021(treaty2021(), now);
    const full = run(entries);
    let state = run([]);
    for (let cut = 0; cut <= entries.length; cut++) {
      let decoded = roundTrip(state);
      assert.deepEqual(views(decoded, now), views(state, now), `views differ at prefix ${cut}`);
      for (const entry of entries.slice(cut)) {
        const next = apply(decoded, entry);
        assert.ok(next.ok, `entry ${entry.type} refused after a snapshot at ${cut}: ${next.ok ? '' : next.error.message}`);
        decoded = next.value;
      }
      assert.deepEqual(views(decoded, now), views(full, now), `the tail after a snapshot at ${cut} gives other views`);
      if (cut < entries.length) {
        const next = apply(state, entries[cut]!);
        assert.ok(next.ok);
        state = next.value;
      }
    }
  });

  it('reads a snapshot that still lists the open trades, and lets that list go: they are derived from the trades', () => {
    const now = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;
    const entries = scenario2021(treaty2021(), now);
    // Each prefix with a trade open: a list written by an older exchange, or forged, changes nothing.
    let reached = 0;
    for (let cut = 0; cut <= entries.length; cut++) {
      const state = run(entries.slice(0, cut));
      const open = [...openTrades(state)];
      if (open.length === 0) continue;
      reached += 1;
      const data = JSON.parse(JSON.stringify(encodeState(state)));
      data.trades.open = [{ id: 'T-forged', deadline: 1 }];
      const decoded = decodeState(data);
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
      assert.deepEqual([...openTrades(decoded.value)], open);
      assert.deepEqual(expiredTrades(decoded.value, now + 365 * 86_400), open.map((item) => item.id));
    }
    assert.ok(reached > 0, 'the scenario has a trade open at some prefix');
  });

  it('refuses data that is not a snapshot, with stable codes', () => {
    const now = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;
    const data = JSON.parse(JSON.stringify(encodeState(run(scenario2021(treaty2021(), now)))));
    const refused = (edit: (copy: any) => void) => {
      const copy = structuredClone(data);
      edit(copy);
      const result = decodeState(copy);
      return result.ok ? 'decoded' : result.error.code;
    };
    assert.equal(refused(() => {}), 'decoded');
    assert.equal(refused((copy) => (copy.v = 2)), 'SNAPSHOT_SHAPE');
    assert.equal(refused((copy) => (copy.requests[0][1].status = 'pardoned')), 'SNAPSHOT_SHAPE');
    assert.equal(refused((copy) => (copy.requests[0][1].extra = 'code()')), 'SNAPSHOT_SHAPE');
    assert.equal(refused((copy) => (copy.size = -1)), 'SNAPSHOT_SHAPE');
    assert.equal(refused((copy) => copy.requests.push(copy.requests[0])), 'SNAPSHOT_DUPLICATE_KEY');
    assert.equal(refused((copy) => copy.requestIds.pop()), 'SNAPSHOT_INCONSISTENT');
    assert.equal(refused((copy) => copy.incidents.members.push(copy.incidents.members[0])), 'SNAPSHOT_DUPLICATE_KEY');
    assert.equal(refused((copy) => (copy.requests[0][0] = 'someone-else')), 'SNAPSHOT_INCONSISTENT');
    assert.equal(refused(() => {}), 'decoded');
    assert.equal(decodeState(null).ok, false);
    assert.equal(decodeState('{}').ok, false);
  });
});
