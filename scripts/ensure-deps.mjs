#!/usr/bin/env node
// Installs dependencies when they are missing or stale, so that `npm start` and `npm test`
// work on a fresh clone (the set-up contract in DEVELOPERS.md). Uses only Node built-ins,
// because it runs before anything is installed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.evenhand-deps');

function manifestFingerprint() {
  const hash = createHash('sha256');
  const files = ['package.json', 'package-lock.json'];
  for (const dir of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (dir.isDirectory()) files.push(join('packages', dir.name, 'package.json'));
  }
  for (const file of files.sort()) {
    const path = join(root, file);
    hash.update(file + '\0' + (existsSync(path) ? readFileSync(path) : '') + '\0');
  }
  return hash.digest('hex');
}

const wanted = manifestFingerprint();
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (have === wanted) process.exit(0);

// A fresh clone gets the exact lockfile (`npm ci`). Where node_modules already exists,
// `npm install` updates it in place instead of wiping it, which `npm ci` would do.
const hasLock = existsSync(join(root, 'package-lock.json'));
const hasModules = existsSync(join(root, 'node_modules', '.package-lock.json'));
const args = hasLock && !hasModules ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
console.error(`evenhand: dependencies are ${have ? 'out of date' : 'not installed'}; running npm ${args[0]} (the first run compiles native modules and takes about a minute)…`);
const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`evenhand: npm ${args[0]} failed with exit code ${result.status}. Fix the error above and run the command again.`);
  process.exit(result.status ?? 1);
}
// Fingerprint again: `npm install` may have written the lockfile.
writeFileSync(stampFile, manifestFingerprint() + '\n');
