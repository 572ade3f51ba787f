import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adoption, day, entry, fileBody, run } from '../../core/test/request-helpers.ts';
import { treaty2021 } from '../../core/test/fixtures.ts';
import { searchOwnRequests, type RequestQuery } from '../src/gateway/request-search.ts';
import { SCAN_BUDGET } from '../src/gateway/scan-page.ts';

/**
 * Issue 14: a page of /api/requests examines at most SCAN_BUDGET requests, whatever the log
 * holds. A sparse filter therefore answers a short page with a `next`, and following `next`
 * finds every match exactly once. The state has more requests than the budget, with the few
 * that match far apart, so a walk that ignored the budget would answer them on one page.
 */
describe('the requests list examines a bounded number of requests per page', () => {
  const count = SCAN_BUDGET + 300;
  const needles = new Set([0, SCAN_BUDGET + 100, SCAN_BUDGET + 200]);
  const filings = Array.from({ length: count }, (_, index) =>
    entry('US', day(1, index), 'request.file', fileBody(`US-B-${index}`, { subject: { pseudonym: needles.has(index) ? `needle-${index}` : `hay-${index}`, nationalities: ['RU'], ageAtOffence: 30 } })),
  );
  const state = run([...adoption(treaty2021()), ...filings]);
  const now = day(2);

  /** Every page of the query, from the first, with each page's rows and `next`. */
  const pages = (query: RequestQuery) => {
    const out: { ids: string[]; next: string | null }[] = [];
    let after = '';
    for (let round = 0; round < 20; round++) {
      const page = searchOwnRequests(state, 'US', now, { ...query, after });
      out.push({ ids: page.items.map((row) => row.id), next: page.next });
      if (page.next === null) return out;
      after = page.next;
    }
    throw new Error('more than 20 pages');
  };

  it('in filing order: the first page stops at the budget with one match and a next, the rest follow', () => {
    const walked = pages({ q: 'needle', sort: 'filed' });
    assert.deepEqual(walked, [
      { ids: ['US-B-0'], next: String(SCAN_BUDGET) },
      { ids: [`US-B-${SCAN_BUDGET + 100}`, `US-B-${SCAN_BUDGET + 200}`], next: null },
    ]);
  });

  it('newest first: the same matches, backward, under the same budget', () => {
    const walked = pages({ q: 'needle', sort: 'filed-desc' });
    assert.deepEqual(walked.flatMap((page) => page.ids), [`US-B-${SCAN_BUDGET + 200}`, `US-B-${SCAN_BUDGET + 100}`, 'US-B-0']);
    assert.ok(walked.length >= 2 && walked[0]!.next !== null, 'the budget ends the first page before the oldest request');
  });

  it('soonest due: each match once, over pages that each examine at most the budget', () => {
    const walked = pages({ q: 'needle', sort: 'due' });
    const found = walked.flatMap((page) => page.ids);
    assert.deepEqual(found, ['US-B-0', `US-B-${SCAN_BUDGET + 100}`, `US-B-${SCAN_BUDGET + 200}`]);
    assert.equal(walked[0]!.next, `d${SCAN_BUDGET}`, 'the first page stops at the budget, within the open obligations');
    assert.ok(walked.length >= 3, `several pages: ${JSON.stringify(walked.map((page) => page.next))}`);
  });

  it('a dense filter fills its page of `limit` rows', () => {
    const page = searchOwnRequests(state, 'US', now, { q: 'hay', limit: 200 });
    assert.deepEqual([page.items.length, page.next], [200, '201'], 'the 200th hay is at position 200 (position 0 is a needle)');
  });
});
