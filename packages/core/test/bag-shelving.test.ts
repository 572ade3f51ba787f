import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { heldBagNodes } from '@evenhand/testing';
import { applyShelving, bagAdd, bagAt, bagCountBefore, bagCountBelow, bagEntriesFrom, bagFromElements, bagHas, bagNodeFromText, bagNodeText, bagRemove, bagSize, EMPTY_BAG, emptyBag, findColdNodes, inOneEdit, VisitMarks, type BagNodeShelf, type PersistentBag } from '../src/index.ts';
import { BagNode, ShelvedBagNode } from '../src/statistics/bag-node.ts';

/** A shelf in memory: every text placed, read back through the codec, with the readings counted. */
class MemoryShelf implements BagNodeShelf {
  readonly texts: string[] = [];
  reads = 0;
  /** With `cached`, a node read is kept and given to every later reading, as a file shelf's cache gives it: one object shared by every reader. */
  private readonly kept = new Map<number, BagNode>();

  constructor(private readonly cached = false) {}

  /** Set to make `read` throw, as a shelf whose file cannot be read. */
  broken = false;

  place(text: string): { at: number; length: number } {
    this.texts.push(text);
    return { at: this.texts.length - 1, length: text.length };
  }

  read(at: number, length: number): BagNode {
    if (this.broken) throw new Error('the shelf cannot be read');
    this.reads += 1;
    const held = this.kept.get(at);
    if (held) return held;
    const node = bagNodeFromText(this.text(at, length), this);
    if (this.cached) this.kept.set(at, node);
    return node;
  }

  text(at: number, length: number): string {
    const text = this.texts[at]!;
    assert.equal(text.length, length, 'a node is read at the length it was placed with');
    return text;
  }
}

/** One visit of `bags`, its texts taken as written, and its replacements made: what the server's holder does. */
function visit(bags: readonly PersistentBag<unknown>[], marks: VisitMarks, shelf: MemoryShelf, budget = Infinity, fresh = true) {
  if (fresh) marks.turn();
  const found = findColdNodes(bags, marks, shelf, budget);
  return { ...found, made: applyShelving(found.shelvings) };
}

/** The nodes of one bag in the heap, and the shelved subtrees they hold. */
const heldNodes = (bag: PersistentBag<unknown>) => heldBagNodes([bag]);

/** A bag of elements that carry no item, built at once. */
const built = (elements: readonly { value: number; id: string }[]): PersistentBag => bagFromElements<undefined>(elements);

const elementsOf = (bag: PersistentBag): string[] => [...bagEntriesFrom(bag)].map(({ value, id }) => `${value}/${id}`);

/** A bag of `count` filings at instants one second apart, ids in order: new ones join at its end, as a bag of filings or dues does. */
const filings = (count: number, from = 0): { value: number; id: string }[] => Array.from({ length: count }, (_, n) => ({ value: 1_800_000_000 + from + n, id: `US-${String(from + n).padStart(6, '0')}` }));

describe('bag nodes on a shelf (statistics/bag-shelving.ts)', () => {
  it('writes a node as text and reads it back with the same elements, every value the same double and every subtree where it was', () => {
    const shelf = new MemoryShelf();
    const below = new ShelvedBagNode(3, shelf, 7, 42);
    const node = new BagNode(1, 5, [-0.5, 1e21 + 2 ** 20, 1_800_000_000.25], ['a\u0000Bc', 'é', ''], undefined, [below, undefined, undefined, new ShelvedBagNode(2, shelf, 9, 10)]);
    node.count = 3 + 3 + 2;
    const text = bagNodeText(node, (child) => (child instanceof ShelvedBagNode ? child : undefined));
    const read = bagNodeFromText(text, shelf);
    assert.equal(read.level, 1);
    assert.deepEqual(read.values, node.values);
    assert.deepEqual(read.ids, node.ids);
    assert.equal(read.items, undefined);
    assert.equal(read.count, 8, 'the count is the elements and the subtrees\' counts');
    assert.deepEqual(read.children!.map((child) => child && [child.count, (child as ShelvedBagNode).at, (child as ShelvedBagNode).length]), [[3, 7, 42], undefined, undefined, [2, 9, 10]]);
    assert.throws(() => bagNodeText(new BagNode(1, 2, [1], ['x'], undefined, [new BagNode(0, 1, [0], ['y'], undefined, undefined), undefined]), () => undefined), /shelved before its subtrees/);
  });

  it('shelves a node only once a second visit finds it unedited, bottom up, never a root, and a bag reads the same after', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    let bag: PersistentBag = built(filings(5_000));
    const before = heldNodes(bag);
    assert.ok(before.inHeap > 100, `a bag of 5,000 elements has ${before.inHeap} nodes`);
    const first = visit([bag], marks, shelf);
    assert.equal(first.made, 0, 'the first visit only finds the nodes');
    assert.equal(first.unseen, before.inHeap);
    const second = visit([bag], marks, shelf);
    assert.equal(second.made, before.inHeap - 1, 'every node but the root goes');
    assert.equal(second.unseen, 0);
    assert.deepEqual(heldNodes(bag).inHeap, 1);
    assert.deepEqual(elementsOf(bag), filings(5_000).map(({ value, id }) => `${value}/${id}`));
    // An edit at the end reads its path from the shelf, and keeps every subtree beside it shelved.
    bag = bagAdd(bag, 1_900_000_000, 'US-999999');
    const after = heldNodes(bag);
    assert.ok(after.inHeap <= 4, `${after.inHeap} nodes in the heap after one add: its path only`);
    assert.equal(bagSize(bag), 5_001);
    assert.equal(bagAt(bag, 5_000), 1_900_000_000);
    // The edited path was found by no visit: the next visit finds it, and the one after shelves it.
    assert.equal(visit([bag], marks, shelf).made, 0);
    assert.equal(visit([bag], marks, shelf).made, after.inHeap - 1);
  });

  it('keeps in the heap a node edited since the last visit, and every node above it', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    let bag: PersistentBag = built(filings(3_000));
    visit([bag], marks, shelf);
    bag = bagAdd(bag, 1_800_000_000 + 1_500.5, 'US-middle');
    const path = heldNodes(bag).inHeap;
    const found = visit([bag], marks, shelf);
    // The nodes the add copied are new to the visit; the rest of the old bag was seen and goes.
    assert.ok(found.made > 0);
    const held = heldNodes(bag);
    assert.ok(held.inHeap >= 2 && held.inHeap <= path, `${held.inHeap} nodes stay: the add's path (${path} nodes in the heap after it)`);
    assert.ok(bagHas(bag, 1_800_000_000 + 1_500.5, 'US-middle'));
    assert.equal(bagCountBefore(bag, 1_800_000_000 + 1_500.5, 'US-middle'), 1_501);
  });

  it('shelves at most the budget a visit, and a visit that goes on with the same marks shelves the rest', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const bag = built(filings(8_000));
    visit([bag], marks, shelf);
    const total = heldNodes(bag).inHeap - 1;
    const first = visit([bag], marks, shelf, 50);
    assert.equal(first.made, 50);
    assert.equal(first.more, true);
    let visits = 1;
    let more = true;
    while (more && visits < 100) {
      const next = visit([bag], marks, shelf, 50, false);
      assert.ok(next.made <= 50);
      more = next.more;
      visits += 1;
    }
    assert.equal(more, false);
    assert.equal(heldNodes(bag).inHeap, 1, `${total} nodes went in ${visits} visits`);
    assert.equal(bagSize(bag), 8_000);
  });

  it('leaves a bag whose elements carry items in the heap, and a node an open edit may still change', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const carried = bagFromElements(filings(2_000).map(({ value, id }) => ({ value, id, item: { trade: id } })));
    const plain = built(filings(2_000));
    const plainNodes = heldNodes(plain).inHeap;
    visit([carried, plain], marks, shelf);
    const made = visit([carried, plain], marks, shelf).made;
    assert.equal(made, plainNodes - 1, 'every node of the plain bag but its root goes');
    assert.equal(heldNodes(carried).shelved, 0, 'no node of a bag with items goes');
    // Inside an open edit, the nodes it made (their counts negated) are left alone, and so is every node above them.
    inOneEdit(() => {
      let edited: PersistentBag = built(filings(2_000, 10_000));
      for (let n = 0; n < 50; n++) edited = bagAdd(edited, 2_000_000_000 + n, `late-${n}`);
      assert.equal(visit([edited], marks, shelf).made + visit([edited], marks, shelf).made, 0);
      assert.equal(heldNodes(edited).shelved, 0);
      assert.equal(bagSize(edited), 2_050);
    });
  });

  it('makes no replacement whose slot changed since it was found', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const bag = built(filings(3_000));
    visit([bag], marks, shelf);
    marks.turn();
    const found = findColdNodes([bag], marks, shelf, Infinity);
    const { parent, at } = found.shelvings.at(-1)!;
    const stand = new BagNode(0, 0, [], [], undefined, undefined);
    const held = parent.children![at];
    parent.children![at] = stand;
    assert.equal(applyShelving(found.shelvings), found.shelvings.length - 1);
    assert.equal(parent.children![at], stand);
    parent.children![at] = held;
  });

  it('answers as a bag never shelved, whatever adds, removes and visits come in whatever order (property)', () => {
    const step = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('add' as const), value: fc.integer({ min: 0, max: 400 }).map((n) => n / 2), id: fc.integer({ min: 0, max: 600 }) }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }), weight: 1 },
      // Visits weigh more, so that two in a row with few edits between, which shelve, are common.
      { arbitrary: fc.record({ kind: fc.constant('visit' as const), budget: fc.integer({ min: 1, max: 40 }), fresh: fc.boolean() }), weight: 4 },
      { arbitrary: fc.record({ kind: fc.constant('batch' as const), values: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 30 }) }), weight: 1 },
    );
    // Nodes shelved over all runs, and runs that shelved one: the property is not passing by an idle shelf.
    let shelvedNodes = 0;
    let shelvingRuns = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 1_500 }), fc.array(step, { minLength: 20, maxLength: 120 }), fc.boolean(), (start, steps, cached) => {
        // Cached, every reading of a node gets the one object: an edit that changed it would show in every version.
        const shelf = new MemoryShelf(cached);
        const marks = new VisitMarks();
        const initial = Array.from({ length: start }, (_, n) => ({ value: n % 401 / 2, id: `s${n}` }));
        let shelved: PersistentBag = built(initial);
        let plain: PersistentBag = built(initial);
        const versions: [PersistentBag, PersistentBag][] = [];
        let made = 0;
        for (const op of steps) {
          if (op.kind === 'add') {
            shelved = bagAdd(shelved, op.value, `x${op.id}`);
            plain = bagAdd(plain, op.value, `x${op.id}`);
          } else if (op.kind === 'remove') {
            const size = bagSize(plain);
            if (size === 0) continue;
            const target = [...bagEntriesFrom(plain, op.pick % size)][0]!;
            shelved = bagRemove(shelved, target.value, target.id);
            plain = bagRemove(plain, target.value, target.id);
          } else if (op.kind === 'batch') {
            const edit = (bag: PersistentBag) => op.values.reduce((next, value, n) => (n % 3 === 2 ? bagRemove(next, value / 2, `b${value}`) : bagAdd(next, value / 2, `b${value}`)), bag);
            shelved = inOneEdit(() => edit(shelved));
            plain = inOneEdit(() => edit(plain));
          } else made += visit([shelved], marks, shelf, op.budget, op.fresh).made;
          versions.push([shelved, plain]);
        }
        // Every version, the earlier ones included, reads as the bag never shelved.
        for (const [one, other] of versions.filter((_, index) => index % 7 === 0 || index === versions.length - 1)) {
          const elements = elementsOf(other);
          assert.deepEqual(elementsOf(one), elements);
          assert.equal(bagSize(one), bagSize(other));
          for (const rank of [0, 1, elements.length >> 1, elements.length - 1]) {
            assert.equal(bagAt(one, rank), bagAt(other, rank));
            assert.deepEqual([...bagEntriesFrom(one, rank)].slice(0, 3), [...bagEntriesFrom(other, rank)].slice(0, 3));
          }
          for (const limit of [0, 50, 100.5, 200]) {
            assert.equal(bagCountBelow(one, limit), bagCountBelow(other, limit));
            assert.equal(bagCountBelow(one, limit, true), bagCountBelow(other, limit, true));
          }
          for (const element of elements.filter((_, index) => index % 97 === 0)) {
            const [value, id] = element.split('/') as [string, string];
            assert.ok(bagHas(one, Number(value), id));
            assert.equal(bagCountBefore(one, Number(value), id), bagCountBefore(other, Number(value), id));
          }
        }
        runs += 1;
        shelvedNodes += made;
        if (made > 0) shelvingRuns += 1;
      }),
      { numRuns: 150 },
    );
    assert.ok(shelvingRuns * 2 > runs, `${shelvingRuns} of ${runs} runs shelved a node (${shelvedNodes} in all)`);
  });

  it('shelves no node holding a value JSON does not write, nor any node above it; a -0 reads back as 0, the same value to the bag', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const elements = filings(3_000);
    const odd = new Map([[1_000, Number.NaN], [2_000, Number.POSITIVE_INFINITY]]);
    const bag = built(elements.map((element, index) => ({ ...element, value: odd.get(index) ?? element.value })));
    visit([bag], marks, shelf);
    visit([bag], marks, shelf);
    assert.ok(shelf.texts.length > 0);
    assert.ok(shelf.texts.every((text) => !(JSON.parse(text) as [number, (number | null)[]])[1].includes(null)), 'a text holds a value written as null');
    assert.ok(heldNodes(bag).shelved > 0, 'the nodes beside it went');
    const zero = new BagNode(0, 2, [-0, 1], ['a', 'b'], undefined, undefined);
    const back = bagNodeFromText(bagNodeText(zero, () => undefined), shelf);
    assert.deepEqual(back.values, [0, 1]);
    assert.equal(back.values[0] === zero.values[0], true);
  });

  it('stops walking once its budget is spent: a visit that goes on walks the nodes it shelves and the paths to them, not the whole bag', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const bag = built(filings(30_000));
    const nodes = heldNodes(bag).inHeap;
    visit([bag], marks, shelf);
    let seen = 0;
    const counting = { seenBefore: (node: BagNode) => marks.seenBefore(node), see: (node: BagNode) => (seen += 1, marks.see(node)) };
    marks.turn();
    const found = findColdNodes([bag], counting, shelf, 10);
    assert.equal(found.shelvings.length, 10);
    assert.equal(found.more, true);
    assert.ok(seen < 40, `${seen} of ${nodes} nodes walked to shelve 10`);
  });

  it('fails a reading when its shelf cannot be read, and leaves the bag as it was', () => {
    const shelf = new MemoryShelf();
    const marks = new VisitMarks();
    const bag = built(filings(2_000));
    visit([bag], marks, shelf);
    visit([bag], marks, shelf);
    shelf.broken = true;
    assert.throws(() => elementsOf(bag), /cannot be read/);
    assert.throws(() => bagAdd(bag, 1, 'first'), /cannot be read/);
    assert.equal(bagSize(bag), 2_000, 'the size is read without the shelf');
    shelf.broken = false;
    assert.equal(elementsOf(bag).length, 2_000);
    assert.equal(bagSize(emptyBag()), 0);
    assert.equal(EMPTY_BAG.root, undefined);
  });
});
