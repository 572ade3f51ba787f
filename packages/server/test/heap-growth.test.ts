import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from '../src/heap-growth.ts';

test('a service sets the heap growing factor when its command line gives none', () => {
  assert.equal(heapGrowingFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowingFlag(['--expose-gc', '--import', 'tsx', '--max-old-space-size=4096']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
});

test("an operator's own factor on the command line is kept, in either spelling V8 reads", () => {
  for (const given of ['--heap-growing-percent=20', '--heap_growing_percent=20', '--heap-growing_percent=0']) {
    assert.equal(heapGrowingFlag(['--expose-gc', given]), undefined, given);
  }
  // A flag that only begins alike is another flag.
  assert.equal(heapGrowingFlag(['--heap-growing-percentage=20']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
});
