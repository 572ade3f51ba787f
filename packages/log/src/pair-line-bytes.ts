import type { LineBytes } from './json-lines.ts';

/*
 * A snapshot's pair lines read from their bytes (replay-snapshot.ts `ReplayReader.pairLine`),
 * without decoding or parsing the line whole: the key of `["key",value]`, a pair of two plain
 * texts, and the place of a record kept apart. Each gives exactly what JSON.parse would, or
 * nothing, and the line is then parsed (issue 14: a restart at 10^6 entries reads 457,065 lines).
 */

/**
 * Where a record's JSON text was kept, apart from the lines: a block's number, and where the
 * text starts and ends in the block's bytes (server record-blocks.ts).
 */
export type RecordPlace = readonly [block: number, start: number, end: number];

/** The bytes of `["`, `"` and `,` in a pair's line, `["key",value]`. */
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** A byte a JSON text holds as itself, no escape: printable ASCII but the backslash (a quote ends the text). */
const isPlainByte = (byte: number): boolean => byte !== BACKSLASH && byte >= 0x20 && byte <= 0x7e;

/**
 * Where the key of a pair's line ends (its closing quote), when the line is `["key",value]`
 * with a key of printable ASCII and no escape, as JSON.stringify writes an id; -1 for any other
 * line, which is then parsed whole. The growth bench's floor of a restart cuts lines with it too
 * (server bench restart-floor.ts).
 */
export function pairKeyEnd({ source, start, end }: LineBytes): number {
  if (end - start < 6 || source[start] !== OPEN_BRACKET || source[start + 1] !== QUOTE || source[end - 1] !== CLOSE_BRACKET) return -1;
  for (let at = start + 2; at < end - 2; at++) {
    const byte = source[at]!;
    if (byte === QUOTE) return source[at + 1] === COMMA ? at : -1;
    if (!isPlainByte(byte)) return -1;
  }
  return -1;
}

/**
 * `["key","text"]`, both plain (printable ASCII, no quote, no backslash), as the pair JSON.parse
 * would give; undefined for any other line. `close` is the key's closing quote (`pairKeyEnd`).
 * An order index's lines are such pairs, a position and an id: at 10^6 entries, 228,532 of a
 * restart's 457,065 lines, whose decoding and parsing one at a time took a fifth of its
 * reading of lines (a CPU profile of a restart).
 */
export function plainTextPair({ source, start, end }: LineBytes, close: number): readonly [string, string] | undefined {
  const from = close + 3;
  if (source[close + 2] !== QUOTE || source[end - 2] !== QUOTE || end - 2 < from) return undefined;
  for (let at = from; at < end - 2; at++) {
    const byte = source[at]!;
    if (byte === QUOTE || !isPlainByte(byte)) return undefined;
  }
  return [asciiText(source, start + 2, close), asciiText(source, from, end - 2)];
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Digits a place's number may have: 15, below 2^53, beyond any block's size or count; a 16th is not a digit of a place. */
const PLACE_DIGITS = 15;

/**
 * The place a line `["key",block,start,end]` gives (`linesApart`): three whole
 * numbers written as JSON.stringify writes them (no sign, no leading zero), start ≤ end;
 * undefined for any other line. `close` is the key's closing quote (`pairKeyEnd`).
 */
export function recordPlace({ source, end }: LineBytes, close: number): RecordPlace | undefined {
  const numbers: [number, number, number] = [0, 0, 0];
  let at = close + 2;
  // Read from the digits themselves: a restart reads 228,532 places at 10^6 entries, and a string for each number was garbage.
  for (let n = 0; n < 3; n++) {
    const from = at;
    let value = 0;
    for (; at < end && at - from < PLACE_DIGITS && source[at]! >= DIGIT_0 && source[at]! <= DIGIT_9; at++) value = value * 10 + source[at]! - DIGIT_0;
    const digits = at - from;
    if (digits === 0 || (digits > 1 && source[from] === DIGIT_0)) return undefined;
    numbers[n] = value;
    if (source[at] !== (n < 2 ? COMMA : CLOSE_BRACKET)) return undefined;
    at++;
  }
  return at === end && numbers[1] <= numbers[2] ? numbers : undefined;
}

/** Bytes past which `asciiText` decodes instead of passing each as an argument: about 120,000 arguments overflow the stack. */
const ASCII_AS_ARGUMENTS = 4_096;
/** ASCII is UTF-8: the bytes `asciiText` is given read the same either way. */
const asciiDecoder = new TextDecoder();

/** ASCII bytes as a string: a short run (a key, an id) from its character codes, a longer one decoded. */
export function asciiText(source: Uint8Array, start: number, end: number): string {
  if (end - start > ASCII_AS_ARGUMENTS) return asciiDecoder.decode(source.subarray(start, end));
  return String.fromCharCode.apply(null, source.subarray(start, end) as unknown as number[]);
}
