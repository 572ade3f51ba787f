// The console's JavaScript after gzip (issue 5: goal ≤ 250 KB): every script the console's
// page loads, its entry and the chunks it preloads, from the production build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { report } from '@evenhand/testing';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
let raw = 0;
let gzipped = 0;
for (const script of scripts) {
  const bytes = readFileSync(join(dist, script));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
report('console JavaScript, gzip', gzipped / 1024, 'KB', 250, 'lower', `${scripts.length} files, ${(raw / 1024).toFixed(1)} KB before gzip (npm run build:web first)`);
