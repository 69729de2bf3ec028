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

  test("every rule shown to users is a public page with a section, never our digest", () => {
    const refs = loadSuites().flatMap((s) =>
      s.cases.flatMap((c) => [c.ref, ...c.steps.flatMap((step) => step.expect.map((use) => use.ref))]),
    );
    const publicPage =
      /^https:\/\/(dev\.ishare\.eu\/|dev-old\.ishare\.eu\/|framework\.ishare\.eu\/|github\.com\/iSHAREScheme\/|www\.rfc-editor\.org\/rfc\/|openid\.net\/specs\/)/;
    for (const ref of refs) {
      expect(ref.url, ref.key).toMatch(publicPage);
      expect(ref.section, ref.key).not.toBe("");
      expect(JSON.stringify(ref), ref.key).not.toMatch(/digest|shared|§\d+\.\d+$/);
    }
  });

  test("every negative case names a positive control on its endpoint", () => {
    const cases = loadSuites().flatMap((s) => s.cases);
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const c of cases.filter((c) => c.tags.includes("negative"))) {
      expect(c.control, c.id).toBeDefined();
      expect(byId.get(c.control ?? "")?.tags, c.id).toContain("positive");
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
    [
      "negative case without a positive control",
      (t) => t.replace("tags: [negative, request]\n    control: TOKEN-001\n", "tags: [negative, request]\n"),
      /cases\[2\] \(TOKEN-003\)\.control: a negative case must name its positive control/,
    ],
    [
      "control that is not a case",
      (t) => t.replace("control: TOKEN-001", "control: TOKEN-999"),
      /\(TOKEN-003\)\.control: no case has the id TOKEN-999/,
    ],
    [
      "control that is a negative case",
      (t) => t.replace("control: TOKEN-001", "control: TOKEN-004"),
      /\(TOKEN-003\)\.control: TOKEN-004 is not a positive case/,
    ],
    [
      "control on another endpoint",
      (t) => t.replace("control: TOKEN-001", "control: CAP-005"),
      /\(TOKEN-003\)\.control: CAP-005 sends to the capabilities endpoint, this case to token/,
    ],
    [
      "control that does not run on the negative's versions",
      (t) => t.replace("control: TOKEN-001", "control: TOKEN-002"),
      /\(TOKEN-003\)\.control: TOKEN-002 does not run on iSHARE 2\.0/,
    ],
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
