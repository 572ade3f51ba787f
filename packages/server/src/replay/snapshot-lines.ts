import { createGunzip } from 'node:zlib';
import { JsonLines, type LineBytes } from '@evenhand/log';

/** Bytes of JSON decompressed at a time when a snapshot is read. */
const GUNZIP_CHUNK = 256 * 1024;

/**
 * Decompresses a stored snapshot's data (its digest already checked) a piece at a time and
 * hands each of its lines to `take` as soon as it is cut, as its bytes, its number, and how to
 * parse it: the whole text is never held (log replay-snapshot.ts). The number of bytes of JSON
 * it held, or why it is not used: it does not decompress, or a line is not JSON or is refused by `take`.
 */
export async function readSnapshotLines(data: Uint8Array, take: (line: LineBytes, index: number, parse: (line: LineBytes) => unknown) => { readonly ok: boolean; readonly error?: { readonly code: string; readonly message: string } }): Promise<number | string> {
  const lines = new JsonLines();
  const parse = (line: LineBytes) => lines.value(line);
  let jsonBytes = 0;
  const each = (cut: Iterable<LineBytes>): string | undefined => {
    try {
      for (const line of cut) {
        const taken = take(line, lines.read - 1, parse);
        if (!taken.ok) return `${taken.error!.code}: ${taken.error!.message}`;
      }
      return undefined;
    } catch (error) {
      return `SNAPSHOT_SHAPE: line ${lines.read} does not read (${error instanceof Error ? error.message : String(error)})`;
    }
  };
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  gunzip.end(data);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      jsonBytes += chunk.length;
      const refused = each(lines.pushBytes(chunk));
      if (refused) {
        gunzip.destroy();
        return refused;
      }
    }
  } catch (error) {
    return `its data does not decompress: ${error instanceof Error ? error.message : String(error)}`;
  }
  return each(lines.endBytes()) ?? jsonBytes;
}
