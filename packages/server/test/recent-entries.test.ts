import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TILE_WIDTH } from '@evenhand/log';
import { RecentEntries } from '../src/exchange/recent-entries.ts';

const entryAt = (index: number) => new TextEncoder().encode(`entry ${index}`);
const texts = (entries: Uint8Array[] | undefined) => entries?.map((bytes) => new TextDecoder().decode(bytes));

describe('RecentEntries: the head bundles without a read of the store', () => {
  it('gives a range only when it remembers every entry of it', () => {
    const recent = new RecentEntries();
    assert.equal(recent.range(0, 1), undefined, 'nothing remembered yet');
    for (let index = 0; index < 3; index++) recent.remember(index, entryAt(index));
    assert.deepEqual(texts(recent.range(0, 3)), ['entry 0', 'entry 1', 'entry 2']);
    assert.deepEqual(texts(recent.range(1, 2)), ['entry 1']);
    assert.equal(recent.range(0, 4), undefined, 'an entry not yet durable');
    assert.equal(recent.range(2, 1), undefined, 'a range that ends before it starts');
  });

  it('forgets what lies more than two tiles back', () => {
    const recent = new RecentEntries();
    const last = 3 * TILE_WIDTH + 7;
    for (let index = 0; index <= last; index++) recent.remember(index, entryAt(index));
    const kept = last + 1 - 2 * TILE_WIDTH;
    assert.equal(recent.range(kept - 1, kept + 1), undefined, 'the first entry overwritten in its slot');
    const range = recent.range(kept, last + 1);
    assert.equal(range?.length, 2 * TILE_WIDTH);
    assert.deepEqual(texts(range)?.slice(0, 2), [`entry ${kept}`, `entry ${kept + 1}`]);
    assert.equal(texts(range)?.at(-1), `entry ${last}`);
  });

  it('starts again at an index that does not follow the last, as after a restart from the store', () => {
    const recent = new RecentEntries();
    for (let index = 0; index < 5; index++) recent.remember(index, entryAt(index));
    recent.remember(700, entryAt(700));
    assert.equal(recent.range(4, 5), undefined, 'an entry from before the gap');
    assert.equal(recent.range(699, 701), undefined, 'an entry never remembered');
    assert.deepEqual(texts(recent.range(700, 701)), ['entry 700']);
  });
});
