/**
 * Trust from a registry, end to end: the reference target plays the participant registry (and, in the first
 * case, the target too); external-style targets in a temporary targets.yaml point at loopback servers this
 * test starts. Also: endpoint discovery from capabilities, and the suites against did:ishare parties.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CaseResult } from "../model/result.ts";
import {
  generateTestPki,
  sha256Fingerprint,
  type TestPki,
  untrustedIdentity,
  writeTestPki,
} from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import { prepareRun, runAll, selfTrustNotice } from "./index.ts";

const NOW = Date.now();
const dir = mkdtempSync(join(tmpdir(), "registry-trust-"));
const didDir = join(dir, "did");
const targetsFile = join(dir, "targets.yaml");
const servers: ReferenceTarget[] = [];
let registry: ReferenceTarget;
let untrustedRoot: string;

const DID = {
  reference: "did:ishare:EU.NL.NTRNL-10000004",
  client: "did:ishare:EU.NL.NTRNL-10000001",
  serviceProvider: "did:ishare:EU.NL.NTRNL-10000003",
  entitledParty: "did:ishare:EU.NL.NTRNL-10000005",
  notActive: "did:ishare:EU.NL.NTRNL-10000006",
  unregistered: "did:ishare:EU.NL.NTRNL-10000099",
};

beforeAll(async () => {
  const [pki, didPki]: TestPki[] = await Promise.all([
    generateTestPki({ now: new Date(NOW) }),
    generateTestPki({ now: new Date(NOW), partyIds: DID }),
  ]);
  const stranger = await untrustedIdentity(
    "EU.EORI.NL000000004",
    "Reference under a foreign root",
    new Date(NOW),
  );
  untrustedRoot = sha256Fingerprint(stranger.chain.at(-1)!);
  await Promise.all([writeTestPki(pki!, dir), writeTestPki(didPki!, didDir)]);
  registry = await startReferenceTarget({ pki: pki! });
  const untrusted = await startReferenceTarget({ pki: pki!, signer: stranger });
  const did = await startReferenceTarget({ pki: didPki!, version: "2.1" });
  const forging = await startReferenceTarget({ pki: pki!, faults: ["trusted-list.signed-by-other-key"] });
  const registry30 = await startReferenceTarget({ pki: pki!, version: "3.0" });
  servers.push(registry, untrusted, did, forging, registry30);
  const client =
    "client: { partyId: EU.EORI.NL000000001, key: client.key.pem, certificates: client.chain.pem }";
  const viaRegistry = `trust: { registry: { baseUrl: ${registry.baseUrl}, partyId: EU.EORI.NL000000004 } }`;
  writeFileSync(
    targetsFile,
    `targets:
  via-registry:
    partyId: EU.EORI.NL000000004
    baseUrl: ${registry.baseUrl}
    roles: [AuthorisationRegistry, iShareSatellite]
    ${client}
    ${viaRegistry}
  untrusted-chain:
    partyId: EU.EORI.NL000000004
    baseUrl: ${untrusted.baseUrl}
    roles: [AuthorisationRegistry]
    ${client}
    ${viaRegistry}
  registry-down:
    partyId: EU.EORI.NL000000004
    baseUrl: ${registry.baseUrl}
    roles: [AuthorisationRegistry]
    ${client}
    trust: { registry: { baseUrl: "http://127.0.0.1:9", partyId: EU.EORI.NL000000000 } }
  registry-forged-list:
    partyId: EU.EORI.NL000000004
    baseUrl: ${registry.baseUrl}
    roles: [AuthorisationRegistry]
    ${client}
    trust: { registry: { baseUrl: ${forging.baseUrl}, partyId: EU.EORI.NL000000004 } }
  discovering:
    partyId: EU.EORI.NL000000004
    baseUrl: ${registry.baseUrl}
    roles: [iShareSatellite]
    endpoints: { versions: /v2/versions }
    ${client}
    trust: { anchors: root.pem }
  via-registry-3-0:
    partyId: EU.EORI.NL000000004
    version: "3.0"
    baseUrl: ${registry30.baseUrl}
    roles: [AuthorisationRegistry, iShareSatellite]
    ${client}
    trust: { registry: { baseUrl: ${registry30.baseUrl}, partyId: EU.EORI.NL000000004 } }
  did-registry:
    partyId: ${DID.reference}
    version: "2.1"
    baseUrl: ${did.baseUrl}
    roles: [iShareSatellite]
    client: { partyId: "${DID.client}", key: did/client.key.pem, certificates: did/client.chain.pem }
    trust: { anchors: did/root.pem }
`,
  );
});
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function run(targetName: string, suites: string[]): Promise<CaseResult[]> {
  const prepared = await prepareRun({ targetsFile, targetName, suites });
  try {
    return await runAll(prepared);
  } finally {
    await prepared.close();
  }
}

/** Cases neither passed nor skipped for want of an expired token or the registrar, or for another version. */
const notPassed = (results: readonly CaseResult[]) =>
  results
    .filter(
      (r) =>
        r.status !== "passed" &&
        // Not configured in these targets: an expired token and the registrar that creates parties.
        !(
          r.status === "skipped" &&
          /expiredToken|identities\.registrar|applies to iSHARE .*; the target is configured as version/.test(
            r.message,
          )
        ),
    )
    .map((r) => `${r.id} ${r.status}: ${r.message}`);

describe("trust from a participant registry", () => {
  test("the reference target as its own registry: every capabilities and parties case passes, judged by the trusted list", async () => {
    const results = await run("via-registry", ["capabilities", "parties"]);
    expect(notPassed(results)).toEqual([]);
    const chainCheck = results
      .find((r) => r.id === "CAP-001")!
      .steps[0]!.checks.find((c) => c.check === "x5c-chains-to-trusted-root")!;
    expect(chainCheck.message).toBe(
      `x5c chain ends at CN=iSHARE Conformance Test Root CA, O=iSHARE Conformance Test, C=NL, granted on the trusted list of EU.EORI.NL000000004 at ${registry.baseUrl}`,
    );
    const signer = results
      .find((r) => r.id === "PARTY-003")!
      .steps[0]!.checks.find((c) => c.check === "jwt-signer-registered")!;
    expect(signer.message).toMatch(
      /^x5c\[0\] \(CN=iSHARE Conformance Reference, .*\) is registered for EU\.EORI\.NL000000004 at /,
    );
  });

  test("a target whose chain is not on the trusted list fails the JWT cases, naming the missing fingerprint", async () => {
    const results = await run("untrusted-chain", ["capabilities"]);
    const failed = results.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.id)).toEqual(["CAP-001", "CAP-005"]);
    for (const result of failed) {
      expect(result.message).toMatch(
        /^x5c-chains-to-trusted-root: expected the x5c chain of body\.capabilities_token to lead to a CA on the trusted list of EU\.EORI\.NL000000004 at /,
      );
      expect(result.message).toContain(`has SHA-256 fingerprint ${untrustedRoot}`);
      expect(result.message).toContain("(+1 more failed check(s))"); // jwt-signer-registered: not its registered certificate
    }
    expect(results.filter((r) => r.status === "broken")).toEqual([]);
  });

  test("a registry trusted on its own word (no trust.anchors) is named in the run's notices", async () => {
    const prepared = await prepareRun({ targetsFile, targetName: "via-registry", suites: ["capabilities"] });
    try {
      expect(prepared.notices).toContain(
        selfTrustNotice(`EU.EORI.NL000000004 at ${registry.baseUrl}`, "via-registry"),
      );
    } finally {
      await prepared.close();
    }
  });

  test("a registry that cannot be reached is one notice, the JWT cases are broken with the reason, the others run", async () => {
    const prepared = await prepareRun({ targetsFile, targetName: "registry-down", suites: ["capabilities"] });
    let results: CaseResult[];
    try {
      expect(prepared.notices.filter((notice) => notice.includes("trust.registry"))).toEqual([
        expect.stringMatching(
          /^targets\.registry-down\.trust\.registry \(EU\.EORI\.NL000000000 at http:\/\/127\.0\.0\.1:9\): obtaining an access token there: .*: the cases that judge the target's JWTs are broken/,
        ),
      ]);
      results = await runAll(prepared);
    } finally {
      await prepared.close();
    }
    const broken = results.filter((r) => r.status === "broken");
    expect(broken.map((r) => r.id)).toEqual(["CAP-001", "CAP-005"]);
    const messages = new Set(broken.map((r) => r.message));
    expect(messages.size).toBe(1);
    expect([...messages][0]).toMatch(
      /^trust from the registry could not be established: targets\.registry-down\.trust\.registry \(EU\.EORI\.NL000000000 at http:\/\/127\.0\.0\.1:9\): obtaining an access token there: precondition failed: obtaining an access token for EU\.EORI\.NL000000001: POST http:\/\/127\.0\.0\.1:9\/connect\/token: connection refused \(ECONNREFUSED\)/,
    );
    expect(results.filter((r) => r.status === "failed")).toEqual([]);
  });

  test("a trusted list whose signature does not verify is refused: the JWT cases are broken, not judged", async () => {
    const results = await run("registry-forged-list", ["capabilities"]);
    const broken = results.filter((r) => r.status === "broken");
    expect(broken.map((r) => r.id)).toEqual(["CAP-001", "CAP-005"]);
    expect(broken[0]!.message).toMatch(
      /: trusted_list_token from http:\/\/127\.0\.0\.1:\d+\/trusted_list cannot be trusted: the RS256 signature does not verify with the 2048-bit RSA key of CN=iSHARE Conformance Reference/,
    );
  });
});

describe("endpoint discovery from capabilities", () => {
  test("an endpoint targets.yaml does not name is the documented default (/dataspaces), as advertised; a configured one that differs is reported", async () => {
    const prepared = await prepareRun({ targetsFile, targetName: "discovering", suites: ["parties"] });
    try {
      expect(prepared.target.endpoints).toMatchObject({
        token: "/connect/token",
        dataspaces: "/dataspaces",
        versions: "/v2/versions",
      });
      expect(prepared.notices).toContain(
        `targets.discovering.endpoints.versions is ${registry.baseUrl}/v2/versions, but the target's capabilities advertise ${registry.baseUrl}/versions; using the configured one`,
      );
    } finally {
      await prepared.close();
    }
  });
});

describe("trust from an iSHARE 3.0 participant registry", () => {
  test("/trustedList and the 3.0 party of claims decide: every capabilities and parties case passes", async () => {
    const results = await run("via-registry-3-0", ["capabilities", "parties"]);
    expect(notPassed(results)).toEqual([]);
    const signer = results
      .find((r) => r.id === "PARTY-003")!
      .steps[0]!.checks.find((c) => c.check === "jwt-signer-registered")!;
    expect(signer.message).toMatch(
      /^x5c\[0\] \(CN=iSHARE Conformance Reference, .*\) is registered for EU\.EORI\.NL000000004 at /,
    );
    expect(results.find((r) => r.id === "PARTY-011")!.steps[0]!.request!.url).toMatch(/\/trustedList$/);
  });
});

describe("did:ishare identifiers", () => {
  test("a 2.1 registry whose parties carry did:ishare ids passes the capabilities and parties suites", async () => {
    const results = await run("did-registry", ["capabilities", "parties"]);
    expect(notPassed(results)).toEqual([]);
    const party = results.find((r) => r.id === "PARTY-008")!;
    expect(party.steps[0]!.request!.url).toMatch(/\/parties\/did:ishare:EU\.NL\.NTRNL-10000001$/);
    expect(results.find((r) => r.id === "PARTY-005")!.steps[0]!.request!.url).toMatch(
      /\/parties\?id=did%3Aishare%3AEU\.NL\.NTRNL-10000001$/,
    );
  });
});
