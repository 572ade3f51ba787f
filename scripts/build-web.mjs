#!/usr/bin/env node
// Builds packages/web (the console and the transparency page) with Vite when its output is
// missing or older than its sources, so that `npm start` and `npm test` serve current pages
// on a fresh clone (DEVELOPERS.md "Set-up contract"). `--force` builds regardless.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'packages', 'web');
const dist = join(web, 'dist');
const outputs = ['index.html', 'transparency.html', 'proofs.html'].map((page) => join(dist, page));

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const sources = ['src', 'index.html', 'transparency.html', 'proofs.html', 'vite.config.ts', 'package.json'].map((name) => newest(join(web, name)));
const built = outputs.every(existsSync) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
if (!process.argv.includes('--force') && built > 0 && built >= Math.max(...sources)) process.exit(0);

console.error('evenhand: building the web pages (packages/web, vite build)…');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`evenhand: vite build failed with exit code ${result.status ?? result.signal}; fix the error above and run npm run build:web.`);
  process.exit(result.status ?? 1);
}
