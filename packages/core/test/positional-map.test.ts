import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyPositionalMap, mapChanges, mapDelete, mapEntries, mapFromEntries, mapGet, mapHas, mapHeldEntryIterator, mapSet, mapValues, positionalMapFromEntries, type PersistentMap } from '../src/index.ts';
import { Positions } from '../src/request/positions.ts';

/**
 * An order index (`requestIds`, trade and incident ids) is held by position while its keys are
 * the positions 0 … n−1 (request/positions.ts, issue 14), and must answer as any persistent map
 * does, whatever is done to it: a key out of order turns it into the hash trie.
 */

type Operation =
  | { readonly kind: 'append'; readonly count: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: number }
  | { readonly kind: 'set'; readonly key: string; readonly value: number }
  | { readonly kind: 'delete-last' }
  | { readonly kind: 'delete'; readonly key: string };

// Appends of up to 1,100 at once reach the third level (32 × 32 = 1,024 values) and leave it again.
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 900, max: 1_100 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-last' as const) }) },
  // Keys that are not the next position: out of order, written otherwise, or no position at all.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('5000', '01', '-1', 'x', '1e3', ' 2'), value: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('0', '1', '31', '32', '1023', '1024', '01', 'absent') }) },
);

const positional = (map: PersistentMap<unknown>): boolean => map.root instanceof Positions;
/** Keys worth reading from a map of this model: each of its own, and some it never holds. */
const probes = (model: Map<string, number>): string[] => [...model.keys(), String(model.size), '01', '-1', '1.0', '99999'];

describe('a persistent map held by position', () => {
  it('answers as a Map does after any appends, sets and removals, keeps every version, and is held by position while its keys allow', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        let map: PersistentMap<number> = emptyPositionalMap();
        const model = new Map<string, number>();
        let ordered = true;
        const versions: { map: PersistentMap<number>; model: Map<string, number>; ordered: boolean }[] = [{ map, model: new Map(), ordered }];
        let next = 0;
        for (const step of operations) {
          if (step.kind === 'append') {
            // As a filing appends: the key is the number of keys held.
            for (let i = 0; i < step.count; i++) {
              const key = ordered ? String(model.size) : `a${next}`;
              map = mapSet(map, key, next);
              model.set(key, next++);
            }
          } else if (step.kind === 'replace' && model.size > 0) {
            const key = [...model.keys()][step.at % model.size]!;
            map = mapSet(map, key, step.value);
            model.set(key, step.value);
          } else if (step.kind === 'delete-last' && model.size > 0) {
            const key = [...model.keys()].at(-1)!;
            map = mapDelete(map, key);
            model.delete(key);
          } else if (step.kind === 'set') {
            map = mapSet(map, step.key, step.value);
            // The next position is an append; any other new key is out of order.
            if (!model.has(step.key) && step.key !== String(model.size)) ordered = false;
            model.set(step.key, step.value);
          } else if (step.kind === 'delete') {
            map = mapDelete(map, step.key);
            if (model.has(step.key) && step.key !== [...model.keys()].at(-1)) ordered = false;
            model.delete(step.key);
          }
          versions.push({ map, model: new Map(model), ordered });
        }
        for (const [index, version] of versions.entries()) {
          assert.equal(version.map.size, version.model.size);
          for (const key of probes(version.model)) {
            assert.equal(mapGet(version.map, key), version.model.get(key), `key ${key}`);
            assert.equal(mapHas(version.map, key), version.model.has(key), `key ${key}`);
          }
          assert.deepEqual(new Map(mapEntries(version.map)), version.model);
          // A map that never met a key out of order is held by position, lists its pairs in order, and has the shape its size alone gives.
          assert.equal(positional(version.map), version.ordered);
          if (version.ordered) {
            assert.deepEqual(mapEntries(version.map), [...version.model]);
            assert.deepEqual(mapValues(version.map), [...version.model.values()]);
            assert.deepEqual([...mapHeldEntryIterator(version.map)], [...version.model]);
            assert.deepEqual(version.map, positionalMapFromEntries(version.model));
          }
          const before = versions[Math.max(0, index - 5)]!;
          const keys = new Set([...before.model.keys(), ...version.model.keys()]);
          const changes = mapChanges(before.map, version.map).map((change) => [change.key, change.before, change.after]).sort();
          const expected = [...keys].filter((key) => before.model.get(key) !== version.model.get(key)).map((key) => [key, before.model.get(key), version.model.get(key)]).sort();
          assert.deepEqual(changes, expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is made from a snapshot\'s pairs in any order when they are the positions 0 … n−1, and as the hash trie otherwise', () => {
    const values = Array.from({ length: 1_500 }, (_, i) => `R-${i}`);
    const shuffled = new Map(values.map((value, i) => [String((i * 7) % values.length), values[(i * 7) % values.length]!] as const));
    const map = positionalMapFromEntries(shuffled);
    assert.ok(positional(map));
    assert.deepEqual(mapValues(map), values);
    for (const gapped of [new Map([['0', 'a'], ['2', 'b']]), new Map([['0', 'a'], ['01', 'b']]), new Map([['1', 'a']])]) {
      const trie = positionalMapFromEntries(gapped);
      assert.ok(!positional(trie));
      assert.deepEqual(trie, mapFromEntries(gapped));
    }
  });
});

describe('a map held by position, across the third level', () => {
  it('has at every size from 0 to 33,000 and back the shape its size alone gives, and reads every value', () => {
    const values = Array.from({ length: 33_000 }, (_, i) => `R-${i}`);
    const boundaries = new Set([0, 1, 31, 32, 33, 1_023, 1_024, 1_025, 32_767, 32_768, 32_769, 33_000]);
    const at = (size: number) => positionalMapFromEntries(new Map(values.slice(0, size).map((value, i) => [String(i), value] as const)));
    let map: PersistentMap<string> = emptyPositionalMap();
    const check = (size: number) => {
      assert.equal(map.size, size);
      assert.deepEqual(map, at(size), `the shape at ${size}`);
      for (const position of [0, size - 1, size >> 1]) if (position >= 0 && position < size) assert.equal(mapGet(map, String(position)), values[position]);
      assert.equal(mapGet(map, String(size)), undefined);
    };
    for (let size = 0; size < values.length; size++) {
      if (boundaries.has(size)) check(size);
      map = mapSet(map, String(size), values[size]!);
    }
    check(values.length);
    assert.deepEqual(mapValues(map), values);
    for (let size = values.length; size > 0; size--) {
      map = mapDelete(map, String(size - 1));
      if (boundaries.has(size - 1)) check(size - 1);
    }
  });
});
