/** Array items stringified between two yields to the event loop. */
const JSON_SLICE = 512;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A list given as something to walk (core `mapEntryIterator`), not an array: written as a JSON array. */
function isLazyList(value: object): value is Iterable<unknown> {
  return !Array.isArray(value) && Symbol.iterator in value;
}

/**
 * JSON.stringify in slices, handed to `write` piece by piece (issue 14: a periodic snapshot
 * must not hold the appends). A state's maps hold one pair per request: stringifying them in
 * one call, then joining, copying and digesting the whole text, held the event loop for
 * 270 ms at 30,000 entries, and longer as the log grows. Here no piece is longer than
 * JSON_SLICE items, and the caller digests and compresses each piece as it comes.
 *
 * For plain data the pieces join to JSON.stringify's text. A list may also be given lazily,
 * as an iterable (not an array): it is written as an array of what it yields, so that the
 * state's maps need not be copied into arrays first.
 */
export async function writeJsonInSlices(value: unknown, write: (text: string) => void): Promise<void> {
  if (typeof value !== 'object' || value === null) {
    write(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value) || isLazyList(value)) {
    let slice: string[] = [];
    let first = true;
    write('[');
    for (const item of value as Iterable<unknown>) {
      slice.push(JSON.stringify(item) ?? 'null');
      if (slice.length === JSON_SLICE) {
        write(`${first ? '' : ','}${slice.join(',')}`);
        first = false;
        slice = [];
        await yieldToIo();
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
    await writeJsonInSlices(item, write);
  }
  write('}');
}
