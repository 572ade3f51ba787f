/**
 * A map value whose bytes are kept outside the heap, on a shelf the holder of the state keeps
 * (issue 14, "RSS flat after warm-up"). A service's heap grew by some 1,450 bytes for each
 * filing the log gained, a third of them in the request record itself, and most records are
 * read seldom once no entry acts on their case: by a page or a search that shows them, a case
 * proof, a whole snapshot. The holder puts the records no entry has changed for a while on its
 * shelf (server replay/record-shelving.ts), and the leaf that held a record holds this instead
 * (persistent-map.ts `mapShelve`).
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
  /** The value's JSON text, as it was put: what a writer of snapshots copies without parsing it (log json-lines.ts). */
  text(at: number, length: number): string;
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

  /** Its JSON text (log json-lines.ts `JsonText`): a whole snapshot writes each shelved record as it is held. */
  jsonText(): string {
    return this.shelf.text(this.at, this.length);
  }
}

/**
 * The Shelved each value became (persistent-map.ts `mapShelve`): a node of an older version may
 * still hold the value itself (a collision a delete made a leaf again keeps its pair's value,
 * as does a leaf set to the value it held), and `mapChanges` must not take the two for a
 * change. Weak: an entry lasts as long as some version holds the value in the heap.
 */
const shelvedAs = new WeakMap<object, Shelved<unknown>>();

/**
 * What a leaf holding `value` holds once shelved: `shelved`, or the Shelved the value became
 * before, so that every node that shelves one value holds one Shelved (`mapShelve`).
 */
export function shelvedOnce<V>(value: V & object, shelved: Shelved<V>): Shelved<V> {
  const before = shelvedAs.get(value) as Shelved<V> | undefined;
  if (before) return before;
  shelvedAs.set(value, shelved as Shelved<unknown>);
  return shelved;
}

/** Whether two things leaves hold are one value: the value, and the Shelved it became. */
export function heldAlike(one: unknown, other: unknown): boolean {
  if (one === other) return true;
  if (one instanceof Shelved) return typeof other === 'object' && other !== null && shelvedAs.get(other) === one;
  return other instanceof Shelved && typeof one === 'object' && one !== null && shelvedAs.get(one) === other;
}
