import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { fieldName } from "../model/field-names.ts";
import { applyFieldNames, fieldPlaceholdersIn } from "./field-placeholders.ts";
import { loadSuites, SUITES_DIR } from "./suites.ts";

describe("versioned field names", () => {
  test("2.0 names stay; 2.1 renames the eori parameter; 3.0 uses the camelCase registry members", () => {
    expect(["2.0", "2.1", "3.0"].map((v) => fieldName(v as "2.0", "eori"))).toEqual(["eori", "id", "id"]);
    expect(["2.0", "2.1", "3.0"].map((v) => fieldName(v as "2.0", "parties_token"))).toEqual([
      "parties_token",
      "parties_token",
      "partiesToken",
    ]);
    expect(fieldName("3.0", "party_id")).toBe("id");
  });

  test("{{field.X}} is replaced in strings and keys, other placeholders are left for run time", () => {
    const template = {
      query: { "{{field.eori}}": "{{client.id}}" },
      expect: [{ with: { from: "{{field.parties_token}}", at: "{{field.parties_info}}.data" } }],
    };
    expect(fieldPlaceholdersIn(template)).toEqual(new Set(["eori", "parties_token", "parties_info"]));
    expect(applyFieldNames(template, "3.0")).toEqual({
      query: { id: "{{client.id}}" },
      expect: [{ with: { from: "partiesToken", at: "partiesInfo.data" } }],
    });
    expect(applyFieldNames(template, "2.0").query).toEqual({ eori: "{{client.id}}" });
  });
});

/** Copies suites/ to a temp folder with parties.yaml edited by `edit`. */
function loadEdited(edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), "suites-fields-"));
  cpSync(SUITES_DIR, dir, { recursive: true });
  const file = join(dir, "parties.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return loadSuites(dir);
}

describe("suite files", () => {
  test("a list anchored in `anchors:` expands in place inside expect", () => {
    const parties = loadSuites().find((s) => s.suite === "parties")!;
    const checks = parties.cases.find((c) => c.id === "PARTY-003")!.steps[0]!.expect.map((use) => use.check);
    expect(checks.slice(0, 3)).toEqual(["status-is", "content-type-is", "jwt-header-members"]);
    expect(checks.at(-1)).toBe("parties-info-consistent");
    expect(parties).not.toHaveProperty("anchors");
  });

  test("an unknown {{field.X}} is a SUITE error naming the file and the known names", () => {
    let caught: unknown;
    try {
      loadEdited((t) => t.replace('"{{field.eori}}": "{{client.id}}"', '"{{field.eory}}": "{{client.id}}"'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe("SUITE");
    expect((caught as ConfigError).message).toMatch(
      /parties\.yaml: \{\{field\.…\}\}: unknown versioned field "eory" \(known: eori, party_id/,
    );
  });
});
