import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptyMap, mapGet, mapHas, mapSet, mapValues, type PersistentMap } from '../src/index.ts';

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
});
