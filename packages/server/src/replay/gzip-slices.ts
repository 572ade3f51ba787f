import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { yieldToIo } from './json-slices.ts';

/** What `produce` is handed: `write` takes the next piece of text; `settle` is awaited between slices. */
export type SliceWriter = (write: (text: string) => void, settle: () => Promise<void>) => Promise<void>;

/**
 * The gzip of the text `produce` writes a piece at a time, compressed as it comes, and how many
 * bytes of text that was: a snapshot's data (snapshot-keeper.ts), never held whole as text.
 *
 * `settle` waits for the compressor to take what it was given (Node's `writableNeedDrain`)
 * before the next slice is made, and only yields to the event loop when it has. The compressor
 * runs on libuv's threads, slower than a state is stringified: written on without waiting, the
 * text of a whole snapshot queued before it, up to 79 MB at 82,657 entries of the sustained run,
 * and the process's memory kept that high-water mark, a little higher at each whole snapshot
 * (issue 14, "RSS flat after warm-up").
 */
export async function gzipInSlices(produce: SliceWriter, gzip: Gzip = createGzip()): Promise<{ readonly compressed: Buffer; readonly textBytes: number }> {
  const compressed: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
  const ended = once(gzip, 'end');
  // Awaited below; until then a compressor's error must not be an unhandled rejection.
  ended.catch(() => undefined);
  let textBytes = 0;
  const write = (text: string) => {
    const piece = Buffer.from(text, 'utf8');
    textBytes += piece.length;
    gzip.write(piece);
  };
  const settle = async () => {
    // A compressor that failed takes nothing more: the rest of the text is not made.
    if (gzip.errored) throw gzip.errored;
    if (gzip.writableNeedDrain) await once(gzip, 'drain');
    else await yieldToIo();
  };
  try {
    await produce(write, settle);
  } catch (error) {
    gzip.destroy();
    throw error;
  }
  gzip.end();
  await ended;
  return { compressed: Buffer.concat(compressed), textBytes };
}
