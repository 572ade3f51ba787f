#!/usr/bin/env node
// Summarises a V8 CPU profile (written by `node --cpu-prof`): self time by function, then by
// part of the system. Issue 14 asks where an append's time goes; this is how the figures in
// its notes were read:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx packages/server/bench/append.bench.ts
//   node scripts/cpu-profile-summary.mjs /tmp/prof/<the main thread's .cpuprofile> [rows]
import { readFileSync } from 'node:fs';

const [file, rowsArgument] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/cpu-profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(64);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

/** Where a frame's code lives, shortened to the package and file. */
function place(url) {
  return url.replace(/^.*node_modules\//, 'nm:').replace(/^.*packages\//, '');
}

/** The part of the system a frame belongs to, from its function name and file. */
function partOf(name, url) {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (/sodium-native|noble/.test(url)) return 'Ed25519 (sign and verify)';
  if (/kysely\/dist\/esm\/dialect\/sqlite|better-sqlite3/.test(url)) return 'SQLite statements';
  if (/nm:kysely/.test(url)) return 'kysely (query building)';
  if (/nm:(fastify|avvio|find-my-way|@fastify|light-my-request)/.test(url)) return 'fastify';
  if (/nm:zod/.test(url)) return 'zod';
  if (/nm:canonicalize|log\/src\/(entry|encoding|json-strict)/.test(url)) return 'JSON, canonical form, base64';
  if (/^core\/src/.test(url)) return 'core (apply)';
  if (/^log\/src/.test(url)) return 'log (verify, tree)';
  if (/^server\/src\/replay/.test(url)) return 'snapshots';
  if (/^server\/src/.test(url)) return 'server';
  if (/^node:/.test(url) || url === '') return 'node internals';
  return 'other';
}

const byFunction = new Map();
const byPart = new Map();
let total = 0;
profile.samples.forEach((id, position) => {
  const { functionName, url, lineNumber } = nodes.get(id).callFrame;
  const micros = profile.timeDeltas[position] ?? 0;
  total += micros;
  const where = place(url);
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const part = partOf(functionName, where);
  byPart.set(part, (byPart.get(part) ?? 0) + micros);
});

const line = (micros, label) => `${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${label}`;
console.log(`${(total / 1e6).toFixed(2)} s of samples`);
console.log('\nBy function (self time):');
for (const [key, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArgument ?? 25))) console.log(line(micros, key));
console.log('\nBy part:');
for (const [part, micros] of [...byPart].sort((a, b) => b[1] - a[1])) console.log(line(micros, part));
