import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
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
/**
 * A request record with the members the scenario's records leave out: a request for data's
 * terms (the only minLength, and hours with bounds) and a prosecution's outcome. Built from
 * the scenario's first record, and accepted by zod as written.
 */
const fullRecord = (() => {
  const record = structuredClone(scenarioValues.get('requests')![0]) as Record<string, any>;
  record.view.terms = { acknowledgeHours: 24, decideHours: 240, provideHours: 720, dualCriminality: false, article: 'art. 29', periodsArticle: 'art. 29(7)' };
  record.view.sentenceRemainingMonths = 12;
  record.prosecution = { milestones: [{ milestone: 'opened', at: NOW }], lastReportAt: NOW, outcome: { outcome: 'convicted', sentenceMonths: 36, at: NOW } };
  Object.assign(record, { preservedUntil: NOW, providedAt: NOW, provided: ['log-1'], erasedBy: ['US'], endedAt: NOW });
  assert.ok(mapValueSchema('requests').safeParse(record).success, 'the fuller record is a record');
  return record;
})();
scenarioValues.get('requests')!.push(fullRecord);

/** Values that sit just outside a bound or a type, which random JSON seldom gives. */
const EDGES = [-1, 0.5, 2 ** 53, 253_402_300_800, 87_601, '', 'ab', 'x', null, true, {}, [], [null]];

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
  // A member of its own, as JSON.parse makes one: assigned, a key of `__proto__` would set the object's prototype instead.
  else Object.defineProperty(parent, edit.key, { value: edit.json, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * The kinds of zod schema and of zod check below `schema`, and whether a default sits inside
 * an optional (JSON Schema then leaves the member optional, and zod would fill it in).
 */
function zodParts(schema: unknown): { readonly types: Set<string>; readonly checks: Set<string>; readonly defaultInOptional: boolean } {
  const types = new Set<string>();
  const checks = new Set<string>();
  let defaultInOptional = false;
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) {
      for (const item of Array.isArray(node) ? node : Object.values(node)) visit(item);
      return;
    }
    types.add(def.type as string);
    if (def.type === 'optional' && (def.innerType as { _zod: { def: { type: string } } })._zod.def.type === 'default') defaultInOptional = true;
    for (const check of (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? []) checks.add(check._zod.def.check);
    for (const [key, item] of Object.entries(def)) if (key !== 'checks') visit(item);
  };
  visit(schema);
  return { types, checks, defaultInOptional };
}

/**
 * The zod schemas and checks whose JSON Schema Ajv checks as zod does, for a value read by
 * JSON.parse, and which give back the value unchanged. Not here, each for its reason: a
 * refine (`custom`), which JSON Schema drops; a pipe, transform or codec, whose JSON Schema
 * describes one side only; `overwrite` (trim, toLowerCase), which changes the value. A schema
 * of another kind must be checked against that rule before it is added.
 */
const ZOD_TYPES_AS_AJV = new Set(['array', 'boolean', 'default', 'enum', 'never', 'nullable', 'number', 'object', 'optional', 'string']);
const ZOD_CHECKS_AS_AJV = new Set(['greater_than', 'less_than', 'min_length', 'max_length', 'number_format']);

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
 * The JSON Schema keywords Ajv checks as zod checks what they were written from (zod 4 counts
 * a string's length in code points, as Ajv does), or more strictly: `required` includes a
 * member zod would fill with its default, and a value Ajv refuses is left to zod.
 */
const AS_STRICT_AS_ZOD = new Set(['$schema', 'type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'anyOf', 'default']);

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

  /** The quick check accepts `candidate` only if zod does, and then zod gives back the value itself; which of them accept it. */
  const agrees = (path: StateMapPath, candidate: unknown): 'bothAccept' | 'onlyZodAccepts' | 'bothRefuse' => {
    const quick = hasMapValueShape(path, candidate);
    const parsed = mapValueSchema(path).safeParse(candidate);
    assert.ok(!quick || parsed.success, `${path}: the quick check accepts ${JSON.stringify(candidate).slice(0, 400)}, which zod refuses`);
    // What the reader keeps when the quick check accepts is the value itself: it must be what zod would have given.
    if (quick) assert.deepEqual(candidate, parsed.data, `${path}: zod would have kept another value`);
    return quick ? 'bothAccept' : parsed.success ? 'onlyZodAccepts' : 'bothRefuse';
  };

  it('accepts nothing zod refuses: each place of one value of each map, and of the fuller record, set to each edge', () => {
    let refused = 0;
    for (const path of STATE_MAP_PATHS) {
      const values = scenarioValues.get(path)!;
      for (const value of path === 'requests' ? [values[0], fullRecord] : values.slice(0, 1)) {
        for (const place of placesIn(value)) {
          for (const json of EDGES) {
            for (const kind of ['replace', 'remove', 'add'] as const) if (agrees(path, edited(value, place, { kind, json, key: 'extra' })) !== 'bothAccept') refused++;
          }
        }
      }
    }
    assert.ok(refused > 1000, `only ${refused} edits refused`);
  });

  it('accepts nothing zod refuses: values edited at any place', () => {
    const paths = STATE_MAP_PATHS.filter((path) => scenarioValues.get(path)!.length > 0);
    const outcomes = { bothRefuse: 0, bothAccept: 0, onlyZodAccepts: 0 };
    const edit = fc.record({ kind: fc.constantFrom('replace' as const, 'remove' as const, 'add' as const), json: fc.oneof(fc.constantFrom(...EDGES), fc.jsonValue({ maxDepth: 2 })), key: fc.string({ maxLength: 12 }) });
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.nat(), fc.nat(), edit, (path, which, where, change) => {
        const values = scenarioValues.get(path)!;
        const value = values[which % values.length];
        const places = placesIn(value);
        const candidate = edited(value, places[where % places.length]!, change);
        outcomes[agrees(path, candidate)]++;
      }),
      { numRuns: 4000 },
    );
    // A member named __proto__, which JSON text may hold, and which fast-check draws only now and then (a run of this test in 7 or so).
    assert.equal(agrees('requests', edited(scenarioValues.get('requests')![0], [], { kind: 'replace', json: JSON.parse(`{"__proto__":null,${JSON.stringify(scenarioValues.get('requests')![0]).slice(1)}`), key: '' })), 'bothRefuse');
    // Not vacuous: the edits both broke values and left some whole.
    assert.ok(outcomes.bothRefuse > 100 && outcomes.bothAccept > 100, JSON.stringify(outcomes));
  });

  it('is compiled from schemas that JSON Schema says as zod does: no refine, pipe, transform or default left optional', () => {
    for (const path of STATE_MAP_PATHS) {
      const parts = zodParts(mapValueSchema(path));
      assert.deepEqual([...parts.types].filter((type) => !ZOD_TYPES_AS_AJV.has(type)), [], `${path}: zod schemas whose JSON Schema Ajv may check otherwise than zod`);
      assert.deepEqual([...parts.checks].filter((check) => !ZOD_CHECKS_AS_AJV.has(check)), [], `${path}: zod checks JSON Schema does not say (a refine), or that change the value`);
      assert.equal(parts.defaultInOptional, false, `${path}: a default inside an optional, which zod fills in and Ajv leaves out`);
      const loose = [...keywords(mapValueJsonSchema(path))].filter((keyword) => !AS_STRICT_AS_ZOD.has(keyword));
      assert.deepEqual(loose, [], `${path}: keywords whose check Ajv may make more loosely than zod`);
    }
    // The walk sees what it must refuse, nested as deep as in a record, so the assertions above can fail.
    const nested = (inner: z.ZodType) => z.strictObject({ view: z.strictObject({ list: z.array(inner) }) });
    assert.ok(zodParts(nested(z.string().refine(() => true))).checks.has('custom'));
    assert.ok(zodParts(nested(z.string().trim())).checks.has('overwrite'));
    assert.ok(zodParts(nested(z.string().transform((text) => text.length))).types.has('pipe'));
    assert.ok(zodParts(nested(z.boolean().default(false).optional())).defaultInOptional);
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
