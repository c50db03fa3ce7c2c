/** A binary min-heap ordered by `priority`. */
export class MinHeap<T> {
  private readonly items: { priority: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(priority: number, value: T): void {
    const items = this.items;
    items.push({ priority, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as { priority: number }).priority <= priority) break;
      [items[i], items[parent]] = [items[parent] as never, items[i] as never];
      i = parent;
    }
  }

  peekPriority(): number {
    return this.items[0]?.priority ?? Infinity;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      this.sink(0);
    }
    return top?.value;
  }

  private sink(index: number): void {
    const items = this.items;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < items.length &&
        (items[left] as { priority: number }).priority <
          (items[smallest] as { priority: number }).priority
      )
        smallest = left;
      if (
        right < items.length &&
        (items[right] as { priority: number }).priority <
          (items[smallest] as { priority: number }).priority
      )
        smallest = right;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest] as never, items[i] as never];
      i = smallest;
    }
  }
}
