import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { fnv1a } from '../fnv1a.ts';
import { mapValueSchema } from './snapshot-schema.ts';
import type { StateMapPath } from './state-map-paths.ts';

/**
 * A quick check that a snapshot's map value (a request record, a trade, …, parsed from its
 * line) has its schema's shape, reading the value in place (issue 14, restart ≤ 2 s at 10^6).
 *
 * zod builds a new object for every object it accepts. A restart at 10^6 entries reads 457,000
 * map values, and zod's copies were what the exchange kept while JSON.parse's became garbage:
 * zod and the collection of those copies took 1.8–2.0 s of a 7.7 s restart (restarting the same
 * database with and without the check). Ajv compiles the same schema into a function that
 * only reads: 0.16–0.19 s against zod's 1.6–1.8 s for the 228,532 request records of the
 * 10^6 growth log.
 *
 * zod stays the one schema (snapshot-schema.ts) and the judge of a refusal: the check is
 * compiled from zod's own JSON Schema of it, and a value the check refuses is parsed by zod,
 * which either accepts it (a member left to its default, which the JSON Schema requires) or
 * refuses it with the message a refusal has always had. So a value is accepted exactly when zod
 * accepts it, and kept as zod would give it, as long as the JSON Schema says what zod checks:
 * it cannot say a `refine`, and a pipe, transform or trim changes the value.
 * snapshot-check.test.ts keeps such schemas out of these maps.
 */
const checks = new Map<StateMapPath, ValidateFunction>();
let compiler: Ajv2020 | undefined;

/** The JSON Schema (draft 2020-12) that zod writes for the values of the map at `path`. */
export function mapValueJsonSchema(path: StateMapPath): Record<string, unknown> {
  return z.toJSONSchema(mapValueSchema(path), { unrepresentable: 'throw' }) as Record<string, unknown>;
}

/** Whether `value` has the shape of a value of the map at `path`; compiled on first use (about 70 ms for all the maps). */
export function hasMapValueShape(path: StateMapPath, value: unknown): boolean {
  let check = checks.get(path);
  if (!check) {
    // strict: a keyword Ajv does not know fails the compilation instead of being ignored.
    compiler ??= new Ajv2020({ strict: true, allErrors: false });
    check = compiler.compile(mapValueJsonSchema(path));
    checks.set(path, check);
  }
  return check(value);
}

let recordShape: string | undefined;

/**
 * A mark of the request records' schema as this version of evenhand checks them: a hash of its
 * JSON Schema's text. A snapshot's header carries the mark of the version that wrote it, and its
 * records are kept unread at a restart only when the mark is this version's (state-reader.ts):
 * records written under another schema are checked at once, as before, so that a version that
 * changed the records' shape refuses an older snapshot before it serves, not at a reading later.
 * It guards against a change of version, not against an edit: the snapshot's HMAC does that
 * (server snapshot-digest.ts). Two FNV-1a hashes of the text (fnv1a.ts), one of it forwards
 * and one backwards, and its length.
 */
export function requestRecordShape(): string {
  if (recordShape !== undefined) return recordShape;
  const text = JSON.stringify(mapValueJsonSchema('requests'));
  const hex = (word: number) => (word >>> 0).toString(16).padStart(8, '0');
  // Backwards by code unit, as the hash reads them.
  recordShape = `${hex(fnv1a(text))}${hex(fnv1a(text.split('').reverse().join('')))}-${text.length}`;
  return recordShape;
}
