#!/usr/bin/env node
// Runs the whole suite: the type check, then every *.test.ts under packages/ with node's
// own test runner. Node 20's runner finds no .ts files by itself, so the files are listed
// explicitly (reference/stack.md §1). The runner's summary is printed last, for CI.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findTests(path, out);
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const filter = process.argv.slice(2);
const files = findTests(join(root, 'packages'), [])
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched ${filter.join(' ')}`);
  process.exit(1);
}

if (filter.length === 0) {
  console.error('Type-checking (tsc, strict)…');
  // The web package has its own tsconfig (DOM, JSX, bundler resolution).
  for (const project of ['tsconfig.json', 'packages/web/tsconfig.json']) {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`Type check of ${project} failed; fix the errors above.`);
      process.exit(tsc.status ?? 1);
    }
  }
}

// No --test-force-exit: it ends each test file's process as soon as its tests are done,
// which can cut off the reports still on their way through the pipe (a CI run here lost one
// suite's results that way). Tests close what they open instead.
const runnerArgs = ['--import', 'tsx', '--test', '--test-reporter=spec'];
const run = spawnSync(process.execPath, [...runnerArgs, ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
