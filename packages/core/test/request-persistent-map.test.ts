import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyMap, mapChanges, mapDelete, mapEntries, mapFromEntries, mapGet, mapHas, mapSet, mapValues, type PersistentMap } from '../src/index.ts';

/**
 * Keys for the property below: two pairs that share a 32-bit FNV-1a hash (found by search),
 * and enough others that branches split several levels deep and empty again.
 */
const KEYS = ['R-6pwu', 'R-d5fa', 'k4uzx', 'kf2ad', ...Array.from({ length: 60 }, (_, index) => `K-${index}`)];

describe('persistent map', () => {
  it('stores, replaces and lists many keys, against a Map as the model', () => {
    let map: PersistentMap<number> = emptyMap();
    const model = new Map<string, number>();
    for (let index = 0; index < 5_000; index += 1) {
      const key = `K-${(index * 7919) % 3_001}`;
      map = mapSet(map, key, index);
      model.set(key, index);
    }
    assert.equal(map.size, model.size);
    for (const [key, value] of model) assert.equal(mapGet(map, key), value);
    assert.equal(mapGet(map, 'absent'), undefined);
    assert.equal(mapHas(map, 'absent'), false);
    assert.deepEqual(mapValues(map).sort((a, b) => a - b), [...model.values()].sort((a, b) => a - b));
  });

  it('leaves earlier versions unchanged', () => {
    const one = mapSet(emptyMap<string>(), 'a', 'first');
    const two = mapSet(one, 'a', 'second');
    const three = mapSet(two, 'b', 'other');
    assert.deepEqual([mapGet(one, 'a'), mapGet(two, 'a'), mapGet(three, 'a')], ['first', 'second', 'second']);
    assert.deepEqual([one.size, two.size, three.size], [1, 1, 2]);
    assert.equal(mapGet(two, 'b'), undefined);
  });

  it('keeps keys whose 32-bit hashes collide apart', () => {
    // "R-6pwu" and "R-d5fa" share the FNV-1a hash 1524584346 (found by search).
    const map = mapSet(mapSet(mapSet(emptyMap<number>(), 'R-6pwu', 1), 'R-d5fa', 2), 'R-6pwu', 3);
    assert.deepEqual([map.size, mapGet(map, 'R-6pwu'), mapGet(map, 'R-d5fa')], [2, 3, 2]);
  });

  it('after any sets and deletes, collisions included, answers as a Map does, has the shape its keys alone give, and keeps every earlier version', () => {
    const operation = fc.record({ set: fc.boolean(), key: fc.constantFrom(...KEYS), value: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        let map: PersistentMap<number> = emptyMap();
        const model = new Map<string, number>();
        const versions: { map: PersistentMap<number>; model: Map<string, number> }[] = [{ map, model: new Map() }];
        for (const { set, key, value } of operations) {
          map = set ? mapSet(map, key, value) : mapDelete(map, key);
          if (set) model.set(key, value);
          else model.delete(key);
          versions.push({ map, model: new Map(model) });
        }
        for (const [index, version] of versions.entries()) {
          assert.equal(version.map.size, version.model.size);
          for (const key of KEYS) assert.equal(mapGet(version.map, key), version.model.get(key));
          // The same keys set in one go (a Map keeps a key's first place, as a collision keeps its order) give the same trie.
          assert.deepEqual(version.map, mapFromEntries(version.model));
          const before = versions[Math.max(0, index - 7)]!;
          const changes = mapChanges(before.map, version.map).map((change) => [change.key, change.before, change.after]).sort();
          const expected = KEYS.filter((key) => before.model.get(key) !== version.model.get(key)).map((key) => [key, before.model.get(key), version.model.get(key)]).sort();
          assert.deepEqual(changes, expected);
        }
        assert.deepEqual(new Map(mapEntries(map)), model);
      }),
      { numRuns: 300 },
    );
  });
});
