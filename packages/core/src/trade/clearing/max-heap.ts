/**
 * A binary max-heap of (key, id) pairs; ties pop the smaller id first, which keeps the
 * greedy deterministic (§6(a)5, last stage: "deterministic tie-break").
 */
export class MaxHeap {
  private readonly keys: number[] = [];
  private readonly ids: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  private before(i: number, j: number): boolean {
    const ki = this.keys[i] as number;
    const kj = this.keys[j] as number;
    return ki > kj || (ki === kj && (this.ids[i] as number) < (this.ids[j] as number));
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j] as number, this.keys[i] as number];
    [this.ids[i], this.ids[j]] = [this.ids[j] as number, this.ids[i] as number];
  }

  push(key: number, id: number): void {
    this.keys.push(key);
    this.ids.push(id);
    let i = this.ids.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the top, or undefined when empty. */
  pop(): { key: number; id: number } | undefined {
    if (this.ids.length === 0) return undefined;
    const top = { key: this.keys[0] as number, id: this.ids[0] as number };
    const lastKey = this.keys.pop() as number;
    const lastId = this.ids.pop() as number;
    if (this.ids.length > 0) {
      this.keys[0] = lastKey;
      this.ids[0] = lastId;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < this.ids.length && this.before(left, best)) best = left;
        if (right < this.ids.length && this.before(right, best)) best = right;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}
