/**
 * The delegation suite end to end through the engine: against the built-in reference on iSHARE 3.0 (camelCase
 * names), and against a reference configured as an external target from files (masks, service provider,
 * expired token), the way a user points the harness at a real Authorisation Registry.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareRun } from "../cli/builtin-target.ts";
import type { CaseResult } from "../model/result.ts";
import { generateTestPki, writeTestPki } from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import { runAll } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "delegation-run-"));
let reference: ReferenceTarget;

beforeAll(async () => {
  const pki = await generateTestPki();
  await writeTestPki(pki, join(dir, "pki"));
  reference = await startReferenceTarget({ pki });
  writeFileSync(join(dir, "permit.json"), JSON.stringify(reference.delegationMasks.permit));
  writeFileSync(join(dir, "deny.json"), JSON.stringify(reference.delegationMasks.deny));
});
afterAll(() => reference.close());

function targetsFile(denyAnswer: string, placement?: string): string {
  const file = join(dir, `targets-${denyAnswer}-${placement ?? "documented"}.yaml`);
  writeFileSync(
    file,
    `targets:
  reference-3.0:
    builtin: reference
    version: "3.0"
  external-ar:
    partyId: EU.EORI.NL000000004
    baseUrl: ${reference.baseUrl}
    roles: [AuthorisationRegistry]
    client:
      partyId: EU.EORI.NL000000001
      key: ./pki/client.key.pem
      certificates: ./pki/client.chain.pem
      issuer: { key: ./pki/issuing-ca.key.pem, certificates: ./pki/issuing-ca.pem }
    identities:
      entitledParty: { partyId: EU.EORI.NL000000005, key: ./pki/entitledParty.key.pem, certificates: ./pki/entitledParty.chain.pem }
    trust: { anchors: ./pki/root.pem }
    expiredToken: ${reference.expiredToken}
    delegation:
      permitMask: ./permit.json
      denyMask: ./deny.json
      denyAnswer: ${denyAnswer}${placement ? `\n      previousStepsPlacement: ${placement}` : ""}
      serviceProvider:
        partyId: EU.EORI.NL000000003
        key: ./pki/serviceProvider.key.pem
        certificates: ./pki/serviceProvider.chain.pem
`,
  );
  return file;
}

async function run(targetsFile: string, targetName: string): Promise<CaseResult[]> {
  const prepared = await prepareRun({ targetsFile, targetName, suites: ["delegation"] });
  try {
    return await runAll(prepared);
  } finally {
    await prepared.close();
  }
}

/** Cases neither passed nor skipped as another version's (DELEG-042 is 3.0's). */
const notPassed = (results: readonly CaseResult[]) =>
  results
    .filter(
      (r) => r.status !== "passed" && !(r.status === "skipped" && r.message.startsWith("applies to iSHARE")),
    )
    .map((r) => `${r.id} ${r.status}: ${r.message}`);

describe("delegation suite through the engine", () => {
  it("the built-in reference on iSHARE 3.0 passes every case (previousSteps, delegationToken)", async () => {
    const results = await run(targetsFile("deny"), "reference-3.0");
    expect(notPassed(results)).toEqual([]);
    expect(results).toHaveLength(22);
    const sp = results.find((r) => r.id === "DELEG-021");
    // OpenAPI 3.0 delegationRequestBody: previousSteps beside delegationRequest, not inside it.
    expect(sp?.steps[0]?.request?.body).toMatch(/\},"previousSteps":\["\[redacted sha256:/);
    expect(sp?.steps[0]?.request?.body).not.toMatch(/"delegationRequest":\{[^}]*"previousSteps"/);
  });

  it("an Authorisation Registry configured from files passes every case", async () => {
    expect(notPassed(await run(targetsFile("either"), "external-ar"))).toEqual([]);
  });

  it("previousStepsPlacement decides where the previous steps go (a 2.0 AR reads them at the root only)", async () => {
    const results = await run(targetsFile("deny", "delegationRequest"), "external-ar");
    const sp = results.find((r) => r.id === "DELEG-021");
    const body = JSON.parse(sp?.steps[0]?.request?.body ?? "{}") as Record<string, Record<string, unknown>>;
    expect([sp?.status, body["previous_steps"], body["delegationRequest"]?.["previous_steps"]]).toEqual([
      "failed",
      undefined,
      [expect.stringMatching(/^\[redacted sha256:/)],
    ]);
  });

  it("with denyAnswer not-found, Deny evidence fails DELEG-011 saying what was expected", async () => {
    const results = await run(targetsFile("not-found"), "external-ar");
    expect(notPassed(results)).toEqual([
      "DELEG-011 failed: delegation-denied: expected 404 for the deny mask, saw 200 [rule: Delegation evidence — the mask's issuer and subject, its policies echoed, validity, licenses, https://dev.ishare.eu/version-2.0.1/reference/delegation-evidence#delegation-evidence]",
    ]);
  });
});
