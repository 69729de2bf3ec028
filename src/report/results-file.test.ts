import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult } from "../model/result.ts";
import { appendCaseResult, readCaseResults } from "./results-file.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "results-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A case result carrying a response body of `bodyBytes` characters (cases record bodies up to the 5 MiB cap). */
const bigResult = (index: number, bodyBytes: number): CaseResult => ({
  id: `BIG-${String(index).padStart(3, "0")}`,
  suite: "big",
  title: `case ${index}`,
  ref: { key: "k", title: "t", url: "https://dev.ishare.eu/", section: "s" },
  tags: [],
  status: index % 2 === 0 ? "failed" : "passed",
  message: index % 2 === 0 ? "expected 400, saw 200" : "",
  warnings: [],
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 1,
  steps: [
    {
      name: "send",
      checks: [],
      jwts: [],
      response: {
        status: 200,
        headers: {},
        body: String.fromCharCode(65 + (index % 26)).repeat(bodyBytes),
        truncated: false,
        durationMs: 1,
      },
    },
  ],
});

describe("results.jsonl: one writer, whole lines", () => {
  it("keeps every case whole when several multi-megabyte results are appended at once", async () => {
    const file = join(dir, "concurrent.jsonl");
    const sizes = [3, 5, 1, 4, 2, 5, 3, 4].map((mb) => mb * 1024 * 1024 - 4096);
    const written = sizes.map((size, index) => bigResult(index, size));
    await Promise.all(written.map((result) => appendCaseResult(file, result)));
    const text = await readFile(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n").filter(Boolean)).toHaveLength(written.length);
    const read = await readCaseResults(file);
    expect(read.map((r) => r.id).sort()).toEqual(written.map((r) => r.id).sort());
    for (const result of read) {
      const original = written.find((w) => w.id === result.id);
      expect(result.steps[0]?.response?.body === original?.steps[0]?.response?.body, result.id).toBe(true);
      expect(result.status).toBe(original?.status);
    }
  });

  it("goes on after a failed append: the failing caller sees the error, the next line is written", async () => {
    const missing = join(dir, "no-such-folder", "results.jsonl");
    await expect(appendCaseResult(missing, bigResult(1, 10))).rejects.toThrow(/ENOENT/);
    const file = join(dir, "after-failure.jsonl");
    await appendCaseResult(file, bigResult(2, 10));
    expect((await readCaseResults(file)).map((r) => r.id)).toEqual(["BIG-002"]);
  });
});
