import { ShelvedBagNode, type BagNode, type PersistentBag } from '@evenhand/core';

/**
 * How many nodes of `bags` are in the heap, and how many shelved subtrees those nodes hold (a
 * shelved subtree counts once, unopened), walking only the nodes in the heap: what the tests of
 * the figure index's shelving (core statistics/bag-shelving.ts) check.
 */
export function heldBagNodes(bags: readonly PersistentBag<unknown>[]): { readonly inHeap: number; readonly shelved: number } {
  let inHeap = 0;
  let shelved = 0;
  // A bag's subtree is a node in the heap, a shelved node, or none (core statistics/bag-node.ts).
  const walk = (child: BagNode | ShelvedBagNode | undefined): void => {
    if (child instanceof ShelvedBagNode) shelved += 1;
    else if (child !== undefined) {
      inHeap += 1;
      child.children?.forEach(walk);
    }
  };
  for (const bag of bags) walk(bag.root);
  return { inHeap, shelved };
}
