import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { genesis } from '@evenhand/core';
import { CaseIndex, mergeCaseIndexDeltas, type ObservedEntry } from '../src/index.ts';

/**
 * Issue 14: a snapshot after the first holds what the case index gained since the one before
 * (`takeChanges`). A whole index followed by any chain of such deltas must merge to the index
 * at the chain's end, whatever entries came between.
 */

const state = genesis();

/** An entry the index keeps something of: a treaty change, a key publication, a filing wrapping case keys, a trade proposal. */
const observed = fc.oneof(
  fc.constant<ObservedEntry>({ type: 'treaty.amend', author: 'US', body: {} }),
  fc.record({ author: fc.constantFrom('US', 'RU'), kid: fc.constantFrom('k1', 'k2', 'k3') }).map(({ author, kid }): ObservedEntry => ({ type: 'seal.publish', author, body: { kid } })),
  fc
    .record({ request: fc.constantFrom('R1', 'R2', 'R3', 'R4'), wraps: fc.array(fc.record({ to: fc.constantFrom('US', 'RU'), kid: fc.constantFrom('k1', 'k2') }), { minLength: 1, maxLength: 3 }) })
    .map(({ request, wraps }): ObservedEntry => ({ type: 'request.file', author: 'US', body: { request, caseKeys: wraps } })),
  fc.record({ trade: fc.constantFrom('T1', 'T2'), request: fc.constantFrom('R1', 'R2', 'R3') }).map(({ trade, request }): ObservedEntry => ({ type: 'trade.propose', author: 'RU', body: { trade, legs: [{ request }] } })),
);

/** The data with its pairs in key order: a merged map lists its keys in another order than the index. */
const sorted = (data: unknown) =>
  Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([key, value]) => [key, key === 'everyProof' ? value : [...(value as [string, unknown][])].sort(([a], [b]) => (a < b ? -1 : 1))]));

test('a whole case index and the deltas taken after it merge to the index at the end', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(observed, fc.boolean()), { maxLength: 60 }), fc.nat({ max: 60 }), (steps, wholeAt) => {
      const index = new CaseIndex();
      let whole: unknown;
      const deltas: unknown[] = [];
      steps.forEach(([entry, snapshotAfter], i) => {
        index.observe(i, entry, state);
        if (i === Math.min(wholeAt, steps.length - 1)) {
          whole = JSON.parse(JSON.stringify(index.toData()));
          index.forgetChanges();
        } else if (whole !== undefined && snapshotAfter) deltas.push(JSON.parse(JSON.stringify(index.takeChanges())));
      });
      if (whole === undefined) return;
      deltas.push(JSON.parse(JSON.stringify(index.takeChanges())));
      const merged = mergeCaseIndexDeltas(whole, deltas);
      assert.ok(merged.ok, merged.ok ? '' : merged.error.message);
      assert.deepEqual(sorted(merged.value), sorted(JSON.parse(JSON.stringify(index.toData()))));
      // A delta holds only the keys set since the one before: none when nothing was observed.
      const empty = index.takeChanges();
      assert.deepEqual([empty.everyProof, empty.trades, empty.published, empty.wrappedTo, empty.invocations], [[], [], [], [], []]);
    }),
    { numRuns: 200 },
  );
});

test('a delta that does not follow the index before it is refused', () => {
  const index = new CaseIndex();
  index.observe(0, { type: 'treaty.propose', author: 'US', body: {} }, state);
  const whole = JSON.parse(JSON.stringify(index.toData()));
  index.forgetChanges();
  index.observe(1, { type: 'treaty.ratify', author: 'RU', body: {} }, state);
  const delta = JSON.parse(JSON.stringify(index.takeChanges()));
  assert.ok(mergeCaseIndexDeltas(whole, [delta]).ok);
  const refusal = (base: unknown, chain: unknown[]) => {
    const merged = mergeCaseIndexDeltas(base, chain);
    return merged.ok ? 'merged' : `${merged.error.code}: ${merged.error.message}`;
  };
  assert.match(refusal(whole, [delta, delta]), /^SNAPSHOT_INCONSISTENT: .*does not follow/);
  assert.match(refusal(whole, [{ ...delta, trades: [['R1']] }]), /^SNAPSHOT_SHAPE: .*expected \[key, value\] pairs/);
  assert.match(refusal({ ...whole, published: 7 }, [delta]), /^SNAPSHOT_SHAPE: cases.published/);
});

test('the publications a filing relied on read back as observed, one shared list for each set, after a load too', () => {
  fc.assert(
    fc.property(fc.array(observed, { maxLength: 60 }), (entries) => {
      const index = new CaseIndex();
      // The model: each key's latest publication, and each filing's list as it was observed.
      const published = new Map<string, number>();
      const expected = new Map<string, number[]>();
      entries.forEach((entry, i) => {
        index.observe(i, entry, state);
        const body = entry.body as { kid?: string; request?: string; caseKeys?: { to: string; kid: string }[] };
        if (entry.type === 'seal.publish') published.set(`${entry.author}\n${body.kid}`, i);
        if (entry.type === 'request.file') expected.set(body.request!, body.caseKeys!.flatMap((wrap) => published.get(`${wrap.to}\n${wrap.kid}`) ?? []));
      });
      const loaded = new CaseIndex();
      loaded.load(JSON.parse(JSON.stringify(index.toData())));
      for (const each of [index, loaded]) {
        const bySet = new Map<string, readonly number[]>();
        for (const [request, list] of expected) {
          const read = each.keysOf(request);
          assert.deepEqual(read, list, request);
          // Two filings that relied on the same publications hold one list (issue 14, memory per entry).
          const first = bySet.get(list.join(','));
          if (first === undefined) bySet.set(list.join(','), read);
          else assert.equal(read, first, `${request} holds a list of its own`);
          assert.ok(Object.isFrozen(read), `${request}'s list can be changed`);
        }
      }
    }),
    { numRuns: 200 },
  );
});
