import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyMap, mapCanShelve, mapChanges, mapDelete, mapEntries, mapGet, mapSet, mapShelve, type PersistentMap } from '../src/index.ts';
import { TextShelf } from './text-shelf.ts';

type Value = { readonly n: number; readonly key: string };

// Two pairs of keys that share a 32-bit FNV-1a hash (request-persistent-map.test.ts), and enough others to split branches.
const KEYS = ['R-6pwu', 'R-d5fa', 'k4uzx', 'kf2ad', ...Array.from({ length: 40 }, (_, index) => `K-${index}`)];

describe('shelved map values', () => {
  it('read back equal, from every version that shares the leaf, and only where the leaf held that very value', () => {
    const shelf = new TextShelf<Value>();
    const first = { n: 1, key: 'a' };
    const one = mapSet(emptyMap<Value>(), 'a', first);
    const two = mapSet(one, 'b', { n: 2, key: 'b' });
    assert.equal(mapShelve(two, 'a', { n: 1, key: 'a' }, shelf.put(first)), false, 'an equal value that is not the one held');
    assert.equal(mapShelve(two, 'absent', first, shelf.put(first)), false);
    assert.equal(mapCanShelve(two, 'a', first), true);
    assert.equal(mapShelve(two, 'a', first, shelf.put(first)), true);
    assert.equal(mapCanShelve(two, 'a', first), false);
    assert.equal(mapShelve(two, 'a', first, shelf.put(first)), false, 'already shelved');
    assert.deepEqual(mapGet(one, 'a'), first);
    assert.deepEqual(mapGet(two, 'a'), first);
    assert.notEqual(mapGet(two, 'a'), first, 'read back as a new object');
    assert.equal(shelf.reads, 3, "a reading each time");
    assert.deepEqual(mapChanges(one, two), [{ key: 'b', before: undefined, after: { n: 2, key: 'b' } }], 'a shelved leaf both versions share is no change');
  });

  it('keeps a value whose key shares its hash with another in the heap', () => {
    const shelf = new TextShelf<Value>();
    const value = { n: 1, key: 'R-6pwu' };
    const map = mapSet(mapSet(emptyMap<Value>(), 'R-6pwu', value), 'R-d5fa', { n: 2, key: 'R-d5fa' });
    assert.equal(mapCanShelve(map, 'R-6pwu', value), false);
    assert.equal(mapShelve(map, 'R-6pwu', value, shelf.put(value)), false);
    assert.equal(mapGet(map, 'R-6pwu'), value);
  });

  it('after any sets, deletes and shelvings, every version reads as its model, and changes between versions are the model\'s', () => {
    // 'again' sets a key to the very value it holds, which a new leaf then holds too.
    const operation = fc.record({ kind: fc.constantFrom('set', 'again', 'delete', 'shelve'), key: fc.constantFrom(...KEYS), n: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      // Lengths drawn from the whole range: fast-check's default size gives some five operations a run.
      fc.property(fc.array(operation, { maxLength: 200, size: 'max' }), (operations) => {
        const shelf = new TextShelf<Value>();
        let map: PersistentMap<Value> = emptyMap();
        const model = new Map<string, Value>();
        // The value each key was last set to, as the map holds it: shelving needs that very object.
        const held = new Map<string, Value>();
        const versions: { map: PersistentMap<Value>; model: Map<string, Value> }[] = [{ map, model: new Map() }];
        for (const { kind, key, n } of operations) {
          if (kind === 'set') {
            const value = { n, key };
            map = mapSet(map, key, value);
            model.set(key, value);
            held.set(key, value);
          } else if (kind === 'again') {
            const value = held.get(key);
            if (value) map = mapSet(map, key, value);
          } else if (kind === 'delete') {
            map = mapDelete(map, key);
            model.delete(key);
            held.delete(key);
          } else {
            const value = held.get(key);
            if (value && mapCanShelve(map, key, value)) assert.ok(mapShelve(map, key, value, shelf.put(value)));
          }
          versions.push({ map, model: new Map(model) });
        }
        for (const [index, version] of versions.entries()) {
          assert.equal(version.map.size, version.model.size);
          for (const key of KEYS) assert.deepEqual(mapGet(version.map, key), version.model.get(key));
          assert.deepEqual(new Map(mapEntries(version.map)), version.model);
          if (index === 0) continue;
          const previous = versions[index - 1]!.model;
          const expected = KEYS.filter((key) => previous.get(key) !== version.model.get(key)).map((key) => ({ key, before: previous.get(key), after: version.model.get(key) }));
          const changes = mapChanges(versions[index - 1]!.map, version.map);
          assert.deepEqual(changes.sort((a, b) => KEYS.indexOf(a.key) - KEYS.indexOf(b.key)), expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
