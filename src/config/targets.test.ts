import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadTargetsFile, pickTarget } from "./targets.ts";

const dir = mkdtempSync(join(tmpdir(), "targets-test-"));
let n = 0;
function write(text: string): string {
  const file = join(dir, `targets-${n++}.yaml`);
  writeFileSync(file, text);
  return file;
}

const external = `
targets:
  my-ar:
    partyId: EU.EORI.NL000000004
    baseUrl: https://ar.example.com/
    roles: [AuthorisationRegistry]
    client:
      partyId: EU.EORI.NL000000001
      key: \${KEY_FILE}
      certificates: ./certs/chain.pem
    trust:
      anchors: [./certs/root.pem, /etc/other-root.pem]
`;

describe("loadTargetsFile", () => {
  test("resolves environment placeholders, relative paths from the file's folder, defaults and a trailing slash", () => {
    const file = write(external);
    const loaded = loadTargetsFile(file, { KEY_FILE: "keys/client.pem" });
    const target = pickTarget(loaded, "my-ar");
    expect(target).toMatchObject({
      kind: "external",
      version: "2.0",
      baseUrl: "https://ar.example.com",
      client: { key: join(dir, "keys/client.pem"), certificates: join(dir, "certs/chain.pem") },
      trust: { anchors: [join(dir, "certs/root.pem"), "/etc/other-root.pem"] },
    });
  });

  test("the repository's targets.yaml is valid and names the reference target", () => {
    const loaded = loadTargetsFile("targets.yaml");
    expect(pickTarget(loaded, "reference")).toMatchObject({ kind: "builtin", version: "2.0", faults: [] });
  });

  const cases: Array<[string, string, Record<string, string>, RegExp]> = [
    ["missing env var", external, {}, /client\.key: environment variable KEY_FILE is not set/],
    ["yaml syntax", "targets:\n  a: [\n", {}, /:\d+:\d+: invalid YAML/],
    ["no targets key", "defaults: {}\n", {}, /\(top level\): missing required key "targets"/],
    [
      "typo in a key",
      external.replace("baseUrl", "baseURL"),
      { KEY_FILE: "k" },
      /targets\.my-ar: unknown key "baseURL" \(check the spelling\)/,
    ],
    [
      "unknown role",
      external.replace("[AuthorisationRegistry]", "[AuthorizationRegistry]"),
      { KEY_FILE: "k" },
      /targets\.my-ar\.roles\[0\]: must be one of/,
    ],
    [
      "bad version",
      external.replace("roles:", 'version: "1.11"\n    roles:'),
      { KEY_FILE: "k" },
      /targets\.my-ar\.version: must be one of "2\.0", "2\.1", "3\.0"/,
    ],
    [
      "bad base URL",
      external.replace("https://ar.example.com/", "ftp://ar"),
      { KEY_FILE: "k" },
      /targets\.my-ar\.baseUrl: must match pattern/,
    ],
    [
      "a previous-steps placement that is neither root nor delegationRequest",
      `${external}    delegation: { permitMask: ./p.json, denyMask: ./d.json, previousStepsPlacement: inside }\n`,
      { KEY_FILE: "k" },
      /targets\.my-ar\.delegation\.previousStepsPlacement: must be one of/,
    ],
    [
      "builtin with unknown key",
      "targets:\n  r:\n    builtin: reference\n    fault: []\n",
      {},
      /targets\.r: unknown key "fault"/,
    ],
    [
      "builtin of another kind",
      "targets:\n  r:\n    builtin: other\n",
      {},
      /targets\.r\.builtin: must be "reference"/,
    ],
  ];
  test.each(cases)("%s → ConfigError naming the file and key", (_name, text, env, message) => {
    const file = write(text);
    let caught: unknown;
    try {
      loadTargetsFile(file, env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe("CONFIG");
    expect((caught as ConfigError).message).toContain(file);
    expect((caught as ConfigError).message).toMatch(message);
  });

  test("delegation.previousStepsPlacement is kept, with the mask paths resolved", () => {
    const file = write(
      `${external}    delegation: { permitMask: ./p.json, denyMask: ./d.json, previousStepsPlacement: root }\n`,
    );
    expect(pickTarget(loadTargetsFile(file, { KEY_FILE: "k" }), "my-ar")).toMatchObject({
      delegation: { permitMask: join(dir, "p.json"), previousStepsPlacement: "root" },
    });
  });

  test("a missing file is named", () => {
    expect(() => loadTargetsFile(join(dir, "none.yaml"))).toThrow(
      /none\.yaml: cannot read \(file not found\)/,
    );
  });

  test("an unknown target name lists the known ones", () => {
    const loaded = loadTargetsFile(write(external), { KEY_FILE: "k" });
    expect(() => pickTarget(loaded, "my-sp")).toThrow(
      /no target named "my-sp" under targets \(known: my-ar\)/,
    );
  });
});
