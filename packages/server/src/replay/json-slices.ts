import { jsonLinePieces } from '@evenhand/log';

/** Array items, or lines, stringified between two yields to the event loop. */
const JSON_SLICE = 512;

/** Lets the event loop run what waits: the default `settle` between two slices. */
export const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * JSON.stringify in slices, handed to `write` piece by piece (issue 14: a periodic snapshot
 * must not hold the appends). Stringifying a long list in one call, then joining, copying
 * and digesting the whole text, held the event loop for 270 ms at 30,000 entries, and longer
 * as the log grows. Here no piece is longer than JSON_SLICE items, and the caller digests and
 * compresses each piece as it comes. The pieces join to JSON.stringify's text.
 */
export async function writeJsonInSlices(value: unknown, write: (text: string) => void, settle: () => Promise<void> = yieldToIo): Promise<void> {
  if (typeof value !== 'object' || value === null) {
    write(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    let slice: string[] = [];
    let first = true;
    write('[');
    for (const item of value as unknown[]) {
      slice.push(JSON.stringify(item) ?? 'null');
      if (slice.length === JSON_SLICE) {
        write(`${first ? '' : ','}${slice.join(',')}`);
        first = false;
        slice = [];
        await settle();
      }
    }
    write(`${first || slice.length === 0 ? '' : ','}${slice.join(',')}]`);
    return;
  }
  let member = 0;
  write('{');
  for (const [key, item] of Object.entries(value)) {
    // Skipped as JSON.stringify skips them.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    write(`${member++ === 0 ? '' : ','}${JSON.stringify(key)}:`);
    await writeJsonInSlices(item, write, settle);
  }
  write('}');
}

/**
 * Each of `values` as a line of JSON (log json-lines.ts reads them back), handed to `write`
 * JSON_SLICE lines at a time with a yield between: a snapshot's pairs, walked from the state's
 * maps as they are written, never copied into a list first. The first value (a snapshot's
 * header, which holds lists of its own) is written in slices as `writeJsonInSlices` writes.
 */
export async function writeLinesInSlices(values: Iterable<unknown>, write: (text: string) => void, settle: () => Promise<void> = yieldToIo): Promise<void> {
  const iterator = values[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return;
  await writeJsonInSlices(first.value, write, settle);
  write('\n');
  for (const piece of jsonLinePieces({ [Symbol.iterator]: () => iterator }, JSON_SLICE)) {
    write(piece);
    await settle();
  }
}
