import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeState, encodeStateDelta, encodeStateHeader, encodeStateWith, scenario2021, STATE_MAP_PATHS, StateReader, statePairs, type State } from '../src/index.ts';
import { walk } from './legal-acts-walk.ts';
import { treaty2021 } from './fixtures.ts';
import { run } from './request-helpers.ts';

/**
 * Issue 14, "No cost that grows with history": a snapshot is written as a delta from the last
 * one. A whole snapshot followed by any chain of deltas must decode to the state a whole
 * snapshot of the chain's end gives, over generated histories.
 */

/** JSON as it is stored and read back. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The state data with every map's pairs in key order: maps are rebuilt from pairs in any order. */
function canonical(data: unknown): unknown {
  let copy = structuredClone(data) as Record<string, any>;
  for (const path of STATE_MAP_PATHS) {
    const keys = path.split('.');
    const holder = keys.slice(0, -1).reduce((value, key) => value[key], copy);
    holder[keys[keys.length - 1]!] = [...holder[keys[keys.length - 1]!]].sort(([a]: [string], [b]: [string]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return copy;
}

/** Reads a whole snapshot of `whole` (header and pairs, as stored) and then `deltas`: the reader's result, or its refusal's code. */
function readChain(whole: State, deltas: readonly unknown[], edit: (header: Record<string, any>) => unknown = (header) => header) {
  const reader = StateReader.start(edit(stored(encodeStateHeader(whole)) as Record<string, any>));
  assert.ok(reader.ok);
  for (const pair of statePairs(whole)) {
    const read = reader.value.pair(stored(pair));
    if (!read.ok) return read;
  }
  for (const delta of deltas) {
    const read = reader.value.delta(delta);
    if (!read.ok) return read;
  }
  return reader.value.finish();
}

/** The state at the end of `chain`, read back from a whole snapshot of its first and deltas of the rest. */
function throughChain(chain: readonly State[]): State {
  const deltas = chain.slice(1).map((state, i) => stored(encodeStateDelta(chain[i]!, state)));
  const decoded = readChain(chain[0]!, deltas);
  assert.ok(decoded.ok, decoded.ok ? '' : `${decoded.error.code}: ${decoded.error.message}`);
  return decoded.value;
}

describe('state snapshots as deltas (issue 14)', () => {
  it('a whole snapshot and any chain of deltas decode to the state at the chain\'s end, over generated histories', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 20, maxLength: 120 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (count, steps, cuts) => {
        const states: State[] = [];
        walk(count, steps, (state) => states.push(state));
        fc.pre(states.length > 0);
        const chain = [...new Set(cuts.map((cut) => Math.floor(cut * (states.length - 1))))].sort((a, b) => a - b).map((index) => states[index]!);
        const end = chain[chain.length - 1]!;
        const decoded = throughChain(chain);
        assert.deepEqual(canonical(stored(encodeState(decoded))), canonical(stored(encodeState(end))));
      }),
      { numRuns: 60 },
    );
  });

  it('a delta holds only what changed: one entry after a whole history is one or two pairs', () => {
    const now = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;
    const entries = scenario2021(treaty2021(), now);
    const before = run(entries.slice(0, -1));
    const after = run(entries.slice(-1), before);
    const delta = encodeStateDelta(before, after) as Record<string, any>;
    const changed = STATE_MAP_PATHS.map((path) => path.split('.').reduce((value, key) => value[key], delta)).reduce((sum, change) => sum + change.set.length + change.drop.length, 0);
    assert.ok(changed >= 1 && changed <= 3, `the last entry changed ${changed} pairs`);
    assert.equal(delta.base, before.size);
    assert.equal(delta.size, after.size);
  });

  it('lists every persistent map of the encoded state, and only those', () => {
    const marker = Symbol('map');
    const data = encodeStateWith(run([]), () => marker);
    const found: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (value === marker) found.push(path);
      else if (typeof value === 'object' && value !== null) for (const [key, member] of Object.entries(value)) visit(member, path ? `${path}.${key}` : key);
    };
    visit(data, '');
    assert.deepEqual(found.sort(), [...STATE_MAP_PATHS].sort());
  });

  it('refuses a delta of another base, and anything not of a delta\'s shape, with stable codes', () => {
    const now = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;
    const entries = scenario2021(treaty2021(), now);
    const first = run(entries.slice(0, 10));
    const second = run(entries.slice(10, 20), first);
    const third = run(entries.slice(20), second);
    const deltas = [stored(encodeStateDelta(first, second)), stored(encodeStateDelta(second, third))] as Record<string, any>[];
    const code = (chain: unknown[]) => {
      const read = readChain(first, chain);
      return read.ok ? 'read' : read.error.code;
    };
    assert.equal(code(deltas), 'read');
    assert.equal(code([deltas[1]]), 'SNAPSHOT_INCONSISTENT', 'a delta skipped');
    assert.equal(code([deltas[1], deltas[0]]), 'SNAPSHOT_INCONSISTENT', 'deltas out of order');
    assert.equal(code([{ ...deltas[0], requests: [] }]), 'SNAPSHOT_SHAPE', 'a map given whole in a delta');
    assert.equal(code([{ ...deltas[0], requests: { set: [['a']], drop: [] } }]), 'SNAPSHOT_SHAPE');
    assert.equal(code([{ ...deltas[0], requests: { set: [], drop: [7] } }]), 'SNAPSHOT_SHAPE');
    assert.equal(code([{ ...deltas[0], requests: { set: [], drop: [], extra: 1 } }]), 'SNAPSHOT_SHAPE');
    assert.equal(code([{ ...deltas[0], requests: { set: [['x', { id: 'x' }]], drop: [] } }]), 'SNAPSHOT_SHAPE', 'a record not of its shape');
    assert.equal(code([null]), 'SNAPSHOT_SHAPE');
    // A delta that drops a record its order index still names is read, and refused as a whole.
    const gone = deltas[0]!.requests.set[0]?.[0] ?? [...statePairs(first)][0]![0];
    const dropped = { ...deltas[0], requests: { set: deltas[0]!.requests.set.filter(([key]: [string]) => key !== gone), drop: [gone] } };
    assert.equal(code([dropped]), 'SNAPSHOT_INCONSISTENT');
    // The pairs of a whole snapshot: a key given twice, and fewer pairs than its header announces.
    assert.ok(readChain(first, []).ok);
    const reader = StateReader.start(stored(encodeStateHeader(first)));
    assert.ok(reader.ok);
    const [pair] = statePairs(first);
    assert.ok(reader.value.pair(stored(pair)).ok);
    assert.equal((reader.value.pair(stored(pair)) as { error: { code: string } }).error.code, 'SNAPSHOT_DUPLICATE_KEY');
    assert.equal((reader.value.finish() as { ok: boolean; error: { code: string } }).error.code, 'SNAPSHOT_SHAPE', 'pairs missing');
    // The last map's count one more than its pairs: every pair lands where it belongs, and one is missing at the end.
    const extra = readChain(first, [], (header) => ({ ...header, incidents: { ...header.incidents, links: header.incidents.links + 1 } }));
    assert.equal(extra.ok ? 'read' : `${extra.error.code}: ${extra.error.message}`, 'SNAPSHOT_SHAPE: state: 1 of the pairs its header announced did not come');
  });
});
