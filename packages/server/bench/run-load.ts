import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

export interface LoadResult {
  readonly seconds: number;
  readonly accepted: number;
  readonly failed: number;
  readonly firstError?: string;
  readonly latenciesMs: number[];
}

/** Runs the load generator in a child process on a job, and returns its measurements. */
export async function runLoad(job: unknown, timeoutMs = 300_000): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-load-'));
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(job));
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
        else resolve(JSON.parse(out) as LoadResult);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
