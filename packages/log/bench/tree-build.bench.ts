/**
 * Tree build (issue 3: goal ≥ 200,000 leaves/s), and our build against Go's sumdb/tlog on
 * the same leaves, as a ratio from one run where Go is present.
 * Run: node --import tsx packages/log/bench/tree-build.bench.ts [leaves]
 * Leaf i is i as 8 big-endian bytes, hashed as an RFC 6962 leaf; the figure includes the
 * leaf hashing and every interior node, as a mirror rebuilding a log from entries does.
 */
import { MerkleTree, toBase64 } from '../src/index.ts';
import { buildInterop, goMissing, runInterop } from '../test/go/go-interop.ts';
import { best, report } from '@evenhand/testing';

const leaves = Number(process.argv[2] ?? 262_144);
const data = Array.from({ length: leaves }, (_, i) => {
  const leaf = new Uint8Array(8);
  new DataView(leaf.buffer).setBigUint64(0, BigInt(i));
  return leaf;
});

let root = '';
const seconds = best(3, () => {
  const tree = new MerkleTree();
  for (const leaf of data) tree.append(leaf);
  root = toBase64(tree.root());
});
const ours = leaves / seconds;
report(`tree build, ${leaves.toLocaleString('en-US')} leaves`, ours, 'leaves/s', 200_000, 'higher');

const missing = goMissing();
if (missing) {
  console.log(`tree build vs Go sumdb/tlog: skipped (${missing})`);
} else {
  const { binary, cleanup } = buildInterop();
  try {
    const go = runInterop<{ seconds: number; root: string }>(binary, ['bench', String(leaves)], {});
    if (go.root !== root) throw new Error(`Go computed another root: ${go.root} against ours ${root}`);
    const goRate = leaves / go.seconds;
    console.log(`tree build vs Go sumdb/tlog (same leaves, same root): ours ${Math.round(ours).toLocaleString('en-US')} leaves/s, Go ${Math.round(goRate).toLocaleString('en-US')} leaves/s, ratio ours/Go = ${(ours / goRate).toFixed(2)} (one run)`);
  } finally {
    cleanup();
  }
}
