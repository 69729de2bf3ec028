import { describe, expect, it } from "vitest";
import { Limiter } from "./limiter.ts";

describe("Limiter", () => {
  it("never runs more than the limit at once, even as slots are handed over", async () => {
    const limiter = new Limiter(3);
    const limit = <T>(task: () => Promise<T>) => limiter.run(task);
    let active = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 1));
      active -= 1;
    };
    const tasks = Array.from({ length: 20 }, () => limit(task));
    // Late arrivals while slots are being handed over must still wait.
    await new Promise((resolve) => setTimeout(resolve, 2));
    tasks.push(...Array.from({ length: 10 }, () => limit(task)));
    await Promise.all(tasks);
    expect(peak).toBe(3);
  });

  it("frees the slot when a task throws", async () => {
    const limiter = new Limiter(1);
    const limit = <T>(task: () => Promise<T>) => limiter.run(task);
    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "next")).toBe("next");
  });

  it("refuses a limit below 1", () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
