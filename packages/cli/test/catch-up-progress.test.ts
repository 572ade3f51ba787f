import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catchUpProgress } from '../src/catch-up-progress.ts';

/** Issue 14: what `gateway serve` says while its mirror catches up with a long log, a chunk at a time. */
describe('the progress of a catch-up, on stderr', () => {
  const watch = () => {
    const lines: string[] = [];
    let nowMs = 5_000;
    const progress = catchUpProgress('US gateway', (line) => lines.push(line), () => nowMs);
    return { lines, progress, advance: (ms: number) => (nowMs += ms) };
  };

  it('names the gap, writes a line per tenth of it, and says how long it took', () => {
    const { lines, progress, advance } = watch();
    const gap = { from: 200_000, to: 1_000_000, since: 1_700_000_000 };
    progress.began!({ ...gap, held: gap.from });
    // Chunks of 16,384, as the mirror takes them, the last one short.
    for (let held = gap.from + 16_384; ; held += 16_384) {
      advance(2_000);
      progress.advanced!({ ...gap, held: Math.min(held, gap.to) });
      if (held >= gap.to) break;
    }
    progress.ended!({ ...gap, held: gap.to });
    assert.equal(lines[0], 'US gateway: catching up with the log from 200,000 to 1,000,000 entries, a chunk at a time, each checked, replayed and stored before the next\n');
    const tenths = lines.slice(1, -1);
    assert.equal(tenths.length, 10, tenths.join(''));
    assert.equal(tenths[0], 'US gateway: 81920/800000 entries caught up (10%)\n');
    assert.equal(tenths.at(-1), 'US gateway: 800000/800000 entries caught up (100%)\n');
    // 49 chunks of 2 s each.
    assert.equal(lines.at(-1), 'US gateway: caught up with the log at 1,000,000 entries, in 98.0 s\n');
  });

  it('says where a catch-up stopped short, and starts its tenths again for the next one', () => {
    const { lines, progress, advance } = watch();
    const first = { from: 0, to: 100_000, since: 1_700_000_000 };
    progress.began!({ ...first, held: 0 });
    advance(3_000);
    progress.advanced!({ ...first, held: 40_960 });
    progress.ended!({ ...first, held: 40_960 });
    assert.deepEqual(lines.slice(1), [
      'US gateway: 40960/100000 entries caught up (40%)\n',
      'US gateway: the catch-up stopped at 40,960 of 100,000 entries after 3.0 s; the alarms at /api/log-health say why\n',
    ]);
    lines.length = 0;
    const second = { from: 40_960, to: 100_000, since: 1_700_000_060 };
    progress.began!({ ...second, held: second.from });
    progress.advanced!({ ...second, held: 47_000 });
    assert.deepEqual(lines.slice(1), ['US gateway: 6040/59040 entries caught up (10%)\n']);
  });
});
