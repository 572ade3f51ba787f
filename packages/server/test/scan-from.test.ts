import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanFrom, scanPage, SCAN_STOP } from '../src/gateway/scan-page.ts';

/**
 * The walk every filtered page takes (issue 14): it stops at `limit` matches or after `budget`
 * positions examined, and its `next` is the first position it did not examine, so that the
 * pages that follow find every match exactly once.
 */
describe('a filtered page walks a bounded number of positions', () => {
  /** Every page of the walk over `positions`, as a client following `next` reads them. */
  const pages = async (positions: readonly number[], keep: (position: number) => boolean, limit: number, budget: number) => {
    const walked: { items: number[]; next: number | undefined }[] = [];
    let from = 0;
    for (let round = 0; round < 50; round++) {
      const examined: number[] = [];
      const page = await scanFrom(positions.filter((position) => position >= from), (position) => (examined.push(position), keep(position) ? position : undefined), limit, budget);
      assert.ok(examined.length <= budget, `a page examined ${examined.length} positions, over the budget of ${budget}`);
      walked.push(page);
      if (page.next === undefined) return walked;
      from = page.next;
    }
    throw new Error('more than 50 pages');
  };

  it('stops at the limit, and goes on from the first position not examined', async () => {
    assert.deepEqual(await pages([1, 2, 3, 4, 5], () => true, 2, 100), [
      { items: [1, 2], next: 3 },
      { items: [3, 4], next: 5 },
      { items: [5], next: undefined },
    ]);
  });

  it('stops at the budget on a sparse filter, with fewer items and a next, and misses no match', async () => {
    const positions = Array.from({ length: 30 }, (_, index) => index * 3);
    const walked = await pages(positions, (position) => position % 27 === 0, 10, 4);
    assert.deepEqual(walked.flatMap((page) => page.items), [0, 27, 54, 81]);
    assert.deepEqual(walked[0], { items: [0], next: 12 });
  });

  it('a pick that answers SCAN_STOP ends the page before its position', async () => {
    const page = await scanFrom([1, 2, 3], (position) => (position === 2 ? SCAN_STOP : position), 10, 10);
    assert.deepEqual(page, { items: [1], next: 2 });
  });

  it('reads no position beyond the one it answers as next', async () => {
    let pulled = 0;
    function* counted(): Generator<number> {
      for (let position = 0; position < 1_000_000; position++) {
        pulled += 1;
        yield position;
      }
    }
    const page = await scanFrom(counted(), (position) => position, 3, 100);
    assert.deepEqual([page.items, page.next, pulled], [[0, 1, 2], 3, 4]);
  });

  it('scanPage walks numbered positions either way, and says null at the end', async () => {
    assert.deepEqual(await scanPage(9, -1, (position) => position >= 0, (position) => (position % 4 === 0 ? position : undefined), 2, 100), { items: [8, 4], next: 3 });
    assert.deepEqual(await scanPage(3, -1, (position) => position >= 0, (position) => (position % 4 === 0 ? position : undefined), 2, 100), { items: [0], next: null });
    assert.deepEqual(await scanPage(0, 1, (position) => position < 10, () => undefined, 5, 4), { items: [], next: 4 });
  });
});
