import type { Treaty } from '../treaty/schema.ts';
import { z } from 'zod';
import { entryBodySchemas, entryTypes } from './entries.ts';
import { mapValueJsonSchema } from './snapshot-check.ts';
import { STATE_MAP_PATHS } from './state-map-paths.ts';

/**
 * One copy of each word the state's records keep: a status, a kind, a purpose, an entry's
 * type, a decision, an offence (issue 14, memory per entry).
 *
 * JSON.parse gives each string value longer than ten characters a copy of its own (V8
 * internalizes the shorter ones, and every literal of the code). A filing kept three such
 * copies ("extradition", "prosecution", "computer-fraud": 96 bytes and three objects to mark
 * per filing, measured by the state-memory bench's heap snapshots), each act one more for the
 * type in its history item, and a restart from a snapshot a fresh copy of every word of every
 * record. The words are the values the records' and the entries' schemas name (an enum or a
 * constant of their JSON Schemas) and the entry types, each kept as V8 keeps a property name
 * (`internalized`); a treaty's offence ids and grounds are added for the treaty in force
 * (`treatyWords`). Replacing a string with an equal one changes nothing a reader can see, so
 * any string may be looked up.
 */
let vocabulary: ReadonlyMap<string, string> | undefined;

/** Strings of at most this many characters are already one copy each (V8's JSON parser internalizes them). */
const INTERNALIZED_LENGTH = 10;

/**
 * The copy of `text` that V8 keeps for a property name: internalized, like the code's literals,
 * so that the one copy is also the one the engine itself would use (state-memory.test.ts asks
 * V8 about it). An index-like text ("12") is no property name; it is kept as it is.
 */
function internalized(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}

function collectWords(schema: unknown, into: Map<string, string>): void {
  if (Array.isArray(schema)) {
    for (const item of schema) collectWords(item, into);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'enum' && Array.isArray(value)) for (const word of value) if (typeof word === 'string') into.set(word, internalized(word));
    if (key === 'const' && typeof value === 'string') into.set(value, internalized(value));
    collectWords(value, into);
  }
}

/** The words of the records' and entries' schemas and the entry types, one internalized copy each; built on first use (about 30 ms). */
export function recordWords(): ReadonlyMap<string, string> {
  if (vocabulary) return vocabulary;
  const words = new Map<string, string>();
  for (const path of STATE_MAP_PATHS) collectWords(mapValueJsonSchema(path), words);
  // The bodies' words too: a record keeps some as a plain string (a request's kind is one of the treaty's kinds).
  for (const type of entryTypes) {
    words.set(type, internalized(type));
    collectWords(z.toJSONSchema(entryBodySchemas[type], { unrepresentable: 'any' }), words);
  }
  vocabulary = words;
  return words;
}

/** The copy `words` holds of `word`; undefined when it holds none, or when `word` is short enough to be one copy already. */
function copyOf(word: string, words: ReadonlyMap<string, string>): string | undefined {
  return word.length > INTERNALIZED_LENGTH ? words.get(word) : undefined;
}

/** `word`, as the one copy the vocabulary holds of it when it holds one. */
export function keptWord<T extends string>(word: T, words: ReadonlyMap<string, string> = recordWords()): T {
  return (copyOf(word, words) as T | undefined) ?? word;
}

/**
 * Replaces, in place, every string in `value` (its members and items, at any depth) that
 * `words` holds with the copy it holds. Only for a value the caller owns and no one else has
 * seen: a record just parsed from a snapshot's line. Arrays are walked by index: `for … in`
 * makes a string of each index, and walking 200,000 request records of the 10^6 growth log
 * took 415 to 443 ms so, 250 to 273 ms by index (issue 14, restart ≤ 2 s).
 */
export function keepWordsIn(value: unknown, words: ReadonlyMap<string, string>): void {
  // A frozen value is one of the code's shared constants (NO_FACTS, a schema's default): nothing in it is a parser's copy.
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const kept = keptIn(value[index], words);
      if (kept !== undefined) value[index] = kept;
    }
    return;
  }
  const members = value as Record<string, unknown>;
  for (const key in members) {
    const kept = keptIn(members[key], words);
    if (kept !== undefined) members[key] = kept;
  }
}

/** The copy to put in place of `item` when it is a word `words` holds; any other value has its own words kept, in place. */
function keptIn(item: unknown, words: ReadonlyMap<string, string>): string | undefined {
  if (typeof item === 'string') return copyOf(item, words);
  keepWordsIn(item, words);
  return undefined;
}

/** Each treaty's words, built once per treaty object: its vocabulary is the record words and its own ids. */
const treatyVocabularies = new WeakMap<Treaty, ReadonlyMap<string, string>>();

/**
 * The record words with `treaty`'s offence categories, grounds and the assurances that cure
 * them: what a filing, a decision and a record read from a snapshot keep one copy of. Built
 * once per treaty object.
 */
export function treatyWords(treaty: Treaty | undefined): ReadonlyMap<string, string> {
  if (!treaty) return recordWords();
  let words = treatyVocabularies.get(treaty);
  if (!words) {
    const found = new Map(recordWords());
    for (const { id } of [...treaty.offences, ...treaty.grounds]) found.set(id, internalized(id));
    // The assurances a decision asks for and a record keeps as given (ECE art. 11).
    for (const { curedByAssurance } of treaty.grounds) if (curedByAssurance !== undefined) found.set(curedByAssurance, internalized(curedByAssurance));
    words = found;
    treatyVocabularies.set(treaty, words);
  }
  return words;
}
