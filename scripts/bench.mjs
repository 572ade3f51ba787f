#!/usr/bin/env node
// Runs every benchmark (packages/*/bench/*.bench.ts) one after another, so that they do not
// compete for the 2 cores. Each prints its figure beside the goal its issue names.
// `npm run bench -- log` runs only the benchmarks whose path contains "log".
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv.slice(2);
const benches = [];
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) {
    const path = join('packages', pkg, 'bench', file);
    if (file.endsWith('.bench.ts') && (filter.length === 0 || filter.some((part) => path.includes(part)))) benches.push(path);
  }
}
if (benches.length === 0) {
  console.error(`No benchmark matched ${filter.join(' ') || '(all)'}.`);
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.error(`${bench} exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
