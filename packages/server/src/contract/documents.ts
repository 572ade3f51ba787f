import type { z } from 'zod';

/**
 * Ties a response schema to the TypeScript type of what the route returns (issue 16, "API
 * contracts"), so that a field added to the type and not to its schema fails to compile
 * rather than only the contract test.
 */

/**
 * T as JSON.stringify writes it: a field that may be undefined may be absent (it is dropped),
 * and arrays lose their readonly, all the way down. Answers are written this way (docs.ts).
 */
export type AsJson<T> = T extends readonly (infer U)[]
  ? AsJson<U>[]
  : T extends object
    ? { [K in keyof T as undefined extends T[K] ? K : never]?: AsJson<Exclude<T[K], undefined>> } & { [K in keyof T as undefined extends T[K] ? never : K]: AsJson<T[K]> }
    : T;

/** The fields of T that a schema's output lacks: `never` when it documents them all. */
type Undocumented<T, S extends z.ZodType> = Exclude<keyof AsJson<T>, keyof z.output<S>>;

/**
 * `documents<T>()(schema)` compiles only when the schema's output fits T as JSON (so no
 * required field of T is missing or of another type) and names every field of T, the optional
 * ones too. It checks the top level; nested schemas of named types call it themselves.
 */
export function documents<T>() {
  return <S extends z.ZodType<AsJson<T>>>(schema: S & ([Undocumented<T, S>] extends [never] ? unknown : { undocumented: Undocumented<T, S> })): S => schema;
}

/**
 * What a handler may return for a response schema S: its output, read-only all the way down,
 * so that the core's readonly arrays fit. Annotating a handler with it makes a field the
 * schema does not list an excess-property error, and one it requires and lacks a missing one.
 */
export type Answer<S extends z.ZodType> = ReadOnlyDeep<z.output<S>>;

type ReadOnlyDeep<T> = T extends readonly (infer U)[] ? readonly ReadOnlyDeep<U>[] : T extends object ? { readonly [K in keyof T]: ReadOnlyDeep<T[K]> } : T;
