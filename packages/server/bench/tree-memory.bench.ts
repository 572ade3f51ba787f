/**
 * Issue 14, memory per entry, for the Merkle tree alone: the bytes outside V8's heap (its
 * ArrayBuffers) that a tree holds for each leaf, held in memory (as `verify` holds it) and with
 * its low levels' chunks in a file (as the exchange and the gateways hold it,
 * server replay/tree-chunk-file.ts). Both trees are kept to the end, so that the second reading
 * sees no buffer of the first one freed late.
 *
 * Run: npm run bench -- tree-memory [leaves]   (200,000 unless given)
 */
import { MerkleTree } from '@evenhand/log';
import { fullCollection, report } from '@evenhand/testing';
import { TreeChunkFile } from '../src/replay/tree-chunk-file.ts';

const [leaves = 200_000] = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const collect = fullCollection();
const buffersHeld = (): number => {
  collect();
  collect();
  return process.memoryUsage().arrayBuffers;
};

/** The tree of `leaves` entries, and the bytes of ArrayBuffers it added for each. */
function grown(file: TreeChunkFile | undefined): { readonly tree: MerkleTree; readonly perLeaf: number } {
  const before = buffersHeld();
  const tree = new MerkleTree(file);
  const encoder = new TextEncoder();
  for (let i = 0; i < leaves; i++) tree.append(encoder.encode(`entry ${i}`));
  return { tree, perLeaf: (buffersHeld() - before) / leaves };
}

const file = new TreeChunkFile();
const inMemory = grown(undefined);
const inFile = grown(file);
if (inMemory.tree.size !== leaves || inFile.tree.size !== leaves) throw new Error('a tree lost leaves');
// The goal is for the whole process (≤ 1 KB an entry beyond its own bytes): the tree's share of it.
const goal = 1024;
report(`Merkle tree held in memory, ${leaves.toLocaleString('en-US')} leaves`, inMemory.perLeaf, 'bytes per entry', goal, 'lower', 'the tree\'s share of the whole process\'s budget; its hashes are 64 bytes a leaf');
report(`Merkle tree with its low levels in a file, ${leaves.toLocaleString('en-US')} leaves`, inFile.perLeaf, 'bytes per entry', goal, 'lower', `the tree's share of the whole process's budget; its file holds some ${((inFile.tree.size * 63) / 1e6).toFixed(1)} MB`);
file.close();
