import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startProgress } from '../src/start-progress.ts';

/** Issue 14: what `serve` says while a service loads a long log, before it listens. */
describe('the progress of a start, on stderr', () => {
  const watch = () => {
    const lines: string[] = [];
    let nowMs = 10_000;
    const progress = startProgress('exchange', (line) => lines.push(line), () => nowMs);
    return { lines, progress, advance: (ms: number) => (nowMs += ms) };
  };

  it('names the snapshot it restores and how long that took, then the tail it replays, a line per tenth', () => {
    const { lines, progress, advance } = watch();
    progress.restoring!(990_000);
    advance(7_620);
    progress.restored!(990_000);
    progress.replaying!(990_000, 1_000_000);
    for (let done = 1; done <= 10_000; done++) progress.replayed!(done, 10_000);
    assert.deepEqual(lines.slice(0, 3), [
      'exchange: restoring its replayed state from the snapshot at 990,000 entries\n',
      'exchange: the snapshot at 990,000 entries is restored, in 7.6 s\n',
      'exchange: replaying the 10,000 entries after the snapshot\n',
    ]);
    assert.deepEqual(lines.slice(3), Array.from({ length: 10 }, (_, i) => `exchange: ${(i + 1) * 1000}/10000 entries replayed (${(i + 1) * 10}%)\n`));
  });

  it('says when the statistics and deadlines of the restored state are counted, between its other work', () => {
    const { lines, progress } = watch();
    progress.counted!({ seconds: 1.61, longestSliceMs: 67.3 });
    assert.deepEqual(lines, ['exchange: the statistics and deadlines of the restored state are counted, 1.6 s after the restore, between its other work (at most 67 ms at a time)\n']);
  });

  it('says when it replays the whole log, and nothing when there is nothing to replay', () => {
    const { lines, progress } = watch();
    progress.replaying!(0, 0);
    progress.replaying!(1_000, 1_000);
    assert.deepEqual(lines, []);
    progress.replaying!(0, 1_000_000);
    assert.deepEqual(lines, ['exchange: replaying the whole log, 1,000,000 entries, each checked and applied\n']);
  });

  it('writes no line per tenth of a replay too short to need one', () => {
    const { lines, progress } = watch();
    for (let done = 1; done <= 1_999; done++) progress.replayed!(done, 1_999);
    assert.deepEqual(lines, []);
  });
});
