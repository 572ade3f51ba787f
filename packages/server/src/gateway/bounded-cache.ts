/** A map that forgets its oldest entries past a size, so a long-running gateway's memory stays bounded. */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  has(key: K): boolean {
    return this.map.has(key);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    // Map keeps insertion order, so the first key is the oldest.
    while (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  /** Forgets one key (an erased case's plaintext, issue 17). */
  delete(key: K): void {
    this.map.delete(key);
  }
}
