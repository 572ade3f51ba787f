/**
 * JSON values one to a line, read from UTF-8 bytes that come in chunks of any size (a
 * decompressing stream's): each line is decoded and parsed alone, so that no text longer than
 * a line is ever held (issue 14, a snapshot's lines, replay-snapshot.ts). JSON.stringify never
 * writes a raw line feed (it escapes one inside a string), so a line feed byte always ends a value.
 */
export class JsonLines {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The start of a line that the chunks so far have not ended. */
  private pending: Uint8Array[] = [];
  private count = 0;

  /** How many values have been read. */
  get read(): number {
    return this.count;
  }

  /** The values of the lines that `chunk` ends. Throws on a line that is not JSON (SyntaxError) or not UTF-8 (TypeError). */
  *push(chunk: Uint8Array): Generator<unknown> {
    let start = 0;
    for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10, start)) {
      let line = chunk.subarray(start, end);
      if (this.pending.length > 0) {
        line = joined([...this.pending, line]);
        this.pending = [];
      }
      start = end + 1;
      yield this.value(line);
    }
    if (start < chunk.length) this.pending.push(chunk.slice(start));
  }

  /** The value of a last line with no line feed after it, if any. */
  *end(): Generator<unknown> {
    if (this.pending.length === 0) return;
    const line = joined(this.pending);
    this.pending = [];
    yield this.value(line);
  }

  /** The values of every line of `bytes`, a whole text. */
  *all(bytes: Uint8Array): Generator<unknown> {
    yield* this.push(bytes);
    yield* this.end();
  }

  private value(line: Uint8Array): unknown {
    this.count++;
    return JSON.parse(this.decoder.decode(line));
  }
}

function joined(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
