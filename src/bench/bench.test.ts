import { describe, expect, it } from "vitest";
import { loadTargetsFile } from "../config/targets.ts";
import { runBaseline } from "./baseline.ts";
import { median, tenTargetsYaml } from "./bench.ts";
import { childCpuFromTimes, parseBashTime } from "./process-time.ts";

describe("bench helpers", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("reads bash's times output: the children's user plus system time", () => {
    expect(parseBashTime("1m2.345s")).toBe(62_345);
    expect(parseBashTime("garbage")).toBeNaN();
    expect(childCpuFromTimes("0m0.010s 0m0.002s\n0m9.870s 0m0.450s\n")).toBe(10_320);
  });

  it("writes a valid targets file with ten built-in reference targets", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "bench-ten-"));
    try {
      await writeFile(join(dir, "t.yaml"), tenTargetsYaml(10));
      const file = loadTargetsFile(join(dir, "t.yaml"));
      expect(Object.keys(file.targets)).toHaveLength(10);
      expect(Object.values(file.targets).every((t) => t.kind === "builtin")).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("baseline exchanges are valid token requests the reference target accepts", async () => {
    const times = await runBaseline(3, 2);
    expect(times.ok).toBe(3);
  });
});
