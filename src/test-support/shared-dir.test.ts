import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDir, seedFile, sharedDirCandidates } from "./shared-dir.ts";

describe("findSharedDir", () => {
  it("prefers ISHARE_SHARED_DIR and finds seeds by prefix there", () => {
    const dir = mkdtempSync(join(tmpdir(), "shared-"));
    mkdirSync(join(dir, "seeds"));
    writeFileSync(join(dir, "seeds", "004_abc.txt"), "x");
    expect(findSharedDir({ ISHARE_SHARED_DIR: dir })).toEqual({ dir });
    expect(seedFile(dir, "004_")).toBe(join(dir, "seeds", "004_abc.txt"));
    expect(seedFile(dir, "005_")).toBeUndefined();
  });

  it("tries the env folder, then the repository's sibling, then /work/shared", () => {
    const candidates = sharedDirCandidates({ ISHARE_SHARED_DIR: "/nowhere" });
    expect(candidates[0]).toBe("/nowhere");
    expect(candidates[1]).toMatch(/\/shared$/);
    expect(candidates[2]).toBe("/work/shared");
  });
});
