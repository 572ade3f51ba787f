/** Array items stringified between two yields to the event loop. */
const JSON_SLICE = 512;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * JSON.stringify in slices: a state's maps hold one pair per request, and stringifying them
 * in one call would hold the event loop (and so the appends) for as long as the state is big.
 * Gives the same text as JSON.stringify for the plain data a snapshot is.
 */
export async function jsonInSlices(value: unknown): Promise<string> {
  if (Array.isArray(value)) {
    if (value.length <= JSON_SLICE) return JSON.stringify(value);
    const parts: string[] = [];
    for (let from = 0; from < value.length; from += JSON_SLICE) {
      parts.push(value.slice(from, from + JSON_SLICE).map((item: unknown) => JSON.stringify(item) ?? 'null').join(','));
      await yieldToIo();
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${await jsonInSlices(member)}`);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
