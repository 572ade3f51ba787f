import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlinesPage, deadlinesView, figuresOf, mapEntries, mapShelve, type RequestRecord, type State } from '../src/index.ts';
import { TextShelf } from './text-shelf.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, fileBody, run } from './request-helpers.ts';

/**
 * Issue 14: a page of obligations reads a record only for an obligation that may pass its
 * filter (views/bag-obligations.ts). A service keeps most records on a shelf, a file, and a
 * page whose filter few pass examines up to 2,000 obligations: read each from its record, it
 * cost ten times the page it was before the index stopped holding the obligations.
 */

/** Twelve filings each way between the US and RU, each owing an acknowledgement and a decision; every record then on a shelf that counts its readings. */
function shelvedCases(): { state: State; reads: () => number } {
  const filings = Array.from({ length: 24 }, (_, n) => {
    const [from, to] = n % 2 === 0 ? ['US', 'RU'] : ['RU', 'US'];
    return entry(from, day(1 + n), 'request.file', fileBody(`${from}-${n}`, { requested: to }));
  });
  const state = run([...adoption(treaty2021()), ...filings]);
  figuresOf(state);
  const shelf = new TextShelf<RequestRecord>();
  for (const [key, record] of mapEntries(state.requests)) assert.equal(mapShelve(state.requests, key, record, shelf.put(record)), true);
  return { state, reads: () => shelf.reads };
}

describe('a page of obligations reads the records of those that may pass only', () => {
  it('reads none for a filter that the keys and the pairs of parties rule out, and the page is still the list cut', () => {
    const { state, reads } = shelvedCases();
    const at = day(30);
    const all = deadlinesView(state, at).items;
    assert.ok(all.length >= 24, `${all.length} obligations`);
    const before = reads();
    for (const filter of [{ owedBy: 'DE' }, { party: 'DE' }, { request: 'XX-1' }, { kind: 'surrender' }, { trade: 'T-1' }]) {
      const page = deadlinesPage(state, at, filter, 0, 50);
      assert.deepEqual(page.items, [], JSON.stringify(filter));
      assert.equal(page.next, null, JSON.stringify(filter));
    }
    assert.equal(deadlinesPage(state, at, {}, 0, 50, 'DE').items.length, 0, 'involving a party of no request');
    assert.equal(reads() - before, 0, 'records read for obligations that could not pass');
  });

  it('reads about one record for each obligation it shows when a filter keeps a few', () => {
    const { state, reads } = shelvedCases();
    const at = day(30);
    const owedByRu = deadlinesView(state, at).items.filter((item) => item.party === 'RU');
    const before = reads();
    const page = deadlinesPage(state, at, { owedBy: 'RU', request: 'US-4' }, 0, 50);
    assert.deepEqual(page.items, owedByRu.filter((item) => 'request' in item && item.request === 'US-4'));
    assert.ok(page.items.length > 0);
    // Each shown one is read once to be judged; the page keeps what it read.
    assert.equal(reads() - before, page.items.length, 'records read for the page');
  });
});
