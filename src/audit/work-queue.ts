import type { WorkItem } from "./parallel-protocol";

/**
 * The files of a round: each shard's own first (the files whose text it kept), then those of no
 * shard, then — so that no shard idles while another has work — the last of another shard's own
 * (that shard keeps their text until the round ends; the taker reads them again).
 */
export class WorkQueue {
  private readonly own: WorkItem[][];
  private readonly heads: number[];
  private readonly tails: number[];
  private readonly anyShard: WorkItem[];
  private next = 0;
  private left: number;
  private taken = 0;

  constructor(items: readonly WorkItem[], shards: number) {
    this.own = Array.from({ length: shards }, () => []);
    this.heads = new Array(shards).fill(0);
    this.tails = new Array(shards).fill(0);
    this.anyShard = [...items];
    this.left = items.length;
  }

  /** Adds `item` for `shard` (-1: any). */
  add(item: WorkItem, shard: number): void {
    if (shard < 0) this.anyShard.push(item);
    else {
      (this.own[shard] as WorkItem[]).push(item);
      this.tails[shard] = (this.tails[shard] as number) + 1;
    }
    this.left++;
  }

  /** How many files the round started with (or holds so far). */
  get size(): number {
    return this.left + this.taken;
  }

  /** How many files are still to be taken. */
  get remaining(): number {
    return this.left;
  }

  empty(): boolean {
    return this.left === 0;
  }

  /** Up to `count` files for `shard`, in walk order within each source. */
  take(shard: number, count: number): WorkItem[] {
    const out: WorkItem[] = [];
    const own = this.own[shard] as WorkItem[];
    while (out.length < count && (this.heads[shard] as number) < (this.tails[shard] as number)) {
      out.push(own[this.heads[shard] as number] as WorkItem);
      this.heads[shard] = (this.heads[shard] as number) + 1;
    }
    while (out.length < count && this.next < this.anyShard.length)
      out.push(this.anyShard[this.next++] as WorkItem);
    if (out.length === 0) {
      // The shard with the most files left gives up its last ones: at most half of them.
      let from = -1;
      let most = 0;
      for (let s = 0; s < this.own.length; s++) {
        const n = (this.tails[s] as number) - (this.heads[s] as number);
        if (n > most) {
          most = n;
          from = s;
        }
      }
      const give = Math.min(count, Math.ceil(most / 2));
      if (from >= 0) {
        const end = this.tails[from] as number;
        for (let i = end - give; i < end; i++) out.push((this.own[from] as WorkItem[])[i] as WorkItem);
        this.tails[from] = end - give;
      }
    }
    this.left -= out.length;
    this.taken += out.length;
    return out;
  }
}
