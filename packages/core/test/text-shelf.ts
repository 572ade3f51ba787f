import { Shelved, type Shelf } from '../src/index.ts';

/** A shelf in memory (core shelved-value.ts): each value put is kept as its JSON text, and read back as a new object; `reads` counts the readings. */
export class TextShelf<V> implements Shelf<V> {
  private held = '';
  reads = 0;
  put(value: V): Shelved<V> {
    const json = JSON.stringify(value);
    const at = this.held.length;
    this.held += json;
    return new Shelved(this, at, json.length);
  }
  read(at: number, length: number): V {
    this.reads += 1;
    return JSON.parse(this.text(at, length)) as V;
  }
  text(at: number, length: number): string {
    return this.held.slice(at, at + length);
  }
}
