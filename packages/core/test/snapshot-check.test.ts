import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foundingRegistration, testOfficial } from '@evenhand/testing';
import { decodeState, encodeState, scenario2021, type State } from '../src/index.ts';
import { hasMapValueShape, mapValueJsonSchema } from '../src/request/snapshot-check.ts';
import { mapValueSchema } from '../src/request/snapshot-schema.ts';
import { memberAt, STATE_MAP_PATHS, type StateMapPath } from '../src/request/state-map-paths.ts';
import { walk } from './legal-acts-walk.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, run } from './request-helpers.ts';

/**
 * Issue 14, restart at 10^6 entries: a snapshot's map values are checked in place by Ajv
 * (snapshot-check.ts), and zod parses only what that check refuses. This is sound only if the
 * check accepts nothing zod refuses, and useful only if it accepts what the encoder writes.
 */

const NOW = Date.UTC(2026, 10, 26, 14, 3, 45) / 1000;

/** Every map value of `state` as a snapshot line gives it, by map. */
function valuesOf(state: State): Map<StateMapPath, unknown[]> {
  const data = JSON.parse(JSON.stringify(encodeState(state))) as unknown;
  return new Map(STATE_MAP_PATHS.map((path) => [path, (memberAt(data, path) as [string, unknown][]).map(([, value]) => value)]));
}

/** The 2021 scenario's values, and the officials of a state that registered its founding set (the scenario registers none). */
const scenarioValues = valuesOf(run(scenario2021(treaty2021(), NOW)));
for (const [path, list] of valuesOf(run([...adoption(treaty2021()), foundingRegistration('RU', day(0), [testOfficial('ru-1'), testOfficial('ru-2')])]))) {
  if (path.startsWith('officials.')) scenarioValues.get(path)!.push(...list);
}

/** The places inside a JSON value, as paths of keys and indexes; [] is the value itself. */
function placesIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const places = [at];
  if (Array.isArray(value)) value.forEach((item, index) => places.push(...placesIn(item, [...at, index])));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) places.push(...placesIn(item, [...at, key]));
  return places;
}

/** A copy of `value` with `edit` made at `place`: the member there replaced, removed, or given a sibling. */
function edited(value: unknown, place: readonly (string | number)[], edit: { readonly kind: 'replace' | 'remove' | 'add'; readonly json: unknown; readonly key: string }): unknown {
  if (place.length === 0) return edit.kind === 'replace' ? edit.json : value;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of place.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = place[place.length - 1]!;
  if (edit.kind === 'replace') parent[last] = edit.json;
  else if (edit.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (Array.isArray(parent)) parent.push(edit.json);
  else parent[edit.key] = edit.json;
  return copy;
}

/** The kinds of zod checks below `schema`: a "custom" one is a refine, which JSON Schema cannot say. */
function checkKinds(schema: unknown, seen = new Set<unknown>()): Set<string> {
  const kinds = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) {
      for (const item of Array.isArray(node) ? node : Object.values(node)) visit(item);
      return;
    }
    for (const check of (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? []) kinds.add(check._zod.def.check);
    for (const [key, item] of Object.entries(def)) if (key !== 'checks') visit(item);
  };
  visit(schema);
  return kinds;
}

/** The keywords used anywhere in a JSON Schema. */
function keywords(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywords(item, into);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, item] of Object.entries(schema)) {
      into.add(key);
      // Under `properties` the keys are member names, not keywords.
      if (key === 'properties') for (const member of Object.values(item as object)) keywords(member, into);
      else if (key !== 'enum' && key !== 'const' && key !== 'default') keywords(item, into);
    }
  }
  return into;
}

/**
 * Keywords whose check Ajv makes as zod makes it for a value read by JSON.parse, or more
 * strictly (`minLength` counts code points, never more than zod's UTF-16 units, and `required`
 * includes a member zod would fill with its default): a stricter check costs only a zod parse.
 */
const AS_STRICT_AS_ZOD = new Set(['$schema', 'type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'minItems', 'anyOf', 'default']);

describe('the quick shape check of snapshot values (issue 14)', () => {
  it('accepts every map value the encoder writes, over generated histories and the 2021 scenario', () => {
    const seen = new Map<StateMapPath, number>();
    const accepts = (values: Map<StateMapPath, unknown[]>) => {
      for (const [path, list] of values) {
        for (const value of list) {
          assert.ok(hasMapValueShape(path, value), `${path}: ${JSON.stringify(value).slice(0, 300)} is refused by the quick check, and would cost a zod parse at every restart`);
          seen.set(path, (seen.get(path) ?? 0) + 1);
        }
      }
    };
    accepts(scenarioValues);
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 20, maxLength: 120 }), (count, steps) => accepts(valuesOf(walk(count, steps).state))), { numRuns: 40 });
    for (const path of ['requests', 'requestIds', 'trades.byId', 'officials.byId', 'officials.byKey', 'incidents.byId', 'incidents.links'] as const) assert.ok((seen.get(path) ?? 0) > 0, `no value of ${path} was checked`);
  });

  it('accepts nothing zod refuses: values edited at any place', () => {
    const paths = STATE_MAP_PATHS.filter((path) => scenarioValues.get(path)!.length > 0);
    const outcomes = { bothRefuse: 0, bothAccept: 0, onlyZodAccepts: 0 };
    const edit = fc.record({ kind: fc.constantFrom('replace' as const, 'remove' as const, 'add' as const), json: fc.jsonValue({ maxDepth: 2 }), key: fc.string({ maxLength: 12 }) });
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.nat(), fc.nat(), edit, (path, which, where, change) => {
        const values = scenarioValues.get(path)!;
        const value = values[which % values.length];
        const places = placesIn(value);
        const candidate = edited(value, places[where % places.length]!, change);
        const quick = hasMapValueShape(path, candidate);
        const zod = mapValueSchema(path).safeParse(candidate).success;
        assert.ok(!quick || zod, `${path}: the quick check accepts ${JSON.stringify(candidate).slice(0, 400)}, which zod refuses`);
        outcomes[quick ? 'bothAccept' : zod ? 'onlyZodAccepts' : 'bothRefuse']++;
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: the edits both broke values and left some whole.
    assert.ok(outcomes.bothRefuse > 100 && outcomes.bothAccept > 100, JSON.stringify(outcomes));
  });

  it('is compiled from schemas JSON Schema says no more loosely than zod: no refine, no maxLength', () => {
    for (const path of STATE_MAP_PATHS) {
      const kinds = checkKinds(mapValueSchema(path));
      assert.ok(!kinds.has('custom'), `${path}: a refine, which the quick check would not make; check it after the quick check, or leave the map out of it`);
      const loose = [...keywords(mapValueJsonSchema(path))].filter((keyword) => !AS_STRICT_AS_ZOD.has(keyword));
      assert.deepEqual(loose, [], `${path}: keywords whose check Ajv may make more loosely than zod`);
    }
    // The walk finds a refine where there is one, so the assertion above can fail.
    assert.ok(checkKinds(mapValueSchema('requests').refine(() => true)).has('custom'));
  });

  it('leaves to zod a value that only zod completes, and refuses with zod’s message', () => {
    const data = JSON.parse(JSON.stringify(encodeState(run(scenario2021(treaty2021(), NOW))))) as { requests: [string, { view: { facts: Record<string, unknown> } }][] };
    const first = data.requests[0]![1];
    delete first.view.facts.finalJudgment;
    assert.equal(hasMapValueShape('requests', first), false);
    const decoded = decodeState(structuredClone(data));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.equal(decoded.value.requests.size, data.requests.length);
    first.view.facts.finalJudgment = 'yes';
    const refused = decodeState(data);
    assert.ok(!refused.ok);
    assert.match(refused.error.message, /state\.requests\[0\]\[1\]\.view\.facts\.finalJudgment: expected boolean/);
  });
});
