/**
 * Members waiting out the minimum membership age, ordered by the time they mature (ties by
 * address, so the order never depends on insertion history). A binary heap: joining costs
 * O(log m) once, each event pops only the members that matured since the previous event, so
 * the total maturity work over a log is O(joins · log joins) and a revenue event stays O(1)
 * amortised whatever the member count.
 */
export interface PendingMaturity {
  readonly maturesAt: number;
  readonly address: string;
}

const before = (a: PendingMaturity, b: PendingMaturity): boolean =>
  a.maturesAt < b.maturesAt || (a.maturesAt === b.maturesAt && a.address < b.address);

export class MaturityQueue {
  private readonly heap: PendingMaturity[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(item: PendingMaturity): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p === undefined || !before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  /** Removes and returns the earliest item if it matures at or before `now`. */
  popDue(now: number): PendingMaturity | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined || top.maturesAt > now) return undefined;
    const last = heap.pop();
    if (last !== undefined && heap.length > 0) this.sinkFromRoot(last);
    return top;
  }

  private sinkFromRoot(item: PendingMaturity): void {
    const heap = this.heap;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = item;
      let at = i;
      const l = heap[left];
      if (l !== undefined && before(l, smallest)) {
        smallest = l;
        at = left;
      }
      const r = heap[right];
      if (r !== undefined && before(r, smallest)) {
        smallest = r;
        at = right;
      }
      if (at === i) break;
      heap[i] = smallest;
      i = at;
    }
    heap[i] = item;
  }
}
