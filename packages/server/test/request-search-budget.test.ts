import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adoption, day, entry, fileBody, run } from '../../core/test/request-helpers.ts';
import { treaty2021 } from '../../core/test/fixtures.ts';
import { searchOwnRequests, SEALED_SCAN_BUDGET, type RequestQuery, type SealedText } from '../src/gateway/request-search.ts';
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
  const pages = async (query: RequestQuery, sealedText?: SealedText) => {
    const out: { ids: string[]; next: string | null; sealed: string[] }[] = [];
    let after = '';
    for (let round = 0; round < 40; round++) {
      const page = await searchOwnRequests(state, 'US', now, { ...query, after }, sealedText);
      out.push({ ids: page.items.map((row) => row.id), next: page.next, sealed: page.sealedMatches.map((match) => match.request) });
      if (page.next === null) return out;
      after = page.next;
    }
    throw new Error('more than 40 pages');
  };

  it('in filing order: the first page stops at the budget with one match and a next, the rest follow', async () => {
    const walked = await pages({ q: 'needle', sort: 'filed' });
    assert.deepEqual(walked, [
      { ids: ['US-B-0'], next: String(SCAN_BUDGET), sealed: [] },
      { ids: [`US-B-${SCAN_BUDGET + 100}`, `US-B-${SCAN_BUDGET + 200}`], next: null, sealed: [] },
    ]);
  });

  it('newest first: the same matches, backward, under the same budget', async () => {
    const walked = await pages({ q: 'needle', sort: 'filed-desc' });
    assert.deepEqual(walked.flatMap((page) => page.ids), [`US-B-${SCAN_BUDGET + 200}`, `US-B-${SCAN_BUDGET + 100}`, 'US-B-0']);
    assert.ok(walked.length >= 2 && walked[0]!.next !== null, 'the budget ends the first page before the oldest request');
  });

  it('soonest due: each match once, over pages that each examine at most the budget', async () => {
    const walked = await pages({ q: 'needle', sort: 'due' });
    const found = walked.flatMap((page) => page.ids);
    assert.deepEqual(found, ['US-B-0', `US-B-${SCAN_BUDGET + 100}`, `US-B-${SCAN_BUDGET + 200}`]);
    assert.equal(walked[0]!.next, `d${SCAN_BUDGET}`, 'the first page stops at the budget, within the open obligations');
    assert.ok(walked.length >= 3, `several pages: ${JSON.stringify(walked.map((page) => page.next))}`);
  });

  it('a dense filter fills its page of `limit` rows', async () => {
    const page = await searchOwnRequests(state, 'US', now, { q: 'hay', limit: 200 });
    assert.deepEqual([page.items.length, page.next], [200, '201'], 'the 200th hay is at position 200 (position 0 is a needle)');
  });

  // Sealed members (issue 14: "for a gateway's officials, over the sealed fields they may read"):
  // what this state opens of a request, here a name; the words may be split between the
  // public fields and the sealed ones.
  const names = new Map([[5, 'ivan petrov'], [SEALED_SCAN_BUDGET + 60, 'petrov anna'], [SCAN_BUDGET + 250, 'olga petrova']]);
  const opened: string[] = [];
  const sealedText: SealedText = async (record) => {
    opened.push(record.id);
    const name = names.get(Number(record.id.slice('US-B-'.length)));
    return name === undefined ? undefined : { text: name, entries: [record.history[0]!.index] };
  };

  it('finds words in the sealed members, opening at most SEALED_SCAN_BUDGET requests a page, and names what it opened to find each', async () => {
    opened.length = 0;
    const walked = await pages({ q: 'petrov' }, sealedText);
    const found = walked.flatMap((page) => page.ids);
    assert.deepEqual(found, ['US-B-5', `US-B-${SEALED_SCAN_BUDGET + 60}`, `US-B-${SCAN_BUDGET + 250}`]);
    assert.deepEqual(walked.flatMap((page) => page.sealed), found, 'each was found in its sealed members');
    assert.equal(walked[0]!.next, String(SEALED_SCAN_BUDGET), 'the first page stops once it has opened its budget');
    assert.equal(new Set(opened).size, opened.length, 'no request is opened twice across the pages');
    assert.equal(opened.length, count, 'every request was opened once, the public fields matching none');
  });

  it('opens no sealed member for a request its public fields match, nor for one another filter refuses', async () => {
    opened.length = 0;
    const walked = await pages({ q: 'needle' }, sealedText);
    assert.deepEqual(walked.flatMap((page) => page.ids), ['US-B-0', `US-B-${SCAN_BUDGET + 100}`, `US-B-${SCAN_BUDGET + 200}`]);
    assert.equal(opened.includes('US-B-0'), false);
    opened.length = 0;
    await pages({ q: 'petrov', direction: 'incoming' }, sealedText);
    assert.deepEqual(opened, [], 'US filed them all: none is incoming');
  });

  it('soonest due: the same sealed finds, each once, the budget ending pages within the open obligations', async () => {
    const walked = await pages({ q: 'petrov', sort: 'due' }, sealedText);
    const found = walked.flatMap((page) => page.ids);
    assert.deepEqual([...found].sort(), ['US-B-5', `US-B-${SEALED_SCAN_BUDGET + 60}`, `US-B-${SCAN_BUDGET + 250}`].sort());
    assert.equal(walked[0]!.next, `d${SEALED_SCAN_BUDGET}`);
  });

  it('matches every word, in the public fields or the sealed ones', async () => {
    const walked = await pages({ q: 'ivan US-B-5' }, sealedText);
    assert.deepEqual(walked.flatMap((page) => page.ids), ['US-B-5']);
    const none = await pages({ q: 'ivan anna' }, sealedText);
    assert.deepEqual(none.flatMap((page) => page.ids), []);
  });
});
