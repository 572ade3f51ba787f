import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * core and log are pure (DEVELOPERS.md "Layout"): no IO, no clock, no randomness, no
 * environment. This scans their sources (tests excluded) for the ways those get in.
 */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from\s+['"]node:/, 'a node: import'],
  [/from\s+['"](fs|path|os|child_process|net|http|https|crypto|worker_threads)['"]/, 'a Node built-in import'],
  [/require\(/, 'require()'],
  [/\bDate\.now\(/, 'Date.now()'],
  [/new Date\(\s*\)/, 'new Date() without an argument'],
  [/\bMath\.random\(/, 'Math.random()'],
  [/\bprocess\./, 'process'],
  [/\bperformance\.now\(/, 'performance.now()'],
  [/\bcrypto\.getRandomValues\(/, 'crypto.getRandomValues()'],
  [/(?<![.\w])fetch\(/, 'fetch()'],
  [/\bsetTimeout\(|\bsetInterval\(/, 'timers'],
];

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('purity of core and log', () => {
  for (const pkg of ['core', 'log']) {
    it(`packages/${pkg}/src reads no clock, randomness, environment or IO`, () => {
      const dir = fileURLToPath(new URL(`../../${pkg}/src`, import.meta.url));
      const files = sources(dir);
      assert.ok(files.length > 0, `packages/${pkg}/src has sources`);
      const found: string[] = [];
      for (const file of files) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (/^\s*(\/\/|\*)/.test(line)) return;
            for (const [pattern, what] of FORBIDDEN) if (pattern.test(line)) found.push(`${file}:${index + 1}: ${what}`);
          });
      }
      assert.deepEqual(found, []);
    });
  }
});
