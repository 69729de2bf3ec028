import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadMaskFile, loadPolicyRequestFile } from "./delegation-masks.ts";

const dir = mkdtempSync(join(tmpdir(), "masks-"));
const CLIENT = "EU.EORI.NL000000001";
const AT = "targets.my-ar.delegation.permitMask";
const mask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: CLIENT },
    policySets: [
      {
        policies: [
          {
            target: {
              resource: { type: "CONTAINER.DATA", identifiers: ["ID.12345"], attributes: ["CONTAINER.ETA"] },
              actions: ["iSHARE.READ"],
              environment: { serviceProviders: ["EU.EORI.NL000000003"] },
            },
            rules: [{ effect: "Permit" }],
          },
        ],
      },
    ],
  },
};

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadMaskFile", () => {
  it("loads a valid mask about the client", () => {
    expect(loadMaskFile(write("permit.json", JSON.stringify(mask)), AT, CLIENT)).toEqual(mask);
  });

  it("names the file and the targets.yaml key when the file is missing or not JSON", () => {
    const missing = configError(() => loadMaskFile(join(dir, "nope.json"), AT, CLIENT));
    expect([missing.code, missing.message]).toEqual([
      "CONFIG",
      `${join(dir, "nope.json")} (${AT}): cannot read the mask (file not found); check the path`,
    ]);
    const file = write("broken.json", "{ delegationRequest: ");
    expect(configError(() => loadMaskFile(file, AT, CLIENT)).message).toMatch(
      new RegExp(`^${file} \\(${AT.replaceAll(".", "\\.")}\\): the mask is not JSON \\(`),
    );
  });

  it("names the key path inside the mask that is wrong", () => {
    const bad = structuredClone(mask);
    const policy = bad.delegationRequest.policySets[0]!.policies[0]!;
    policy.rules = [{ effect: "Deny" }];
    const file = write("deny-only.json", JSON.stringify(bad));
    expect(configError(() => loadMaskFile(file, AT, CLIENT)).message).toBe(
      `${file} (${AT}): not a valid delegation mask: delegationRequest.policySets[0].policies[0].rules: ` +
        'must hold a rule with effect "Permit" (Delegation mask: https://dev.ishare.eu/version-2.0.1/reference/delegation-mask)',
    );
  });

  it("refuses a mask about another access subject, saying what to change", () => {
    const file = write("other.json", JSON.stringify(mask));
    expect(configError(() => loadMaskFile(file, AT, "EU.EORI.NL000000002")).message).toBe(
      `${file} (${AT}): delegationRequest.target.accessSubject is "${CLIENT}", but the harness asks as the client ` +
        "EU.EORI.NL000000002; make the mask's accessSubject the client's party id (or change client.partyId)",
    );
  });
});

describe("loadPolicyRequestFile", () => {
  const AT_POLICY = "targets.my-ar.delegation.policyRequest";
  const request = { ...mask.delegationRequest, policyRequestor: CLIENT, notBefore: 1, notOnOrAfter: 2 };

  it("returns the delegationPolicyRequest as given", () => {
    const file = write("policy-ok.json", JSON.stringify(request));
    expect(loadPolicyRequestFile(file, AT_POLICY)).toEqual(request);
  });

  it("names the file, the key and each missing member", () => {
    const file = write("policy-bad.json", JSON.stringify({ policySets: [] }));
    const error = configError(() => loadPolicyRequestFile(file, AT_POLICY));
    expect(error.code).toBe("CONFIG");
    expect(error.message).toBe(
      `${file} (${AT_POLICY}): not a delegationPolicyRequest: policyIssuer must be a string; ` +
        "target.accessSubject must be a string; policySets must be a non-empty array (iSHARE OpenAPI, delegationPolicyRequest)",
    );
  });

  it("refuses a file that is not JSON", () => {
    const file = write("policy-text.json", "not json");
    const error = configError(() => loadPolicyRequestFile(file, AT_POLICY));
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain(`${file} (${AT_POLICY}): `);
    expect(error.message).toContain("give a JSON delegationPolicyRequest object");
  });
});
