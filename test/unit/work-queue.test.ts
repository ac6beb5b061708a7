import { describe, expect, it } from "vitest";
import type { WorkItem } from "../../src/audit/parallel-protocol";
import { WorkQueue } from "../../src/audit/work-queue";

const item = (ordinal: number): WorkItem => ({
  ordinal,
  walked: { file: `f${ordinal}.yaml`, explicit: false },
});
const ordinals = (items: WorkItem[]) => items.map((i) => i.ordinal);

describe("the work queue of a parallel audit's rounds", () => {
  it("hands out files in walk order when no shard owns any", () => {
    const q = new WorkQueue([0, 1, 2, 3, 4].map(item), 2);
    expect(q.size).toBe(5);
    expect(ordinals(q.take(1, 2))).toEqual([0, 1]);
    expect(ordinals(q.take(0, 2))).toEqual([2, 3]);
    expect(ordinals(q.take(0, 2))).toEqual([4]);
    expect(q.empty()).toBe(true);
    expect(q.take(1, 2)).toEqual([]);
    expect(q.size).toBe(5);
  });

  it("gives a shard its own files first, then anyone's, then half the last of the fullest other", () => {
    const q = new WorkQueue([], 3);
    for (const o of [0, 1, 2, 3, 4, 5]) q.add(item(o), 0);
    q.add(item(6), 1);
    q.add(item(7), -1);
    expect(q.size).toBe(8);
    expect(ordinals(q.take(1, 4))).toEqual([6, 7]);
    // Shard 2 owns nothing and nothing is left for any shard: it takes shard 0's last files.
    expect(ordinals(q.take(2, 4))).toEqual([3, 4, 5]);
    expect(ordinals(q.take(0, 4))).toEqual([0, 1, 2]);
    expect(q.empty()).toBe(true);
  });

  it("never hands out a file twice, whoever asks", () => {
    const q = new WorkQueue([], 2);
    for (let o = 0; o < 100; o++) q.add(item(o), o % 3 === 0 ? -1 : o % 2);
    const seen: number[] = [];
    for (let turn = 0; !q.empty(); turn++) seen.push(...ordinals(q.take(turn % 2, 1 + (turn % 7))));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
