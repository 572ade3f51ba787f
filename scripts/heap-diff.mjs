#!/usr/bin/env node
// What a service holds for each record it gained: compares two V8 heap snapshots of one
// process (node --heapsnapshot-signal=SIGUSR2, or v8.writeHeapSnapshot), taken before and
// after `per` records (filings, entries), and prints the bytes and objects the later one
// holds beyond the earlier, per record, by kind of object. With --into NAME, it prints
// instead what holds the objects of that name the later snapshot gained (`Array`, `BagNode`,
// `(heap number)`, ...), by holder and member, with their bytes: how DEVELOPERS.md "Memory
// per record" found boxed numbers, a chain of states kept alive and spare room in arrays
// (issue 14).
//
//   node scripts/heap-diff.mjs before.heapsnapshot after.heapsnapshot [per] [--into NAME]
//
// A snapshot is read as one string, so each must be under V8's limit of 512 MiB: take them
// of a small log (the 10^4 growth log) rather than of a large one.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const intoAt = args.indexOf('--into');
const into = intoAt >= 0 ? args.splice(intoAt, 2)[1] : undefined;
const [beforeFile, afterFile, perText = '1'] = args;
if (!beforeFile || !afterFile || !(Number(perText) > 0)) {
  console.error('usage: node scripts/heap-diff.mjs before.heapsnapshot after.heapsnapshot [per] [--into NAME]');
  process.exit(2);
}
const per = Number(perText);

/** A snapshot's nodes as columns, with the name each is counted under. */
function read(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const width = meta.node_fields.length;
  const at = (field) => meta.node_fields.indexOf(field);
  const [type, name, id, size, edges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map(at);
  const types = meta.node_types[0];
  // Strings and numbers are named by their kind: their names are their contents.
  const nameOf = (node) => {
    const kind = types[snapshot.nodes[node + type]];
    if (kind === 'number') return '(heap number)';
    if (kind.includes('string')) return '(string)';
    return `${snapshot.strings[snapshot.nodes[node + name]].slice(0, 50)}${kind === 'object' ? '' : ` (${kind})`}`;
  };
  return { snapshot, meta, width, type, id, size, edges, nameOf };
}

const before = read(beforeFile);
const ids = new Set();
for (let node = 0; node < before.snapshot.nodes.length; node += before.width) ids.add(before.snapshot.nodes[node + before.id]);
const after = read(afterFile);
const nodes = after.snapshot.nodes;
const isNew = (node) => !ids.has(nodes[node + after.id]);
const rows = new Map();
const add = (key, bytes) => {
  const row = rows.get(key) ?? { count: 0, bytes: 0 };
  row.count += 1;
  row.bytes += bytes;
  rows.set(key, row);
};

if (into === undefined) {
  // Gained: in the later snapshot and not the earlier (V8 keeps an object's id across snapshots of one process).
  for (let node = 0; node < nodes.length; node += after.width) if (isNew(node)) add(after.nameOf(node), nodes[node + after.size]);
} else {
  const { edge_fields: fields, edge_types: [edgeTypes] } = after.meta;
  const [edgeType, edgeName, edgeTo] = ['type', 'name_or_index', 'to_node'].map((field) => fields.indexOf(field));
  const edges = after.snapshot.edges;
  let edge = 0;
  for (let node = 0; node < nodes.length; node += after.width) {
    for (let left = nodes[node + after.edges]; left > 0; left -= 1, edge += fields.length) {
      const to = edges[edge + edgeTo];
      if (!isNew(to) || after.nameOf(to) !== into) continue;
      const kind = edgeTypes[edges[edge + edgeType]];
      // Element and hidden edges are numbered, not named: a boxed number field shows as "[hidden]".
      const member = kind === 'element' || kind === 'hidden' ? `[${kind}]` : after.snapshot.strings[edges[edge + edgeName]];
      add(`${after.nameOf(node)} .${member}`, nodes[to + after.size]);
    }
  }
}

const sorted = [...rows].sort((a, b) => b[1].bytes - a[1].bytes || b[1].count - a[1].count);
const total = sorted.reduce((sum, [, row]) => sum + row.bytes, 0);
if (into === undefined) console.log(`gained per record (of ${per}): ${(total / per).toFixed(0)} bytes`);
console.log(`bytes  objects  ${into === undefined ? 'kind' : `holder .member of the ${into} gained`}`);
for (const [key, row] of sorted.slice(0, 25)) console.log(`${(row.bytes / per).toFixed(0).padStart(5)}  ${(row.count / per).toFixed(2).padStart(7)}  ${key}`);
