import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateMint, createClientAssertion } from "../assertions/index.ts";
import { type DelegationEvidence, type DelegationMask, evaluate } from "../delegation/index.ts";
import { verifyJwsWithCertificate, x5cCertificates } from "../jwt/index.ts";
import type { IshareVersion } from "../model/target.ts";
import {
  generateTestPki,
  issuerMaterial,
  type TestPartyRole,
  type TestPki,
  verifyChain,
} from "../pki/index.ts";
import { TEST_POLICY } from "./delegation-policies.ts";
import { callToken, type Reply, send } from "./http-calls.fixture.ts";
import { type ReferenceTarget, startReferenceTarget } from "./index.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const now = () => NOW;
let pki: TestPki;
const targets = new Map<IshareVersion, ReferenceTarget>();

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  for (const version of ["2.0", "2.1", "3.0"] as const) {
    targets.set(version, await startReferenceTarget({ pki, version, now }));
  }
});
afterAll(() => Promise.all([...targets.values()].map((target) => target.close())));

const target = (version: IshareVersion) => targets.get(version)!;

async function tokenFor(version: IshareVersion, as: TestPartyRole = "client"): Promise<string> {
  const env = {
    baseUrl: target(version).baseUrl,
    audience: target(version).partyId,
    pki,
    mint: new CertificateMint(issuerMaterial(pki), now),
    now,
  };
  return String((await callToken(env, { as })).json?.["access_token"]);
}

async function delegate(version: IshareVersion, body: unknown, as: TestPartyRole = "client"): Promise<Reply> {
  return send(
    `${target(version).baseUrl}/delegation`,
    "POST",
    { authorization: `Bearer ${await tokenFor(version, as)}`, "content-type": "application/json" },
    JSON.stringify(body),
  );
}

/** The assertion the client gives a service provider to forward (aud = the service provider). */
async function clientAssertionFor(audience: string, signer: TestPartyRole = "client"): Promise<string> {
  const mint = new CertificateMint(issuerMaterial(pki), now);
  return (await createClientAssertion({ identity: pki.parties[signer], audience, nowMs: NOW, mint })).jwt;
}

/** Verifies the delegation token (signature, chain to the test root) and returns its payload. */
async function payloadOf(token: unknown): Promise<Record<string, unknown>> {
  const [header, payload] = String(token)
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>);
  const x5c = x5cCertificates(header!);
  if (!x5c.ok) throw new Error(x5c.message);
  expect(await verifyJwsWithCertificate(String(token), x5c.certs[0]!, ["RS256"])).toEqual({ ok: true });
  expect((await verifyChain(x5c.certs, [pki.root.certificate], new Date(NOW))).ok).toBe(true);
  return payload!;
}

const masks = () => target("2.0").delegationMasks;

describe("reference Authorisation Registry: answers from its policy store", () => {
  it("gives the access subject signed evidence echoing the Permit mask with a single Permit rule", async () => {
    const reply = await delegate("2.0", masks().permit);
    expect(reply.status).toBe(200);
    const payload = await payloadOf(reply.json?.["delegation_token"]);
    const iat = Math.floor(NOW / 1000);
    expect(payload).toMatchObject({
      iss: "EU.EORI.NL000000004",
      sub: "EU.EORI.NL000000001",
      aud: "EU.EORI.NL000000001",
      iat,
      exp: iat + 30,
    });
    const evidence = payload["delegationEvidence"] as DelegationEvidence;
    const asked = masks().permit.delegationRequest;
    expect(evidence).toEqual({
      notBefore: iat,
      notOnOrAfter: iat + 3600,
      policyIssuer: asked.policyIssuer,
      target: asked.target,
      policySets: [
        {
          maxDelegationDepth: 0,
          target: { environment: { licenses: [TEST_POLICY.license] } },
          policies: [{ target: asked.policySets[0]!.policies[0]!.target, rules: [{ effect: "Permit" }] }],
        },
      ],
    });
  });

  it("answers each policy of a mask: the weight attribute is taken out by the policy's Deny rule", async () => {
    const permit = masks().permit.delegationRequest.policySets[0]!.policies[0]!;
    const deny = masks().deny.delegationRequest.policySets[0]!.policies[0]!;
    const both: DelegationMask = {
      delegationRequest: { ...masks().permit.delegationRequest, policySets: [{ policies: [permit, deny] }] },
    };
    const reply = await delegate("2.0", both);
    const evidence = (await payloadOf(reply.json?.["delegation_token"]))[
      "delegationEvidence"
    ] as DelegationEvidence;
    expect(evidence.policySets[0]?.policies.map((policy) => policy.rules)).toEqual([
      [{ effect: "Permit" }],
      [{ effect: "Deny" }],
    ]);
    expect(evaluate(evidence, both).policies.map((policy) => policy.effect)).toEqual(["Permit", "Deny"]);
  });

  it("answers the policy issuer too, addressed to it", async () => {
    const reply = await delegate("2.0", masks().permit, "entitledParty");
    expect((await payloadOf(reply.json?.["delegation_token"]))["aud"]).toBe("EU.EORI.NL000000005");
  });

  it("answers 404 for a pair it holds no policy for", async () => {
    const other = {
      delegationRequest: { ...masks().permit.delegationRequest, policyIssuer: "EU.EORI.NL000000003" },
    };
    const reply = await delegate("2.0", other);
    expect([reply.status, reply.json?.["error"]]).toEqual([404, "not_found"]);
  });

  it("refuses GET with 405", async () => {
    const reply = await send(`${target("2.0").baseUrl}/delegation`, "GET");
    expect([reply.status, reply.headers["allow"]]).toEqual([405, "POST"]);
  });
});

describe("reference Authorisation Registry: previous_steps", () => {
  const sp = "EU.EORI.NL000000003";

  it("2.1 reads them inside delegationRequest only", async () => {
    const step = await clientAssertionFor(sp);
    const inside = {
      delegationRequest: { ...masks().permit.delegationRequest, previous_steps: [step] },
    };
    expect((await delegate("2.1", inside, "serviceProvider")).status).toBe(200);
    const root = { ...masks().permit, previous_steps: [await clientAssertionFor(sp)] };
    const refused = await delegate("2.1", root, "serviceProvider");
    expect([refused.status, refused.json?.["error"]]).toEqual([403, "access_denied"]);
  });

  it("3.0 reads previousSteps at the root (OpenAPI 3.0 delegationRequestBody) and answers delegationToken", async () => {
    const body = { ...masks().permit, previousSteps: [await clientAssertionFor(sp)] };
    const reply = await delegate("3.0", body, "serviceProvider");
    expect(reply.status).toBe(200);
    expect(reply.json).not.toHaveProperty("delegation_token");
    expect((await payloadOf(reply.json?.["delegationToken"]))["aud"]).toBe(sp);
    const inside = {
      delegationRequest: {
        ...masks().permit.delegationRequest,
        previousSteps: [await clientAssertionFor(sp)],
      },
    };
    const refused = await delegate("3.0", inside, "serviceProvider");
    expect([refused.status, refused.json?.["error"]]).toEqual([403, "access_denied"]);
  });

  it("refuses an assertion that is not the access subject's, and accepts a forwarded one more than once", async () => {
    const own = { ...masks().permit, previous_steps: [await clientAssertionFor(sp, "serviceProvider")] };
    const refused = await delegate("2.0", own, "serviceProvider");
    expect([refused.status, refused.json?.["error_description"]]).toEqual([
      400,
      `previous_steps[0] iss/sub are "${sp}"/"${sp}", not the access subject EU.EORI.NL000000001`,
    ]);
    const forwarded = { ...masks().permit, previous_steps: [await clientAssertionFor(sp)] };
    expect((await delegate("2.0", forwarded, "serviceProvider")).status).toBe(200);
    expect((await delegate("2.0", forwarded, "serviceProvider")).status).toBe(200);
  });

  it("refuses steps that are not JWTs", async () => {
    const reply = await delegate(
      "2.0",
      { ...masks().permit, previous_steps: ["not-a-jwt"] },
      "serviceProvider",
    );
    expect([reply.status, reply.json?.["error"]]).toEqual([400, "previous_steps_validation_error"]);
  });
});
