/** A min-heap of timed events: equal times pop by rank, then in the order they were pushed (a total order). */
export interface Timed {
  readonly atMs: number;
  /** Among events at the same time, lower ranks first. */
  readonly rank: number;
}

interface Entry<T> {
  readonly item: T;
  readonly sequence: number;
}

export class EventQueue<T extends Timed> {
  private readonly heap: Entry<T>[] = [];
  private pushed = 0;

  get size(): number {
    return this.heap.length;
  }

  peek(): T | undefined {
    return this.heap[0]?.item;
  }

  push(item: T): void {
    this.heap.push({ item, sequence: this.pushed++ });
    let index = this.heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(this.heap[index]!, this.heap[parent]!)) break;
      [this.heap[index], this.heap[parent]] = [this.heap[parent]!, this.heap[index]!];
      index = parent;
    }
  }

  pop(): T | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < this.heap.length && this.before(this.heap[left]!, this.heap[smallest]!)) smallest = left;
        if (right < this.heap.length && this.before(this.heap[right]!, this.heap[smallest]!)) smallest = right;
        if (smallest === index) break;
        [this.heap[index], this.heap[smallest]] = [this.heap[smallest]!, this.heap[index]!];
        index = smallest;
      }
    }
    return top.item;
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    if (a.item.atMs !== b.item.atMs) return a.item.atMs < b.item.atMs;
    if (a.item.rank !== b.item.rank) return a.item.rank < b.item.rank;
    return a.sequence < b.sequence;
  }
}
