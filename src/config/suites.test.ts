import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadSuites, SUITES_DIR } from "./suites.ts";

describe("the shipped suites", () => {
  test("load, with unique ids, a known ref on every case and a positive/negative tag", () => {
    const suites = loadSuites();
    const cases = suites.flatMap((s) => s.cases);
    expect(cases.length).toBeGreaterThanOrEqual(44);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.ref.url).toMatch(/^https:\/\//);
      expect(c.tags.some((t) => t === "positive" || t === "negative")).toBe(true);
    }
  });
});

/** Copies suites/ to a temp folder with token.yaml edited by `edit`, and loads it. */
function loadEdited(edit: (text: string) => string): () => unknown {
  const dir = mkdtempSync(join(tmpdir(), "suites-test-"));
  cpSync(SUITES_DIR, dir, { recursive: true });
  const file = join(dir, "token.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return () => loadSuites(dir);
}

describe("a broken suite file is an error naming the file and the key path", () => {
  const cases: Array<[string, (text: string) => string, RegExp]> = [
    [
      "unknown check",
      (t) => t.replace("check: status-is, with: 200 }", "check: staus-is, with: 200 }"),
      /cases\[0\] \(TOKEN-001\)\.steps\[0\]\.expect\[0\]: unknown check "staus-is"/,
    ],
    [
      "bad check parameters",
      (t) => t.replace("check: status-is, with: 200 }", "check: status-is, with: ok }"),
      /expect\[0\]\.with: invalid for status-is/,
    ],
    [
      "unknown ref",
      (t) => t.replace("ref: token.response", "ref: token.respons"),
      /cases\[0\] \(TOKEN-001\)\.ref: unknown ref "token\.respons"/,
    ],
    [
      "unknown defect",
      (t) => t.replace("defects: [expired]", "defects: [expird]"),
      /assertion\.defects: unknown defect "expird"/,
    ],
    [
      "unknown request",
      (t) =>
        t.replace(
          "- request: valid\n        mutate: { method: GET",
          "- request: vaild\n        mutate: { method: GET",
        ),
      /steps\[0\]\.request: unknown request "vaild"/,
    ],
    [
      "reuse of a later step",
      (t) => t.replace("reuse: first", "reuse: second"),
      /assertion\.reuse: "second" is not the id of an earlier step/,
    ],
    [
      "misspelt key",
      (t) => t.replace("    title: A valid client", "    titel: A valid client"),
      /unknown key "titel"/,
    ],
    ["bad id", (t) => t.replace("id: TOKEN-001", "id: token-1"), /\.id: must match pattern/],
    ["duplicate id", (t) => t.replace("id: TOKEN-002", "id: TOKEN-001"), /case id TOKEN-001 is also used/],
  ];
  test.each(cases)("%s", (_name, edit, message) => {
    const load = loadEdited(edit);
    let caught: unknown;
    try {
      load();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe("SUITE");
    expect((caught as ConfigError).message).toMatch(/token\.yaml/);
    expect((caught as ConfigError).message).toMatch(message);
  });
});
