import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateMint } from "../assertions/index.ts";
import type { IshareVersion } from "../model/target.ts";
import { generateTestPki, issuerMaterial, type TestPki } from "../pki/index.ts";
import {
  FAULTS,
  type FaultName,
  type FaultSpec,
  faultNames,
  type ReferenceTarget,
  startReferenceTarget,
} from "./index.ts";
import { type CaseEnvironment, callToken, TOKEN_CASES } from "./token-cases.fixture.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const now = () => NOW;

let pki: TestPki;
/** Hands out the registered defect certificates, as the engine does for the built-in target. */
let mint: CertificateMint;
/** Mints fresh defect certificates the registry does not know. */
let freshMint: CertificateMint;
const running: ReferenceTarget[] = [];

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  mint = new CertificateMint(issuerMaterial(pki), now, pki.registeredVariants);
  freshMint = new CertificateMint(issuerMaterial(pki), now);
});
afterAll(() => Promise.all(running.map((target) => target.close())));

async function start(
  faults: readonly FaultName[],
  version: IshareVersion,
  certificates = mint,
): Promise<CaseEnvironment> {
  const target = await startReferenceTarget({ pki, faults, version, now });
  running.push(target);
  return { baseUrl: target.baseUrl, audience: target.partyId, pki, mint: certificates, now };
}

/** Ids of the token cases that fail against `env` on `version`. */
async function failingCases(env: CaseEnvironment, version: IshareVersion): Promise<string[]> {
  const applicable = Object.entries(TOKEN_CASES).filter(
    ([, c]) => !c.versions || c.versions.includes(version),
  );
  const verdicts = await Promise.all(applicable.map(async ([id, c]) => [id, await c.run(env)] as const));
  return verdicts.filter(([, passed]) => !passed).map(([id]) => id);
}

/** Faults whose behaviour depends on the version's algorithm rules: the only ones re-run on 2.1. */
const ALGORITHM_FAULTS: readonly FaultName[] = ["token.accepts-alg-none", "token.accepts-hs256"];

/** Every fault observable on 2.0; on 2.1 only the version-bound and algorithm faults (keeps the test fast). */
function runsOn(version: IshareVersion, name: FaultName): boolean {
  const spec: FaultSpec = FAULTS[name];
  if (spec.versions) return spec.versions.includes(version);
  return version === "2.0" || ALGORITHM_FAULTS.includes(name);
}

for (const version of ["2.0", "2.1"] as const) {
  describe(`fault matrix, version ${version}: each fault fails exactly its caughtBy cases`, () => {
    it("the conformant target passes every case", async () => {
      expect(await failingCases(await start([], version), version)).toEqual([]);
    });

    // The token cases of the fixture; delegation faults are proven by the engine's fault matrix (src/proof).
    for (const name of faultNames().filter((fault) => fault.startsWith("token.") && runsOn(version, fault))) {
      it(name, async () => {
        const failing = await failingCases(await start([name], version), version);
        expect(failing).toEqual([...FAULTS[name].caughtBy]);
      });
    }
  });
}

describe("why the suite needs what the matrix does", () => {
  it("with unregistered defective certificates, the binding rule would mask the certificate faults", async () => {
    for (const [fault, defect] of [
      ["token.skips-trust-anchor-check", "untrusted-root"],
      ["token.ignores-certificate-validity", "expired-certificate"],
      ["token.accepts-small-keys", "small-key"],
    ] as const) {
      const env = await start([fault], "2.0", freshMint);
      const reply = await callToken(env, { defects: [defect] });
      expect([fault, reply.status, reply.json?.["error_description"]]).toEqual([
        fault,
        400,
        "the signing certificate is not registered for EU.EORI.NL000000001",
      ]);
    }
  });
});
