import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  encodeState, encodeStateHeader, FigureCount, RECORDS_PER_PAUSE, legalActs, mapChanges, mapEntries, mapFromEntries, mapGet, mapHas, mapSet, mapValues, scenario2021, SnapshotValueRefused, StateReader, statePairs, statisticsView,
  type SnapshotError, type State,
} from '../src/index.ts';
import { requestRecordShape } from '../src/request/snapshot-check.ts';
import { Unread } from '../src/request/unread-value.ts';
import { actEntry, authors, openTargets } from './legal-acts-support.ts';
import { walk } from './legal-acts-walk.ts';
import { treaty2021 } from './fixtures.ts';
import { run } from './request-helpers.ts';
import { repeatedScenario } from '@evenhand/testing';
import { assertSameNext, views } from './snapshot-support.ts';

/**
 * Issue 14, "restart ≤ 2 s at 10^6": a state read from a snapshot's lines may keep its request
 * records as the bytes of their JSON text until each is first read (request/unread-value.ts).
 * Such a state must be the state a full reading gives to everyone who reads it, and a record
 * that does not read must be refused at its reading, never served.
 */

const encoder = new TextEncoder();
const NOW = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;

/** Reads `state`'s lines back as a restart does, the request records handed over unread where the reader takes them; what `refused` heard. */
function readUnread(state: State, edit: (key: string, value: any) => unknown = (_key, value) => value, header: Record<string, unknown> = encodeStateHeader(state)): { state: State; refused: SnapshotError[]; unread: number } {
  const refused: SnapshotError[] = [];
  const reader = StateReader.start(JSON.parse(JSON.stringify(header)), { refused: (error) => refused.push(error) });
  assert.ok(reader.ok, reader.ok ? '' : reader.error.message);
  let unread = 0;
  for (const [key, value] of statePairs(state)) {
    if (reader.value.takesUnread) {
      // `["key",value]`, as the snapshot's line: the value's text after the key and its comma.
      const prefix = `[${JSON.stringify(key)},`;
      const line = encoder.encode(`${prefix}${JSON.stringify(edit(key, structuredClone(value)))}]`);
      const taken = reader.value.unreadPair(key, line, encoder.encode(prefix).length, line.length - 1);
      assert.ok(taken.ok, taken.ok ? '' : taken.error.message);
      unread++;
    } else assert.ok(reader.value.pair(JSON.parse(JSON.stringify([key, value]))).ok);
  }
  const finished = reader.value.finish();
  assert.ok(finished.ok, finished.ok ? '' : finished.error.message);
  return { state: finished.value, refused, unread };
}

describe('request records kept unread until read (issue 14)', () => {
  it('a state read with its records unread shows the same views and applies every further act as the state written, over generated histories', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 20, maxLength: 120 }), (count, steps) => {
        const { state, now } = walk(count, steps);
        const { state: read, refused, unread } = readUnread(state);
        assert.equal(unread, state.requests.size, 'every request record was handed over unread');
        assert.deepEqual(views(read, now), views(state, now));
        for (const target of openTargets(state)) {
          for (const party of authors(state)) {
            const listed = legalActs(state, { party }, now, target);
            assert.deepEqual(legalActs(read, { party }, now, target), listed);
            for (const act of listed.available) for (const variant of act.variants) assertSameNext(state, read, actEntry(party, act, variant, target, now), now);
          }
        }
        assert.deepEqual(JSON.parse(JSON.stringify(encodeState(read))), JSON.parse(JSON.stringify(encodeState(state))));
        assert.deepEqual(refused, []);
      }),
      { numRuns: 30 },
    );
  });

  it('takes records unread only from a header with this version\'s mark of their schema', () => {
    const state = run(scenario2021(treaty2021(), NOW));
    assert.equal(encodeStateHeader(state).recordShape, requestRecordShape(), 'a header carries the mark');
    assert.match(requestRecordShape(), /^[0-9a-f]{16}-\d+$/);
    const { recordShape: _mark, ...unmarked } = encodeStateHeader(state);
    for (const header of [unmarked, { ...unmarked, recordShape: 'another version' }]) {
      const reader = StateReader.start(JSON.parse(JSON.stringify(header)), { refused: () => assert.fail('nothing is read unread') });
      assert.ok(reader.ok);
      assert.equal(reader.value.takesUnread, false, 'records of another schema are read at once');
      const taken = reader.value.unreadPair('R-1', encoder.encode('{}'), 0, 2);
      assert.equal(taken.ok ? '' : taken.error.code, 'SNAPSHOT_SHAPE');
    }
    // Without `unread`, never: a state file given to `verify` is read whole.
    const plain = StateReader.start(JSON.parse(JSON.stringify(encodeStateHeader(state))));
    assert.ok(plain.ok);
    assert.equal(plain.value.takesUnread, false);
  });

  it('refuses a record that does not read at its first reading, again at every reading after, and never counts figures without it', () => {
    const state = run(scenario2021(treaty2021(), NOW));
    const keys = mapEntries(state.requests).map(([key]) => key);
    const [bad, good] = keys as [string, string];
    const edits: [string, (key: string, value: any) => unknown, string, RegExp][] = [
      ['a field of another type', (key, value) => (key === bad ? { ...value, seq: 'first' } : value), 'SNAPSHOT_SHAPE', /state\.requests/],
      ['a member no record has', (key, value) => (key === bad ? { ...value, extra: 'code()' } : value), 'SNAPSHOT_SHAPE', /state\.requests/],
      ['a record under another key', (key, value) => (key === bad ? { ...value, id: good } : value), 'SNAPSHOT_INCONSISTENT', new RegExp(`the record under "${bad}" is "${good}"`)],
    ];
    for (const [what, edit, code, message] of edits) {
      const { state: read, refused } = readUnread(state, edit);
      assert.equal(refused.length, 0, `${what}: the state is read, the record still unread`);
      assert.equal(mapHas(read.requests, bad), true, `${what}: its key is there`);
      assert.equal(refused.length, 0, `${what}: asking for the key reads nothing`);
      assert.deepEqual(JSON.parse(JSON.stringify(mapGet(read.requests, good))), JSON.parse(JSON.stringify(mapGet(state.requests, good))), `${what}: the other records read`);
      for (let attempt = 0; attempt < 2; attempt++) {
        assert.throws(
          () => mapGet(read.requests, bad),
          (error: unknown) => error instanceof SnapshotValueRefused && error.error.code === code && message.test(error.message),
          `${what}: reading ${attempt + 1}`,
        );
      }
      assert.equal(refused.length, 2, `${what}: each reading told`);
      assert.equal(refused[0]!.code, code);
      // The figures read every record: a count that meets it throws, then and at every step after.
      const figures = readUnread(state, edit).state;
      const count = new FigureCount(figures);
      const steps = () => {
        for (let step = 0; step < 100_000; step++) if (count.step()) return 'counted';
        return 'not counted in 100,000 steps';
      };
      assert.throws(steps, SnapshotValueRefused, `${what}: the count`);
      assert.throws(() => count.step(), SnapshotValueRefused, `${what}: a step after`);
      assert.throws(() => count.finish(), SnapshotValueRefused, `${what}: the rest counted at once`);
      assert.throws(() => statisticsView(figures, NOW), SnapshotValueRefused, `${what}: a view of the figures`);
    }
  });

  it('the count of the figure index reads the records a step at a time, not all in its first', () => {
    const state = run(repeatedScenario(treaty2021(), NOW, 30));
    const keys = mapEntries(state.requests).map(([key]) => key);
    assert.ok(keys.length > 2 * RECORDS_PER_PAUSE, `${keys.length} records`);
    // The last record the count meets does not read: every step before it must go through.
    const last = keys.at(-1)!;
    const { state: read, refused } = readUnread(state, (key, value) => (key === last ? { ...value, seq: 'last' } : value));
    const count = new FigureCount(read);
    let steps = 0;
    assert.throws(() => {
      for (; steps < 100_000; steps++) count.step();
    }, SnapshotValueRefused);
    assert.ok(steps >= Math.floor(keys.length / RECORDS_PER_PAUSE) - 1, `the count threw at step ${steps} of about ${Math.ceil(keys.length / RECORDS_PER_PAUSE)}`);
    assert.equal(refused.length, 1);
  });

  it('a record that is not JSON is refused at its reading', () => {
    const state = run(scenario2021(treaty2021(), NOW));
    const refused: SnapshotError[] = [];
    const reader = StateReader.start(JSON.parse(JSON.stringify(encodeStateHeader(state))), { refused: (error) => refused.push(error) });
    assert.ok(reader.ok);
    const pairs = [...statePairs(state)];
    for (const [index, [key, value]] of pairs.entries()) {
      if (!reader.value.takesUnread) assert.ok(reader.value.pair(JSON.parse(JSON.stringify([key, value]))).ok);
      else if (index === 0) assert.ok(reader.value.unreadPair(key, encoder.encode('{"id":'), 0, 6).ok);
      else {
        const text = encoder.encode(JSON.stringify(value));
        assert.ok(reader.value.unreadPair(key, text, 0, text.length).ok);
      }
    }
    const finished = reader.value.finish();
    assert.ok(finished.ok);
    assert.throws(() => mapGet(finished.value.requests, pairs[0]![0]), (error: unknown) => error instanceof SnapshotValueRefused && /its value does not read/.test(error.message));
    assert.equal(refused[0]?.code, 'SNAPSHOT_SHAPE');
  });
});

describe('a persistent map holding unread values', () => {
  /** Values kept unread, each counting its readings. */
  function unreadValues(keys: readonly string[]): { entries: [string, Unread<{ n: number }>][]; readings: Map<string, number> } {
    const readings = new Map<string, number>();
    const entries = keys.map((key, n): [string, Unread<{ n: number }>] => {
      const text = encoder.encode(`xx${JSON.stringify({ n })}yy`);
      return [key, new Unread(text, 2, text.length - 2, key, (bytes, under) => {
        readings.set(under, (readings.get(under) ?? 0) + 1);
        return JSON.parse(new TextDecoder().decode(bytes())) as { n: number };
      })];
    });
    return { entries, readings };
  }
  // "R-6pwu" and "R-d5fa" share a hash (request-persistent-map.test.ts): a collision holds them.
  const KEYS = ['R-6pwu', 'R-d5fa', ...Array.from({ length: 200 }, (_, n) => `K-${n}`)];

  it('reads each value once, at its first reading, and every holder of it gets the same value', () => {
    const { entries, readings } = unreadValues(KEYS);
    const map = mapFromEntries<{ n: number }>(entries as unknown as [string, { n: number }][]);
    assert.equal(mapHas(map, 'R-6pwu') && mapHas(map, 'K-7') && !mapHas(map, 'absent'), true);
    assert.equal(readings.size, 0, 'asking for keys reads nothing');
    const first = mapGet(map, 'K-7');
    assert.deepEqual(first, { n: 9 });
    assert.equal(mapGet(map, 'K-7'), first, 'the same value at the second reading');
    assert.equal(readings.get('K-7'), 1);
    // A later version shares the leaves it did not change, and a collision's pairs are copied into the new node.
    const later = mapSet(mapSet(map, 'K-8', { n: -1 }), 'R-d5fa', { n: -2 });
    const collided = mapGet(map, 'R-6pwu');
    assert.equal(mapGet(later, 'R-6pwu'), collided, 'two holders of one unread value get one value');
    assert.deepEqual(
      mapChanges(map, later).map(({ key, before, after }) => [key, before, after]).sort(),
      [['K-8', { n: 10 }, { n: -1 }], ['R-d5fa', { n: 1 }, { n: -2 }]],
      'a change is told with the value read before it, and no other pair is',
    );
    assert.deepEqual(mapValues(map).map((value) => value.n).sort((a, b) => a - b), KEYS.map((_, n) => n));
    assert.deepEqual(mapEntries(later).length, KEYS.length);
    assert.deepEqual([...readings.values()].filter((count) => count !== 1), [], 'no value was read twice');
    assert.equal(readings.size, KEYS.length);
  });
});
