import type { Shelf } from '../request/shelved-value.ts';
import { BagNode, countIn, ShelvedBagNode, type BagChild } from './bag-node.ts';
import type { PersistentBag } from './persistent-bag.ts';

/**
 * The subtrees of bags that no edit has changed for a while, put on a shelf the holder of the
 * bags keeps (issue 14, "RSS flat after warm-up"), as request records are (request/shelved-value.ts).
 *
 * Why: the figure index's bags (figure-index.ts) hold an element or more for every open
 * obligation, pending request and filing, some 176 bytes of heap a filing (`npm run bench --
 * state-memory`), for as long as the process runs. Most bags are ordered by an instant (a
 * filing, a due date), so new elements join at one end, and the nodes behind it are not edited
 * again for a long time, if ever.
 *
 * What is cold is learnt without a clock and without a walk over the bags: the holder visits
 * the nodes of its bags that are in the heap now and then (`shelveColdNodes`), and a node it
 * visited last time too has not been edited since, for an edit makes new nodes along its path
 * (persistent-bag.ts). Such a node is shelved once its own subtrees are: bottom up, so a node's
 * text holds its elements and where its subtrees are (`bagNodeText`), never a subtree's
 * elements, and reading a shelved subtree reads one node. A shelved node takes the place of the
 * node in its parent's list of subtrees: the same value, so every bag and every earlier state
 * that shares the parent reads the same elements. A bag's root stays in the heap, so a bag is
 * never itself replaced; nor are nodes whose elements carry items (their items are any value), and
 * so neither are their ancestors.
 *
 * A visit costs the nodes in the heap, which shelving keeps to those edited since the last
 * visit or two, and the paths above them: amortised O(1) per edit, not per element held.
 */

/** Where a node's text was put on the holder's shelf. */
export interface ShelfPlace {
  readonly at: number;
  readonly length: number;
}

/** A shelf of bag nodes: it reads them back (`Shelf`), and takes a node's text (`bagNodeText`), to be written by the holder before the visit's changes are made. */
export interface BagNodeShelf extends Shelf<BagNode> {
  place(text: string): ShelfPlace;
}

/**
 * A node's text on a shelf: `[level, values, ids, subtrees]`, each subtree as `[count, at,
 * length]` or 0 when there is none, and subtrees null at level 0. Numbers are written by
 * JSON's shortest round-trip form, so every finite value reads back as the same double
 * (`findColdNodes` shelves no node holding another).
 * `shelvedOf` gives the place of each subtree, shelved already or in the same visit.
 */
export function bagNodeText(node: BagNode, shelvedOf: (child: BagChild) => ShelvedBagNode | undefined): string {
  const children = node.children?.map((child) => {
    if (child === undefined) return 0;
    const shelved = shelvedOf(child);
    if (shelved === undefined) throw new Error('a bag node is shelved before its subtrees');
    return [shelved.count, shelved.at, shelved.length];
  });
  return JSON.stringify([node.level, node.values, node.ids, children ?? null]);
}

/** The node `bagNodeText` wrote, its subtrees shelved on `shelf`: never one an open edit may change (its count is positive). */
export function bagNodeFromText(text: string, shelf: Shelf<BagNode>): BagNode {
  const [level, values, ids, held] = JSON.parse(text) as [number, number[], string[], ([number, number, number] | 0)[] | null];
  const children = held?.map((child) => (child === 0 ? undefined : new ShelvedBagNode(child[0], shelf, child[1], child[2])));
  return new BagNode(level, countIn(values.length, children), values, ids, undefined, children ?? undefined);
}

/** What the holder keeps between visits: the nodes the last visit found in the heap, and those this one finds. */
export interface ColdNodeMarks {
  /** Whether the previous visit found `node` in the heap: it has not been edited since. */
  seenBefore(node: BagNode): boolean;
  /** Marks `node` as found in the heap by this visit. */
  see(node: BagNode): void;
}

/**
 * The marks as a holder keeps them: the nodes the last visit found in the heap (`previous`),
 * and those this one finds, held weakly, so that a node let go is forgotten.
 */
export class VisitMarks implements ColdNodeMarks {
  private previous = new WeakSet<BagNode>();
  private current = new WeakSet<BagNode>();

  seenBefore(node: BagNode): boolean {
    return this.previous.has(node);
  }

  see(node: BagNode): void {
    this.current.add(node);
  }

  /** A new visit begins: what the last one found is what this one asks about. */
  turn(): void {
    this.previous = this.current;
    this.current = new WeakSet();
  }
}

/** One replacement a visit makes once its texts are written: `parent`'s subtree at `at` becomes `shelved`. */
export interface NodeShelving {
  readonly parent: BagNode;
  readonly at: number;
  readonly node: BagNode;
  readonly shelved: ShelvedBagNode;
}

/**
 * Whether a node may go to a shelf, its subtrees aside: not one whose elements carry items, which
 * may be any value, nor one with a value JSON does not write (NaN and the infinities become null).
 * A -0 is written as 0, which every comparison of the bag takes for the same value.
 */
const shelvable = (node: BagNode): boolean => node.items === undefined && node.values.every(Number.isFinite);

/**
 * Finds the cold nodes of `bags` (see above), at most `budget` of them, and places their texts
 * on `shelf`, bottom up; it changes no node. The holder writes the texts, then makes the
 * replacements (`applyShelving`): a shelf that cannot be written leaves every bag as it was.
 * Returns the replacements, whether the budget ran out before every cold node was found, and
 * how many nodes it found that the last visit had not (new since, or never visited).
 *
 * Once the budget runs out the visit stops: the nodes it did not reach are asked about again by
 * the visit that goes on with the same marks, so a visit walks the nodes in the heap up to its
 * budget's worth of cold ones, not every node a restart's index holds each time.
 */
export function findColdNodes(bags: readonly PersistentBag<unknown>[], marks: ColdNodeMarks, shelf: BagNodeShelf, budget: number): { readonly shelvings: NodeShelving[]; readonly more: boolean; readonly unseen: number } {
  const shelvings: NodeShelving[] = [];
  const placed = new Map<BagNode, ShelvedBagNode>();
  let more = false;
  let unseen = 0;
  const shelvedOf = (child: BagChild): ShelvedBagNode | undefined => (child instanceof ShelvedBagNode ? child : child && placed.get(child));
  // Whether every subtree of `node` is shelved, or is to be by this visit.
  function visit(node: BagNode): boolean {
    if (!marks.seenBefore(node)) unseen += 1;
    marks.see(node);
    let all = true;
    const children = node.children;
    if (children === undefined) return true;
    for (let at = 0; at < children.length && !more; at++) {
      const child = children[at];
      if (!(child instanceof BagNode) || placed.has(child)) continue;
      // A node that may not go keeps its ancestors in the heap too: their texts would name it.
      const cold = marks.seenBefore(child);
      if (!visit(child) || !cold || !shelvable(child)) {
        all = false;
        continue;
      }
      if (shelvings.length >= budget) {
        more = true;
        all = false;
        continue;
      }
      const where = shelf.place(bagNodeText(child, shelvedOf));
      const shelved = new ShelvedBagNode(child.count, shelf, where.at, where.length);
      placed.set(child, shelved);
      shelvings.push({ parent: node, at, node: child, shelved });
    }
    return all;
  }
  // A root with a negated count is an open edit's (bag-node.ts `inOneEdit`): so is every node under it that it made, and none is visited.
  for (const bag of bags) if (!more && bag.root !== undefined && bag.root.count >= 0 && bag.root.items === undefined) visit(bag.root);
  return { shelvings, more, unseen };
}

/**
 * Makes the replacements `findColdNodes` gave, once their texts are written: each parent that
 * still holds the node in that place holds it shelved instead. A parent is changed in place,
 * with the same elements: every bag that holds it reads what it read before.
 */
export function applyShelving(shelvings: readonly NodeShelving[]): number {
  let made = 0;
  for (const { parent, at, node, shelved } of shelvings) {
    if (parent.children?.[at] !== node) continue;
    parent.children[at] = shelved;
    made += 1;
  }
  return made;
}
