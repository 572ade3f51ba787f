import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countEntries, openStore, readEntries } from '../src/index.ts';
import { ENGINES } from './dialects.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

/** Runs the writer until it has acknowledged `atLeast` appends, then kills it with SIGKILL. */
function writeUntilKilled(config: unknown, author: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(config), author], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer acknowledged only ${acknowledged.length} appends in 30 s: ${stderr}`));
    }, 30_000);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acknowledged.push(Number(line));
      if (acknowledged.length >= atLeast) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`the writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`crash safety on ${engine.name}`, { skip: engine.skip }, () => {
    after(() => engine.cleanup());

    it('keeps every acknowledged append after SIGKILL, and appends resume without a gap', async () => {
      const store = await engine.open();
      await store.close();
      const config = engine.lastConfig();
      const acknowledged = await writeUntilKilled(config, 'US', 200);
      assert.ok(acknowledged.length >= 200);

      const reopened = await openStore(config);
      try {
        const count = await countEntries(reopened.db);
        assert.ok(count >= acknowledged.length, `${count} entries stored, ${acknowledged.length} acknowledged`);
        const stored = await readEntries(reopened.db, 0, count);
        assert.deepEqual(stored.map((entry) => entry.index), Array.from({ length: count }, (_, index) => index), 'no gaps');
        for (const index of acknowledged) assert.equal(stored[index]?.authorSeq, index + 1, `acknowledged entry ${index} is intact`);
      } finally {
        await reopened.close();
      }
    });
  });
}
