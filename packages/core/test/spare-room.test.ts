import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bagAdd, bagFromElements, bagRemove, emptyBag, emptyMap, emptyPositionalMap, inOneEdit, mapDelete, mapFromEntries, mapSet, positionalMapFromEntries, type PersistentBag, type PersistentMap } from '../src/index.ts';
import { levelOf } from '../src/statistics/bag-node.ts';
import { heapSnapshot } from './heap-snapshot.ts';

/**
 * Issue 14, memory per entry: the arrays of a trie's branches and of a bag's nodes are held at
 * their length, with no room to grow (spliced.ts says why: a branch that gained a key by
 * `splice` kept some 13 slots spare).
 *
 * V8 is asked through a heap snapshot: an array's store of pointers is an object whose size is
 * its capacity (16 bytes and 8 a slot), and the array has an edge to each element it holds.
 * Every branch and bag node alive is checked, those of the structures built here among them.
 */
interface Room {
  readonly arrays: number;
  /** Slots beyond the arrays' lengths, in all. */
  readonly spare: number;
}

/** With `nested`, the arrays the counted ones hold as elements are counted too, and theirs (the nodes of a vector). */
async function roomIn(holders: readonly string[], members: readonly string[], nested = false): Promise<Room> {
  const { snapshot: { meta }, nodes, edges, strings } = await heapSnapshot();
  const width = meta.node_fields.length;
  const [name, size, edgeCount] = ['name', 'self_size', 'edge_count'].map((field) => meta.node_fields.indexOf(field)) as [number, number, number];
  const step = meta.edge_fields.length;
  const [edgeType, edgeName, edgeTo] = ['type', 'name_or_index', 'to_node'].map((field) => meta.edge_fields.indexOf(field)) as [number, number, number];
  const [types] = meta.edge_types;
  const firstEdge: number[] = [];
  for (let node = 0, edge = 0; node < nodes.length; node += width, edge += nodes[node - width + edgeCount]! * step) firstEdge.push(edge);
  const edgesOf = function* (node: number): Generator<{ type: string; name: string | number; to: number }> {
    for (let edge = firstEdge[node / width]!, left = nodes[node + edgeCount]!; left > 0; left -= 1, edge += step) {
      const type = types[edges[edge + edgeType]!]!;
      const label = edges[edge + edgeName]!;
      yield { type, name: type === 'element' || type === 'hidden' ? label : strings[label]!, to: edges[edge + edgeTo]! };
    }
  };
  let arrays = 0;
  let spare = 0;
  for (let node = 0; node < nodes.length; node += width) {
    if (!holders.includes(strings[nodes[node + name]!]!)) continue;
    for (const member of edgesOf(node)) {
      if (member.type !== 'property' || !members.includes(member.name as string)) continue;
      for (const lists = [member.to]; lists.length > 0; ) {
        const list = lists.pop()!;
        const elements = [...edgesOf(list)].filter((edge) => edge.type === 'element');
        const store = [...edgesOf(list)].find((edge) => edge.type === 'internal' && edge.name === 'elements');
        if (store === undefined) continue;
        arrays += 1;
        spare += (nodes[store.to + size]! - 16) / 8 - elements.length;
        if (nested) for (const element of elements) if (strings[nodes[element.to + name]!] === 'Array') lists.push(element.to);
      }
    }
  }
  return { arrays, spare };
}

/** An id whose element is of `level` (bag-node.ts `levelOf`). */
function idOfLevel(level: number): string {
  for (let n = 0; ; n++) if (levelOf(`lift-${n}`) === level) return `lift-${n}`;
}

describe('the arrays of the persistent structures have no spare room', () => {
  it('in the branches of a trie, set and deleted key by key or built at once', async () => {
    let map: PersistentMap<number> = emptyMap();
    for (let n = 0; n < 3_000; n++) map = mapSet(map, `US-${n}`, n);
    for (let n = 0; n < 3_000; n += 7) map = mapDelete(map, `US-${n}`);
    const built = mapFromEntries(Array.from({ length: 3_000 }, (_, n) => [`RU-${n}`, n] as const));
    const room = await roomIn(['Branch'], ['children']);
    assert.ok(room.arrays > 200, `${room.arrays} branches seen`);
    assert.equal(room.spare, 0, `${room.spare} spare slots in ${room.arrays} branches`);
    assert.equal(map.size + built.size, 3_000 - 429 + 3_000);
  });

  it('in the nodes of a map held by position, appended to and popped one by one, or built at once', async () => {
    let map: PersistentMap<string> = emptyPositionalMap();
    for (let n = 0; n < 3_000; n++) map = mapSet(map, String(n), `US-${n}`);
    for (let n = 3_000; n > 2_500; n--) map = mapDelete(map, String(n - 1));
    const built = positionalMapFromEntries(new Map(Array.from({ length: 3_000 }, (_, n) => [String(n), `RU-${n}`] as const)));
    const room = await roomIn(['Positions'], ['top'], true);
    assert.ok(room.arrays > 150, `${room.arrays} vector nodes seen`);
    assert.equal(room.spare, 0, `${room.spare} spare slots in ${room.arrays} vector nodes`);
    assert.equal(map.size + built.size, 2_500 + 3_000);
  });

  it('in the nodes of a bag, added to and taken from one by one, in an edit, or built at once', async () => {
    let bag: PersistentBag<string> = emptyBag();
    for (let n = 0; n < 3_000; n++) bag = bagAdd(bag, n % 97, `US-${n}`, `item ${n % 5}`);
    for (let n = 0; n < 3_000; n += 7) bag = bagRemove(bag, n % 97, `US-${n}`);
    const edited = inOneEdit(() => {
      let inside = bag;
      for (let n = 0; n < 1_000; n++) inside = bagAdd(inside, n % 89, `RU-${n}`, 'edited');
      return inside;
    });
    const built = bagFromElements(Array.from({ length: 3_000 }, (_, n) => ({ value: n % 97, id: `UA-${n}`, item: 'built' })));
    // Last, outside any edit: an element of a level above the others', which splits the nodes below it.
    const lifted = bagAdd(bag, 50, idOfLevel(2), 'lifted');
    const room = await roomIn(['BagNode'], ['ids', 'items', 'children']);
    assert.ok(room.arrays > 200, `${room.arrays} node arrays seen`);
    assert.equal(room.spare, 0, `${room.spare} spare slots in ${room.arrays} node arrays`);
    assert.ok(bag.root !== undefined && edited.root !== undefined && built.root !== undefined && lifted.root !== bag.root);
  });
});
