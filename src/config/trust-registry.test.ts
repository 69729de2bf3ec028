import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveRegistry } from "../engine/resolve-target.ts";
import { ConfigError } from "../errors.ts";
import { type ExternalTargetConfig, loadTargetsFile, pickTarget } from "./targets.ts";

const dir = mkdtempSync(join(tmpdir(), "trust-registry-test-"));
let n = 0;
function load(trust: string): ExternalTargetConfig {
  const file = join(dir, `targets-${n++}.yaml`);
  writeFileSync(
    file,
    `targets:
  my-sp:
    partyId: did:ishare:EU.NL.NTRNL-10000003
    version: "2.1"
    baseUrl: https://sp.example.com
    roles: [ServiceProvider]
    client: { partyId: EU.EORI.NL000000001, key: ./k.pem, certificates: ./c.pem }
    trust:
${trust}
`,
  );
  return pickTarget(loadTargetsFile(file), "my-sp") as ExternalTargetConfig;
}

describe("trust.registry in targets.yaml", () => {
  test("names a registry instead of local anchors; paths and version default from the spec and the target", () => {
    const config = load(
      "      registry: { baseUrl: https://registry.example.com/, partyId: EU.EORI.NL000000000 }",
    );
    expect(config.trust).toEqual({
      anchors: [],
      registry: { baseUrl: "https://registry.example.com", partyId: "EU.EORI.NL000000000", endpoints: {} },
    });
    expect(resolveRegistry(config.trust.registry!, config.version)).toEqual({
      baseUrl: "https://registry.example.com",
      partyId: "EU.EORI.NL000000000",
      version: "2.1",
      endpoints: { token: "/connect/token", parties: "/parties", trustedList: "/trusted_list" },
    });
  });

  test("beside anchors, with its own version and endpoints", () => {
    const config = load(`      anchors: ./root.pem
      registry:
        baseUrl: https://registry.example.com
        partyId: EU.EORI.NL000000000
        version: "2.0"
        endpoints: { token: /oauth/token, trustedList: https://lists.example.com/trusted_list }`);
    expect(config.trust.anchors).toEqual([join(dir, "root.pem")]);
    expect(resolveRegistry(config.trust.registry!, config.version)).toMatchObject({
      version: "2.0",
      endpoints: {
        token: "/oauth/token",
        parties: "/parties",
        trustedList: "https://lists.example.com/trusted_list",
      },
    });
  });

  test.each([
    ["an empty trust", "      {}", /targets\.my-sp\.trust: must NOT have fewer than 1 properties/],
    [
      "a registry without partyId",
      "      registry: { baseUrl: https://registry.example.com }",
      /targets\.my-sp\.trust\.registry: missing required key "partyId"/,
    ],
    [
      "a misspelt registry endpoint",
      "      registry: { baseUrl: https://r.example, partyId: X, endpoints: { trusted_list: /tl } }",
      /targets\.my-sp\.trust\.registry\.endpoints: unknown key "trusted_list"/,
    ],
  ])("%s is a ConfigError naming the key", (_name, trust, message) => {
    let caught: unknown;
    try {
      load(trust);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe("CONFIG");
    expect((caught as ConfigError).message).toMatch(message);
  });
});
