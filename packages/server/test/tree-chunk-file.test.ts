import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_HASHES, MerkleTree, toHex } from '@evenhand/log';
import { processTreeChunks, TreeChunkFile } from '../src/replay/tree-chunk-file.ts';

/**
 * Issue 14, "RSS flat after warm-up": a service's Merkle trees keep the full chunks of their low
 * levels in a file of the process's own (replay/tree-chunk-file.ts), and read them back for the
 * proofs and tiles of old entries. What they give must be what a tree held in memory gives.
 */
describe('a tree whose chunks are in a file', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'evenhand-tree-chunks-test-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('gives the levels, roots and proofs of a tree in memory, leaves no file behind, and is not read once closed', () => {
    const file = new TreeChunkFile(directory);
    assert.deepEqual(readdirSync(directory), [], 'the file is unlinked once opened');
    const size = 5 * CHUNK_HASHES + 3;
    const inFile = new MerkleTree(file);
    const inMemory = new MerkleTree();
    for (let i = 0; i < size; i++) {
      const entry = new TextEncoder().encode(`entry ${i}`);
      inFile.append(entry);
      inMemory.append(entry);
    }
    assert.deepEqual(inFile.levelBytes().map(toHex), inMemory.levelBytes().map(toHex));
    for (const [index, at] of [[0, size], [1500, 3000], [size - 1, size]] as const) {
      const proof = inFile.inclusionProof(index, at);
      const expected = inMemory.inclusionProof(index, at);
      assert.ok(proof.ok && expected.ok);
      assert.deepEqual(proof.value.map(toHex), expected.value.map(toHex));
      assert.equal(toHex(inFile.root(at)), toHex(inMemory.root(at)));
    }
    file.close();
    assert.throws(() => inFile.hashAt(0, 0), /the tree chunk file was read after it was closed/);
  });

  it('is one file for the whole process', () => {
    assert.equal(processTreeChunks(), processTreeChunks());
  });
});
