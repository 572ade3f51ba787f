import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eventsToHalf, sortedTimes, EMPTY_BAG, BAG_PIECE, bagAdd, bagBuilding, bagCountBefore, bagEntriesFrom, bagEntryAt, bagFromElements, emptyBag, bagAt, bagCensoredMedian, bagCountBelow, bagHas, bagOf, bagRemove, bagSize, emptyMap, inOneEdit, mapChanges, mapDelete, mapFromEntries, mapGet, mapSet, type PersistentBag } from '../src/index.ts';
import { levelOf } from '../src/statistics/bag-node.ts';

/**
 * Operations on a bag: add or remove (value, id), ids drawn from a few so that removals hit.
 * Values are whole and halves, so that one node's values mix both (bag-node.ts `BagNode`).
 */
const operations = fc.array(fc.record({ add: fc.boolean(), value: fc.integer({ min: 0, max: 6 }).map((n) => n / 2), id: fc.integer({ min: 0, max: 40 }) }), { maxLength: 200 });

/**
 * Ids of every level up to 3 (bag-node.ts `levelOf`): 20 of level 0, 12 of 1, 6 of 2, 3 of 3.
 * Ids taken as they come are of level 0 but one in 32, so that a few dozen of them fill one
 * node and never split or join one; these build trees of four levels in a few elements.
 */
const MIXED_IDS: readonly string[] = (() => {
  const wanted = [20, 12, 6, 3];
  const ids: string[][] = wanted.map(() => []);
  for (let n = 0; ids.some((list, level) => list.length < wanted[level]!); n++) {
    const level = Math.min(levelOf(`r${n}`), 3);
    if (ids[level]!.length < wanted[level]!) ids[level]!.push(`r${n}`);
  }
  return ids.flat().sort();
})();

/**
 * A bag's nodes as plain data, to compare a bag with what it was before an edit. A node the
 * open edit made keeps its count negated, as the mark that it may change in place (bag-node.ts
 * `inOneEdit`), and an edit opened inside another freezes the outer one's nodes, which changes
 * that mark and nothing else: so the shape takes a count's size. The bags an edit gives are
 * compared whole once it ends, mark included.
 */
const shapeOf = (bag: PersistentBag): unknown => JSON.parse(JSON.stringify(bag, (key, value: unknown) => (key === 'count' ? Math.abs(value as number) : value)));

describe('persistent bag (statistics/persistent-bag.ts)', () => {
  it('answers order statistics as a sorted array does, after any adds and removes, and keeps earlier versions', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        let bag: PersistentBag = EMPTY_BAG;
        let model: { value: number; id: string }[] = [];
        const versions: { bag: PersistentBag; sorted: number[]; elements: string[] }[] = [];
        const inOrder = (a: { value: number; id: string }, b: { value: number; id: string }) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        for (const op of ops) {
          const id = MIXED_IDS[op.id]!;
          const present = model.some((item) => item.value === op.value && item.id === id);
          if (op.add) {
            const added = bagAdd(bag, op.value, id);
            // One descent both finds an element already there and adds one that is not (persistent-bag.ts `insert`).
            if (present) assert.equal(added, bag, 'adding an element already there gives back the same bag');
            bag = added;
            if (!present) model = [...model, { value: op.value, id }];
          } else {
            bag = bagRemove(bag, op.value, id);
            model = model.filter((item) => !(item.value === op.value && item.id === id));
          }
          versions.push({ bag, sorted: model.map((item) => item.value).sort((a, b) => a - b), elements: [...model].sort(inOrder).map((item) => `${item.value}/${item.id}`) });
        }
        for (const { bag: version, sorted, elements } of versions) {
          assert.equal(bagSize(version), sorted.length);
          sorted.forEach((value, rank) => assert.equal(bagAt(version, rank), value));
          elements.forEach((element, rank) => {
            const [value, id] = element.split('/') as [string, string];
            assert.equal(bagCountBefore(version, Number(value), id), rank);
            const at = bagEntryAt(version, rank);
            assert.equal(`${at?.value}/${at?.id}`, element);
          });
          for (const rank of [0, 1, elements.length >> 1, elements.length]) assert.deepEqual([...bagEntriesFrom(version, rank)].map((entry) => `${entry.value}/${entry.id}`), elements.slice(rank));
          assert.equal(bagAt(version, sorted.length), undefined);
          for (const limit of [-1, 0, 1, 1.5, 3, 4]) {
            assert.equal(bagCountBelow(version, limit), sorted.filter((value) => value < limit).length);
            assert.equal(bagCountBelow(version, limit, true), sorted.filter((value) => value <= limit).length);
          }
        }
        for (const item of model) assert.ok(bagHas(bag, item.value, item.id));
      }),
      { numRuns: 200 },
    );
  });

  it('has one shape for one content, whatever the order it was filled in (a snapshot rebuilds it equal)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: MIXED_IDS.length - 1 }), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 60 }), (ids, swaps) => {
        const items = ids.map((id) => ({ value: id % 17, id: MIXED_IDS[id]! }));
        const shuffled = [...items];
        if (shuffled.length > 0) swaps.forEach((swap, index) => {
          const a = index % shuffled.length;
          const b = swap % shuffled.length;
          [shuffled[a], shuffled[b]] = [shuffled[b]!, shuffled[a]!];
        });
        const fill = (list: typeof items) => list.reduce((bag, item) => bagAdd(bag, item.value, item.id), EMPTY_BAG);
        assert.deepEqual(fill(shuffled), fill(items));
        // Adding then removing an element gives back the same shape too.
        const extra = bagRemove(bagAdd(fill(items), 3, 'extra'), 3, 'extra');
        assert.deepEqual(extra, fill(items));
        // And removing any of them gives the bag filled without them: subtrees split and joined again as they were.
        const removed = shuffled.filter((_, index) => (swaps[index] ?? 0) % 3 === 0);
        const kept = items.filter((item) => !removed.includes(item));
        assert.deepEqual(removed.reduce((bag, item) => bagRemove(bag, item.value, item.id), fill(items)), fill(kept));
      }),
      { numRuns: 200 },
    );
  });

  it('edited in one edit, changes in place only what the edit made: the result is the bag copied edits give, and bags made before or after stay as they were', () => {
    fc.assert(
      fc.property(operations, operations, operations, (first, inside, after) => {
        const apply = (bag: PersistentBag, ops: typeof first) => ops.reduce((next, op) => (op.add ? bagAdd(next, op.value, MIXED_IDS[op.id]!) : bagRemove(next, op.value, MIXED_IDS[op.id]!)), bag);
        const start = apply(EMPTY_BAG, first);
        const startShape = shapeOf(start);
        const edited = inOneEdit(() => apply(start, inside));
        // Whatever the edit changed in place, it is the bag that copying every path gives, with every node frozen again.
        assert.deepEqual(edited, apply(start, inside));
        assert.deepEqual(shapeOf(start), startShape, 'the bag the edit started from is untouched');
        const editedShape = shapeOf(edited);
        // A later edit, or an edit outside any, copies the nodes an ended edit made.
        inOneEdit(() => apply(edited, after));
        apply(edited, after);
        assert.deepEqual(shapeOf(edited), editedShape, 'the bag an ended edit gave is untouched by later edits');
        // Edits nest: the inner one copies what the outer made, and the outer what the inner made.
        const nested = inOneEdit(() => {
          const outer = apply(start, inside);
          const outerShape = shapeOf(outer);
          const inner = inOneEdit(() => apply(outer, after));
          assert.deepEqual(shapeOf(outer), outerShape, 'an inner edit leaves the bag of the outer edit as it was');
          return apply(inner, first);
        });
        assert.deepEqual(nested, apply(apply(apply(start, inside), after), first));
      }),
      { numRuns: 300 },
    );
  });

  it('built at once from its elements, is the bag that adding them one by one gives, repeats kept once with their first item', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ value: fc.integer({ min: -5, max: 12 }), id: fc.integer({ min: 0, max: 40 }).map((n) => MIXED_IDS[n]!), item: fc.nat() }), { maxLength: 120 }), (elements) => {
        const oneByOne = elements.reduce((bag, element) => bagAdd(bag, element.value, element.id, element.item), emptyBag<number>());
        const atOnce = bagFromElements(elements);
        assert.deepEqual(atOnce, oneByOne);
        assert.equal(bagSize(atOnce), new Set(elements.map((element) => `${element.value}/${element.id}`)).size);
      }),
      { numRuns: 300 },
    );
    assert.equal(bagFromElements([]), EMPTY_BAG);
  });

  it(`built with pauses, sorted in runs of ${BAG_PIECE} and merged, is the same bag at every run boundary, repeats across runs kept once with their first item`, () => {
    const piece = BAG_PIECE;
    let seed = 20_261_206;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
    type Node = { level: number; count: number; values: number[]; ids: string[]; items?: number[]; children?: (Node | undefined)[] };
    /** The elements in order with their items, each node's count and levels checked on the way (one pass: a deep comparison of trees this big took seconds). */
    const flat = (bag: PersistentBag<number>): string[] => {
      const out: string[] = [];
      const visit = (node: Node | undefined, above: number): number => {
        if (node === undefined) return 0;
        assert.ok(node.level < above, 'a subtree is of a lower level than the node above it');
        assert.equal(node.children?.length ?? node.values.length + 1, node.values.length + 1, 'a child on either side of each element');
        let count = 0;
        node.values.forEach((value, at) => {
          count += visit(node.children?.[at], node.level) + 1;
          assert.equal(levelOf(node.ids[at]!), node.level, 'an element in the node of its level');
          out.push(`${value}/${node.ids[at]}/${node.items?.[at]}`);
        });
        count += visit(node.children?.[node.values.length], node.level);
        assert.equal(node.count, count);
        return count;
      };
      visit(bag.root as Node | undefined, Infinity);
      return out;
    };
    /** What the bag must hold: the elements sorted, each (value, id) once with the item given first. */
    const expected = (elements: readonly { value: number; id: string; item: number }[]): string[] => {
      const seen = new Set<string>();
      const firsts = elements.filter((element) => !seen.has(`${element.value}/${element.id}`) && seen.add(`${element.value}/${element.id}`));
      return firsts.sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((element) => `${element.value}/${element.id}/${element.item}`);
    };
    for (const size of [1, piece - 1, piece, piece + 1, 2 * piece + 1, 3 * piece, 4 * piece + 3]) {
      // Few values and ids, so that equal elements fall in different runs and the first given must win the merge.
      const shuffled = Array.from({ length: size }, (_, n) => ({ value: next() % 4_000, id: `x${(next() >>> 16) % 50}`, item: n }));
      const inOrder = [...shuffled].sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const elements of [shuffled, inOrder]) {
        const building = bagBuilding(elements);
        let pauses = 0;
        let step = building.next();
        for (; !step.done; step = building.next()) pauses += 1;
        assert.deepEqual(flat(step.value), expected(elements), `${size} elements, ${elements === inOrder ? 'in order' : 'shuffled'}`);
        // At least a pause per piece read and per piece of nodes made.
        assert.ok(pauses >= 2 * Math.floor(size / piece), `${size} elements: ${pauses} pauses`);
      }
    }
    // And the same tree as adding them one by one, across a boundary.
    const elements = Array.from({ length: piece + 5 }, (_, n) => ({ value: next() % 4_000, id: `x${(next() >>> 16) % 50}`, item: n }));
    assert.deepEqual(bagFromElements(elements), elements.reduce((bag, element) => bagAdd(bag, element.value, element.id, element.item), emptyBag<number>()));
  });
});

/** Kaplan–Meier step by step, in exact fractions: at each distinct time, events first, then censorings. */
function sequentialKaplanMeier(events: readonly number[], censored: readonly number[]): number | null {
  const points = [...events.map((time) => ({ time, event: true })), ...censored.map((time) => ({ time, event: false }))].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
  let atRisk = BigInt(points.length);
  let numerator = 1n;
  let denominator = 1n;
  for (let i = 0; i < points.length; ) {
    const time = points[i]!.time;
    let happened = 0n;
    let leaving = 0n;
    for (; i < points.length && points[i]!.time === time; i++) {
      if (points[i]!.event) happened += 1n;
      leaving += 1n;
    }
    if (happened > 0n) {
      numerator *= atRisk - happened;
      denominator *= atRisk;
    }
    atRisk -= leaving;
    if (2n * numerator <= denominator) return time;
  }
  return null;
}

describe('Kaplan–Meier over a bag (statistics/median.ts)', () => {
  it('equals the step-by-step product limit, ties and censorings included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 80 }), fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }), (events, censored) => {
        assert.equal(bagCensoredMedian(bagOf(events), sortedTimes(censored)), sequentialKaplanMeier(events, censored));
      }),
      { numRuns: 500 },
    );
  });

  it('decides the events to one half exactly where floating point lands a hair off a whole number', () => {
    // 5/6 × 4/5 = 2/3, which floating point puts a hair above (0.6666666666666667): with 4 at
    // risk, one event brings it to exactly one half, where the float bound says two.
    const share = (5 / 6) * (4 / 5);
    assert.equal(Math.ceil(4 - 4 / (2 * share)), 2, 'the float bound is the wrong one here');
    assert.equal(eventsToHalf(share, [5, 4], [6, 5], 4), 1);
    // Clear of a whole number, the float bound stands: 3/4 with 10 at risk needs 10 − 10/1.5 = 3.33…, so 4.
    assert.equal(eventsToHalf(3 / 4, [3], [4], 10), 4);
  });

  it('decides one half exactly: 4 decided and none pending give the second, where floating point would give the third', () => {
    assert.equal(bagCensoredMedian(bagOf([1, 2, 3, 4]), sortedTimes([])), 2);
  });
});

describe('persistent map deletion and changes (request/persistent-map.ts)', () => {
  it('deletes to the shape a map built without the key has, and lists exactly the keys that changed', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ set: fc.boolean(), key: fc.integer({ min: 0, max: 2_000 }), value: fc.nat() }), { maxLength: 300 }), (ops) => {
        let map = emptyMap<number>();
        const model = new Map<string, number>();
        let checkpoint = { map, model: new Map(model) };
        ops.forEach((op, index) => {
          const key = `k${op.key}`;
          if (op.set) {
            map = mapSet(map, key, op.value);
            model.set(key, op.value);
          } else {
            map = mapDelete(map, key);
            model.delete(key);
          }
          if (index % 7 === 6) {
            const changes = mapChanges(checkpoint.map, map).map((change) => [change.key, change.before, change.after]).sort();
            const expected = [...new Set([...checkpoint.model.keys(), ...model.keys()])]
              .filter((changed) => checkpoint.model.get(changed) !== model.get(changed))
              .map((changed) => [changed, checkpoint.model.get(changed), model.get(changed)])
              .sort();
            assert.deepEqual(changes, expected);
            checkpoint = { map, model: new Map(model) };
          }
        });
        assert.equal(map.size, model.size);
        for (const [key, value] of model) assert.equal(mapGet(map, key), value);
        assert.deepEqual(map, mapFromEntries([...model].sort(([a], [b]) => (a < b ? -1 : 1))));
      }),
      { numRuns: 200 },
    );
  });

  it('mapFromEntries builds the trie that mapSet after mapSet builds, later keys replacing earlier ones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 400 }), (pairs) => {
        const stepwise = pairs.reduce((map, [key, value]) => mapSet(map, key, value), emptyMap<number>());
        assert.deepEqual(mapFromEntries(pairs), stepwise);
        assert.deepEqual(mapFromEntries(new Map(pairs)), stepwise);
      }),
      { numRuns: 300 },
    );
    // Two keys with one 32-bit FNV-1a hash share a leaf, in the order they were first given.
    const colliding: [string, number][] = [['k4uzx', 1], ['other', 2], ['kf2ad', 3], ['k4uzx', 4]];
    const stepwise = colliding.reduce((map, [key, value]) => mapSet(map, key, value), emptyMap<number>());
    assert.deepEqual(mapFromEntries(colliding), stepwise);
    assert.equal(mapGet(stepwise, 'kf2ad'), 3);
    assert.equal(mapGet(stepwise, 'k4uzx'), 4);
  });
});
