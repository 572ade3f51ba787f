/**
 * A map value whose bytes are kept outside the heap, on a shelf the holder of the state keeps
 * (issue 14, "RSS flat after warm-up"). A service's heap grew by some 1,450 bytes for each
 * filing the log gained, a third of them in the request record itself, and a filing's record
 * is read again only when an entry acts on its case or a page shows it: the holder puts the
 * records no entry has changed for a while on its shelf (server replay/record-shelving.ts),
 * and the leaf that held a record holds this instead (persistent-map.ts `mapShelve`).
 *
 * Unlike an Unread value, it is read afresh at every reading and never kept by the leaf: two
 * readings give equal values, not the same object. What a shelf holds is never changed once
 * written, so every state that shares the leaf reads the record it held, and the state stays a
 * value. The shelf is given by the holder: core does no reading of its own (DESIGN.md, "core is
 * pure"), it asks the shelf, as it asks a reader for an Unread value's text.
 */
export interface Shelf<V> {
  /** The value put at `at` (`length` bytes). Throws when the shelf cannot be read: the holder's own storage failed. */
  read(at: number, length: number): V;
}

export class Shelved<V> {
  constructor(
    private readonly shelf: Shelf<V>,
    /** Where its bytes start on the shelf, and how many they are. */
    readonly at: number,
    readonly length: number,
  ) {}

  read(): V {
    return this.shelf.read(this.at, this.length);
  }
}
