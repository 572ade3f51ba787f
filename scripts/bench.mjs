#!/usr/bin/env node
// Runs every benchmark (packages/*/bench/*.bench.ts) one after another, so that they do not
// compete for the 2 cores. Each prints its figure beside the goal its issue names.
// `npm run bench -- log` runs only the benchmarks whose path contains "log". An argument that
// names no benchmark is passed on to those that run (`npm run bench -- growth 10000 100000`).
// With no filter, every benchmark runs with EVENHAND_BENCH_ALL=1, so that a long one (the
// sustained run) can take its short form when it was not asked for by name.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = [];
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) if (file.endsWith('.bench.ts')) all.push(join('packages', pkg, 'bench', file));
}
const args = process.argv.slice(2);
const filter = args.filter((arg) => all.some((path) => path.includes(arg)));
const passed = args.filter((arg) => !filter.includes(arg));
const benches = all.filter((path) => filter.length === 0 || filter.some((part) => path.includes(part)));
if (benches.length === 0) {
  console.error(`No benchmark matched ${filter.join(' ') || '(all)'}.`);
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const env = filter.length === 0 ? { ...process.env, EVENHAND_BENCH_ALL: '1' } : process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench, ...passed], { cwd: root, stdio: 'inherit', env });
  if (run.status !== 0) {
    failed++;
    console.error(`${bench} exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
