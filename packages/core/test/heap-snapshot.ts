import { getHeapSnapshot } from 'node:v8';

/** A V8 heap snapshot as its JSON gives it: flat arrays of nodes and edges, described by `meta`. */
export interface HeapSnapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[]]; readonly edge_fields: string[]; readonly edge_types: [string[]] } };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

/** A heap snapshot of this process, after the full collection V8 makes first: what the tests of memory per entry ask V8 (issue 14). */
export async function heapSnapshot(): Promise<HeapSnapshot> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshot;
}
