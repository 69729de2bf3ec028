import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ExternalTargetConfig, loadTargetsFile, pickTarget } from "../config/targets.ts";
import { ConfigError } from "../errors.ts";
import { generateTestPki, writeTestPki } from "../pki/index.ts";
import { resolveExternalTarget } from "./resolve-target.ts";

const dir = mkdtempSync(join(tmpdir(), "resolve-"));
const mask = (action: string) => ({
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [
      {
        policies: [
          {
            target: { resource: { type: "CONTAINER.DATA" }, actions: [action] },
            rules: [{ effect: "Permit" }],
          },
        ],
      },
    ],
  },
});

function targetsFile(extra: string): string {
  const file = join(dir, `targets-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `targets:
  my-ar:
    partyId: EU.EORI.NL000000004
    baseUrl: https://ar.example.com
    roles: [AuthorisationRegistry]
    client: { partyId: EU.EORI.NL000000001, key: ./pki/client.key.pem, certificates: ./pki/client.chain.pem }
    trust: { anchors: ./pki/root.pem }
${extra}`,
  );
  return file;
}

async function resolve(extra: string) {
  const file = loadTargetsFile(targetsFile(extra));
  return resolveExternalTarget(file, pickTarget(file, "my-ar") as ExternalTargetConfig);
}

beforeAll(async () => {
  await writeTestPki(await generateTestPki(), join(dir, "pki"));
  writeFileSync(join(dir, "permit.json"), JSON.stringify(mask("iSHARE.READ")));
  writeFileSync(join(dir, "deny.json"), JSON.stringify(mask("iSHARE.DELETE")));
});

describe("resolveExternalTarget: delegation", () => {
  it("loads both masks, the deny answer, the service provider identity and the expired token", async () => {
    const target = await resolve(`    expiredToken: old-token-value
    delegation:
      permitMask: ./permit.json
      denyMask: ./deny.json
      denyAnswer: either
      serviceProvider: { partyId: EU.EORI.NL000000003, key: ./pki/serviceProvider.key.pem, certificates: ./pki/serviceProvider.chain.pem }
`);
    expect(target.delegation).toEqual({
      masks: { permit: mask("iSHARE.READ"), deny: mask("iSHARE.DELETE") },
      denyAnswer: "either",
    });
    expect(target.identities["serviceProvider"]?.partyId).toBe("EU.EORI.NL000000003");
    expect(target.expiredToken).toBe("old-token-value");
    expect(target.endpoints["delegation"]).toBe("/delegation");
  });

  it("defaults denyAnswer to deny and leaves delegation out when not configured", async () => {
    const target = await resolve("    delegation: { permitMask: ./permit.json, denyMask: ./deny.json }\n");
    expect(target.delegation?.denyAnswer).toBe("deny");
    expect((await resolve("")).delegation).toBeUndefined();
  });

  it("refuses a service provider given twice", async () => {
    const sp =
      "{ partyId: EU.EORI.NL000000003, key: ./pki/serviceProvider.key.pem, certificates: ./pki/serviceProvider.chain.pem }";
    const error = await resolve(`    identities: { serviceProvider: ${sp} }
    delegation: { permitMask: ./permit.json, denyMask: ./deny.json, serviceProvider: ${sp} }
`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /targets\.my-ar\.delegation\.serviceProvider and targets\.my-ar\.identities\.serviceProvider are both set; keep one$/,
    );
  });

  it("names the mask file and key when a mask is missing", async () => {
    const error = await resolve(
      "    delegation: { permitMask: ./permit.json, denyMask: ./missing.json }\n",
    ).catch((e: unknown) => e);
    expect((error as ConfigError).message).toBe(
      `${join(dir, "missing.json")} (targets.my-ar.delegation.denyMask): cannot read the mask (file not found); check the path`,
    );
  });

  it("the schema refuses an unknown denyAnswer", () => {
    expect(() =>
      loadTargetsFile(targetsFile("    delegation: { permitMask: a, denyMask: b, denyAnswer: 404 }\n")),
    ).toThrow(/targets\.my-ar\.delegation\.denyAnswer: must be one of "deny", "not-found", "either"/);
  });
});
