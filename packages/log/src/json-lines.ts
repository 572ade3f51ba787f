import { joinBytes } from '@evenhand/crypto';

/** Where a line is: its bytes are `source` from `start` to `end`, the line feed left out. */
export interface LineBytes {
  readonly source: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * JSON values one to a line, read from UTF-8 bytes that come in chunks of any size (a
 * decompressing stream's): each line is decoded and parsed alone, so that no text longer than
 * a line is ever held (issue 14, a snapshot's lines, replay-snapshot.ts). JSON.stringify never
 * writes a raw line feed (it escapes one inside a string), so a line feed byte always ends a
 * value. `pushBytes` gives the lines' places instead, for a reader that keeps some unread.
 */
export class JsonLines {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The start of a line that the chunks so far have not ended. */
  private pending: Uint8Array[] = [];
  private count = 0;

  /** How many lines have been read. */
  get read(): number {
    return this.count;
  }

  /** The values of the lines that `chunk` ends. Throws on a line that is not JSON (SyntaxError) or not UTF-8 (TypeError). */
  *push(chunk: Uint8Array): Generator<unknown> {
    for (const line of this.pushBytes(chunk)) yield this.value(line);
  }

  /** The value of a last line with no line feed after it, if any. */
  *end(): Generator<unknown> {
    for (const line of this.endBytes()) yield this.value(line);
  }

  /** The values of every line of `bytes`, a whole text. */
  *all(bytes: Uint8Array): Generator<unknown> {
    yield* this.push(bytes);
    yield* this.end();
  }

  /**
   * Where each line that `chunk` ends is, in `chunk` itself (a line begun in an earlier chunk
   * is joined into bytes of its own). A reader that keeps a line's bytes keeps its chunk.
   */
  *pushBytes(chunk: Uint8Array): Generator<LineBytes> {
    let start = 0;
    for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10, start)) {
      this.count++;
      if (this.pending.length > 0) {
        const line = joinBytes([...this.pending, chunk.subarray(start, end)]);
        this.pending = [];
        yield { source: line, start: 0, end: line.length };
      } else yield { source: chunk, start, end };
      start = end + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.slice(start));
  }

  /** Where a last line with no line feed after it is, if there is one. */
  *endBytes(): Generator<LineBytes> {
    if (this.pending.length === 0) return;
    const line = joinBytes(this.pending);
    this.pending = [];
    this.count++;
    yield { source: line, start: 0, end: line.length };
  }

  /** The value of a line. Throws on one that is not JSON (SyntaxError) or not UTF-8 (TypeError). */
  value(line: LineBytes): unknown {
    return JSON.parse(this.decoder.decode(line.source.subarray(line.start, line.end)));
  }
}

/**
 * A value that gives its own JSON text: a request record kept on a service's shelf (core
 * shelved-value.ts), whose text a whole snapshot copies as the shelf holds it instead of
 * parsing it and writing it again.
 */
export interface JsonText {
  jsonText(): string;
}

const isJsonText = (value: unknown): value is JsonText => typeof value === 'object' && value !== null && typeof (value as Partial<JsonText>).jsonText === 'function';

/** The JSON text of a value: its own when it gives one (`JsonText`), else JSON.stringify's. */
export function jsonTextOf(value: unknown): string {
  return isJsonText(value) ? value.jsonText() : JSON.stringify(value);
}

/** The line of a [key, value] pair whose value gives its own JSON text; undefined for any other value. */
function pairText(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 2 || !isJsonText(value[1])) return undefined;
  return `[${JSON.stringify(value[0])},${value[1].jsonText()}]`;
}

/**
 * The JSON text of `values`, one to a line (what JsonLines reads), in pieces of `linesPerPiece`
 * lines: a writer hands each piece on (and may yield between two) without ever making the
 * text of a whole snapshot one string.
 */
export function* jsonLinePieces(values: Iterable<unknown>, linesPerPiece: number): Generator<string> {
  let piece: string[] = [];
  for (const value of values) {
    piece.push(`${pairText(value) ?? JSON.stringify(value)}\n`);
    if (piece.length === linesPerPiece) {
      yield piece.join('');
      piece = [];
    }
  }
  if (piece.length > 0) yield piece.join('');
}
