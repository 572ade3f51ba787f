#!/usr/bin/env node
// Compiles the packages' TypeScript to JavaScript (issue 16): one tsc run over every package
// but web (vite builds it) and testing (tests only), into .build/<package>/src, then each
// package's output moves to packages/<package>/dist, which its exports name under the
// "evenhand-dist" condition (packages/cli/bin/evenhand.js). Skipped when every dist is newer
// than every source file; `--force` builds anyway.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['core', 'crypto', 'log', 'store', 'server', 'cli'];
const STAMP = join(root, '.build', 'stamp');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(...PACKAGES.map((name) => newest(join(root, 'packages', name, 'src'))), statSync(join(root, 'tsconfig.build.json')).mtimeMs);
const built = existsSync(STAMP) && PACKAGES.every((name) => existsSync(join(root, 'packages', name, 'dist'))) ? statSync(STAMP).mtimeMs : 0;
if (!process.argv.includes('--force') && built > sources) process.exit(0);

console.error('evenhand: compiling the packages to JavaScript (tsc)…');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('evenhand: the build failed; fix the errors above.');
  process.exit(tsc.status ?? 1);
}
for (const name of PACKAGES) {
  const dist = join(root, 'packages', name, 'dist');
  rmSync(dist, { recursive: true, force: true });
  // Moved, not copied: every build emits every file (no incremental build, whose record of
  // outputs would not see them moved).
  renameSync(join(root, '.build', name, 'src'), dist);
}
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
