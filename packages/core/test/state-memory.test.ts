import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { addMonths, bagAdd, bagAt, bagCountBefore, bagCountBelow, bagFromElements, bagHas, bagOf, bagRemove, dateToUnix, decodeState, encodeState, figuresOf, getRequest, mapValues, obligationEntriesFrom, NO_FACTS, NONE_YET, scenario2021, wholeSeconds, type PersistentBag, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { heapSnapshot } from './heap-snapshot.ts';
import { adoption, APPROVERS, day, entry, fileBody, run } from './request-helpers.ts';
import { obligationKey } from '../src/statistics/obligation-index.ts';

/**
 * Issue 14, memory per entry: the instants and counts the state keeps for as long as a case is
 * open are held by V8 as small integers (Smis), in place, never as boxed numbers. A whole number
 * that a division gave is boxed, and one boxed number stored in a field of an object shape makes
 * V8 box that field in every object of the shape (time.ts `wholeSeconds`): the end of retention
 * did so for the due instant and start of every obligation in the figure index, and the days
 * to a decision for the value of every node of every bag when a bag had a node per element,
 * 185 bytes a filing in all. A bag's values are now lists, which V8 holds in place as small
 * integers or as doubles, whole or not, unless it is given something else than a number or
 * read by optimised code that also reads arrays of references there (spliced.ts `splicedNumbers`).
 *
 * Whether a value is a Smi is V8's to say (`%IsSmi`), which a test may ask once natives syntax
 * is allowed; reading a field that V8 boxes gives a boxed number, so the check sees the field.
 */
setFlagsFromString('--allow-natives-syntax');
const isSmi = new Function('value', 'return %IsSmi(value)') as (value: unknown) => boolean;
/** Whether V8 holds an array's numbers in place, as small integers or as doubles, rather than as pointers to boxed numbers. */
const holdsNumbersInPlace = new Function('list', 'return %HasSmiElements(list) || %HasDoubleElements(list)') as (list: unknown) => boolean;

type BagNodeFields = { values: unknown; items: unknown; children?: (BagNodeFields | undefined)[] };

/** Every node of `bag` (bag-node.ts `BagNode`), to look at how it holds its elements. */
function nodesOf(bag: PersistentBag<unknown>): BagNodeFields[] {
  const nodes: BagNodeFields[] = [];
  const walk: (BagNodeFields | undefined)[] = [bag.root as BagNodeFields | undefined];
  for (let node = walk.pop(); node !== undefined || walk.length > 0; node = walk.pop()) {
    if (node === undefined) continue;
    nodes.push(node);
    walk.push(...(node.children ?? []));
  }
  return nodes;
}

/** Every node's list of values in `bag`, to ask V8 how it holds them. */
function valueLists(bag: PersistentBag<unknown>): unknown[] {
  return nodesOf(bag).map((node) => node.values);
}

/**
 * The 2021 scenario replayed from entries parsed from JSON text, as a log gives them (so that
 * each string longer than ten characters is a copy of its own), and the same state read back
 * from its snapshot: what the tests below look into, each by its name.
 */
function replayedAndReadBack(): (readonly [string, State])[] {
  const entries = JSON.parse(JSON.stringify(scenario2021(treaty2021(), day(0)))) as Parameters<typeof run>[0];
  const replayed = run(entries);
  const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(replayed))));
  assert.ok(decoded.ok);
  return [['replayed', replayed], ['decoded', decoded.value]];
}

/** A request from US to RU on day 1, withdrawn on day 2: it owes the erasure of its personal data once retention ends. */
function withdrawnCase(): State {
  return run([
    ...adoption(treaty2021()),
    entry('US', day(1), 'request.file', fileBody('C-1', { requested: 'RU' })),
    entry('US', day(2), 'request.withdraw', { request: 'C-1' }),
    entry('RU', day(3), 'request.file', fileBody('C-2', { requested: 'US' })),
  ]);
}

describe('a record’s empty lists are one shared list', () => {
  /** Every empty list among a record's lists and its decision's, and how many are the shared one. */
  function emptyLists(state: State): { empty: number; shared: number; decisions: number } {
    const counts = { empty: 0, shared: 0, decisions: 0 };
    for (const record of mapValues(state.requests)) {
      if (record.decision) counts.decisions += 1;
      for (const list of [record.consultations, record.infoPauses, record.assurancesGiven, record.decision?.assurances ?? NONE_YET]) {
        if (list.length > 0) continue;
        counts.empty += 1;
        if (list === NONE_YET) counts.shared += 1;
      }
    }
    return counts;
  }

  it('in a replayed state and in the same state read back from its snapshot', () => {
    for (const [name, state] of replayedAndReadBack()) {
      const counts = emptyLists(state);
      assert.ok(counts.empty > 3 * state.requests.size && counts.decisions > 0, `${name}: the scenario has records, decisions and empty lists (${JSON.stringify(counts)})`);
      assert.equal(counts.shared, counts.empty, `${name}: every empty list is NONE_YET`);
    }
    assert.ok(Object.isFrozen(NONE_YET), 'no one can add to the shared list');
  });
});

describe('each word a record keeps is one copy', () => {
  // JSON.parse gives a string of more than ten characters a copy of its own; V8 internalizes the shorter ones and the code's literals.
  const isInternalized = new Function('value', 'return %IsInternalizedString(value)') as (value: string) => boolean;

  /** The words of each record (kinds, purpose, offences, status, the types of its history, its decision and grounds) and the grounds invoked. */
  function recordWords(state: State): string[] {
    return [...state.invocations.map((invocation) => invocation.ground), ...mapValues(state.requests).flatMap((record) => [
      record.view.kind,
      record.view.purpose,
      ...record.view.offences,
      record.status,
      ...record.history.map((item) => item.type),
      ...(record.decision ? [record.decision.kind, ...(record.decision.ground ? [record.decision.ground] : []), ...record.decision.assurances] : []),
    ])];
  }

  it('sees a parsed copy as such (the check itself)', () => {
    const parsed = JSON.parse('["computer-fraud","acknowledged","short"]') as string[];
    assert.deepEqual(parsed.map(isInternalized), [false, false, true]);
    assert.equal(isInternalized('computer-fraud'), true);
  });

  it('in a state replayed from parsed entries and in the same state read back from its snapshot', () => {
    for (const [name, state] of replayedAndReadBack()) {
      const words = recordWords(state);
      const long = words.filter((word) => word.length > 10);
      // The scenario reaches the long words this keeps: a kind, a history of acts, a refusal, its ground.
      for (const word of ['extradition', 'request.acknowledge', 'refuse-prosecute', 'nationality']) assert.ok(words.includes(word), `${name}: the scenario has ${word}`);
      assert.ok(long.length > 4 * state.requests.size, `${name}: ${long.length} long words in ${state.requests.size} records`);
      assert.deepEqual(long.filter((word) => !isInternalized(word)), [], `${name}: every long word is the one internalized copy`);
      const stated = mapValues(state.requests).filter((record) => Object.values(record.view.facts).some((fact) => fact === true));
      const none = mapValues(state.requests).filter((record) => !stated.includes(record));
      assert.ok(none.length > 0 && none.every((record) => record.view.facts === NO_FACTS), `${name}: a filing that states no fact keeps NO_FACTS`);
    }
  });

  it('in a consultation’s ground and the assurances given, replayed from parsed entries', () => {
    // A grant on the assurance that cures the death-penalty ground (ECE art. 11), after a consultation.
    const capital = structuredClone(treaty2021());
    capital.lawProfiles.US!.offences['ransomware-extortion']!.deathPenalty = true;
    const entries = JSON.parse(JSON.stringify([
      ...adoption(capital),
      entry('US', day(0), 'request.file', fileBody('US-1', { requested: 'RU', subject: { pseudonym: 'p-1', nationalities: ['UA'], ageAtOffence: 30 } })),
      entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }),
      entry('RU', day(2), 'request.consult', { request: 'US-1', ground: 'nationality' }),
      entry('RU', day(5), 'request.decide', { request: 'US-1', decision: 'grant-conditional', assurances: ['no-death-penalty'], approvers: APPROVERS }),
      entry('US', day(6), 'request.assure', { request: 'US-1', assurances: ['no-death-penalty'] }),
    ])) as Parameters<typeof run>[0];
    const record = getRequest(run(entries), 'US-1')!;
    assert.equal(record.status, 'granted', 'the case reached the assurance');
    const words = [record.consultations[0]!.ground, ...record.decision!.assurances, ...record.assurancesGiven];
    assert.deepEqual(words, ['nationality', 'no-death-penalty', 'no-death-penalty']);
    assert.deepEqual(words.filter((word) => !isInternalized(word)), [], 'each is the one internalized copy');
  });
});

describe('a list of one word is one list for every record', () => {
  it('in a state replayed from parsed entries and in the same state read back from its snapshot', () => {
    for (const [name, state] of replayedAndReadBack()) {
      const lists = mapValues(state.requests).flatMap((record) => [record.view.offences, record.view.subject.nationalities]).filter((list) => list.length === 1);
      const byWord = new Map<string, Set<readonly string[]>>();
      for (const list of lists) byWord.set(list[0]!, (byWord.get(list[0]!) ?? new Set()).add(list));
      // The scenario names some word alone in several records (a nationality, an offence).
      assert.ok([...byWord.values()].some((same) => lists.filter((list) => same.has(list)).length > 1), `${name}: a word named alone twice`);
      for (const [word, same] of byWord) assert.equal(same.size, 1, `${name}: the records naming ${word} alone share one list`);
      assert.ok(lists.every((list) => Object.isFrozen(list)), `${name}: no one can add to a shared list`);
    }
  });
});

describe('the keys the bags keep are flat strings', () => {
  /** How many strings the heap holds as a pair of pointers to two parts (V8's concatenated strings), by a heap snapshot. */
  async function concatenatedStrings(): Promise<number> {
    const snapshot = await heapSnapshot();
    const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
    const concatenated = types.indexOf('concatenated string');
    let count = 0;
    for (let at = 0; at < snapshot.nodes.length; at += fields.length) if (snapshot.nodes[at] === concatenated) count += 1;
    return count;
  }

  // Each open obligation is in the index's bags under its key for as long as it is open (obligation-index.ts `obligationKey`).
  it('makes an obligation’s key one flat string', async () => {
    const keys = 400;
    // The first snapshot leaves strings of its own: counted from the second.
    await concatenatedStrings();
    const before = await concatenatedStrings();
    // Ids as long as a clerk's (`US-S0-12345`), so that the key's parts would be concatenated: 13 characters or more.
    const kept = Array.from({ length: keys }, (_, n) => obligationKey(`US-S0-${10_000 + n}`, 'acknowledge', n % 2));
    const after = await concatenatedStrings();
    assert.equal(new Set(kept).size, keys);
    assert.ok(after - before < keys / 4, `${after - before} concatenated strings more for ${keys} keys`);
  });
});

describe('the numbers the state keeps are small integers', () => {
  it('sees a boxed number as such (the check itself)', () => {
    assert.equal(isSmi(30), true);
    assert.equal(isSmi(Date.UTC(2026, 5, 1) / 1000), false, 'a whole quotient is boxed');
    assert.equal(isSmi(wholeSeconds(Date.UTC(2026, 5, 1) / 1000)), true);
    assert.equal(wholeSeconds(2.5), 2.5);
    assert.equal(wholeSeconds(2 ** 31), 2 ** 31, 'past 2^31 a number stays as it is');
  });

  it('gives calendar dates and months added as small integers', () => {
    assert.equal(isSmi(dateToUnix('2026-06-01')), true);
    assert.equal(isSmi(addMonths(day(2), 60)), true);
    const fiveYearsOn = new Date(day(2) * 1000);
    fiveYearsOn.setUTCFullYear(fiveYearsOn.getUTCFullYear() + 5);
    assert.equal(addMonths(day(2), 60), fiveYearsOn.getTime() / 1000, 'the same instant as before');
  });

  // The entries' times here are computed (fixtures.ts GENEVA is a division), as a caller's may be: `apply` takes them as small integers.
  it('keeps every obligation’s due instant unboxed, an erasure’s among them, and no obligation in its bags', () => {
    const state = withdrawnCase();
    const index = figuresOf(state);
    const kinds = new Set<string>();
    for (const list of valueLists(index.obligations)) assert.equal(holdsNumbersInPlace(list), true, "the bag's values");
    // The obligations are derived from their requests at a reading (deadlines/indexed-deadlines.ts): a bag that held them would cost 231 bytes a filing.
    const bags = [index.obligations, index.stopped, index.stoppedSince, index.emergencies, ...Object.values(index.owedBetween).flatMap((pair) => [pair.fixed, pair.stopped])];
    for (const bag of bags) for (const node of nodesOf(bag)) assert.equal(node.items, undefined, 'a node of an obligation bag holds items');
    for (const { value, item } of obligationEntriesFrom(state, index.obligations)) {
      kinds.add(item.kind);
      assert.equal(value, item.due, `${item.kind}: the bag's value is the due of the obligation derived under its key`);
    }
    assert.deepEqual([...kinds].sort(), ['acknowledge', 'decide', 'erase-personal-data'], 'the walk reached an erasure');
    assert.equal(getRequest(state, 'C-1')?.status, 'withdrawn');
  });

  // Optimised code that reads arrays of numbers and of references at one place boxes the numbers of the former in place
  // (spliced.ts `splicedNumbers`), and so in the nodes the earlier bags hold: so the first bag is checked after the others.
  it('keeps the values of every bag in place, an earlier one after many changes and readings of later ones', () => {
    // Half the elements carry an item, so that nodes with items and without mix.
    const add = bagAdd as (bag: PersistentBag<string>, value: number, id: string, item?: string) => PersistentBag<string>;
    let bag = bagFromElements<string>(Array.from({ length: 5_000 }, (_, n) => ({ value: (n % 300) / 4, id: `r${n}`, ...(n % 2 === 0 ? { item: `even ${n % 10}` } : {}) })));
    const first = bag;
    for (let n = 0; n < 20_000; n++) {
      bag = add(bag, (n % 211) / 8, `s${n}`, n % 2 === 0 ? `even ${n % 10}` : undefined);
      if (n % 3 === 0) bag = bagRemove(bag, (n % 300) / 4, `r${n % 5_000}`);
    }
    let branch = first;
    for (let n = 0; n < 50; n++) branch = add(branch, 0.125, `b${n}`);
    let found = 0;
    for (let n = 0; n < 100_000; n++) {
      for (const read of [bag, branch]) found += Number(bagHas(read, (n % 211) / 8, `s${n % 20_000}`)) + bagCountBefore(read, (n % 300) / 4, `r${n % 5_000}`) + bagCountBelow(read, n % 50);
    }
    assert.ok(found > 0);
    for (const [name, version] of [['the first', first], ['a branch of it', branch], ['the last', bag]] as const) {
      const lists = valueLists(version);
      assert.deepEqual(lists.filter((list) => !holdsNumbersInPlace(list)).length, 0, `${name}: lists of boxed values among ${lists.length}`);
    }
  });

  it('keeps a whole value that a division gave, and a fraction, in place in a bag', () => {
    const days = [60 / 2, 7 / 2, 86_400 * 3 / 86_400];
    assert.equal(isSmi(days[0]), false, 'a whole quotient is boxed');
    for (const bag of [bagOf(days), bagFromElements(days.map((value, n) => ({ value, id: `r${n}` })))]) {
      assert.deepEqual([0, 1, 2].map((rank) => bagAt(bag, rank)), [3, 3.5, 30]);
      const lists = valueLists(bag);
      assert.ok(lists.length > 0);
      for (const list of lists) assert.equal(holdsNumbersInPlace(list), true, `the values ${JSON.stringify(list)}`);
    }
    // The check itself: a list of boxed numbers is seen as such.
    assert.equal(holdsNumbersInPlace([30, 'thirty']), false);
  });
});
