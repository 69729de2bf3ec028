import { describe, expect, it } from "vitest";
import { runBaseline } from "./baseline.ts";
import { median } from "./bench.ts";

describe("bench helpers", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("baseline exchanges are valid token requests the reference target accepts", async () => {
    const times = await runBaseline(3, 2);
    expect(times.ok).toBe(3);
  });
});
