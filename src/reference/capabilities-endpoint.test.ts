import { X509Certificate } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateMint } from "../assertions/index.ts";
import { generateTestPki, issuerMaterial, type TestPki, toBase64Der } from "../pki/index.ts";
import { callToken, send } from "./http-calls.fixture.ts";
import { type ReferenceTarget, startReferenceTarget } from "./index.ts";

let clock = Date.parse("2026-03-01T12:00:00Z");
const now = () => clock;
let pki: TestPki;
let target: ReferenceTarget;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(clock) });
  target = await startReferenceTarget({ pki, now });
});
afterAll(() => target.close());

async function capabilities(authorization?: string) {
  return send(`${target.baseUrl}/capabilities`, "GET", authorization ? { authorization } : {});
}

async function claimsOf(token: string): Promise<Record<string, unknown>> {
  const header = decodeProtectedHeader(token);
  expect(header).toEqual({ alg: "RS256", typ: "JWT", x5c: pki.parties.reference.chain.map(toBase64Der) });
  const leaf = new X509Certificate(Buffer.from(String(header.x5c?.[0]), "base64"));
  const { payload } = await compactVerify(token, leaf.publicKey);
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

describe("reference target: capabilities", () => {
  it("answers anonymously with a signed token without aud, listing the access token endpoint", async () => {
    const reply = await capabilities();
    expect(reply.status).toBe(200);
    expect(reply.headers["cache-control"]).toBe("no-store");
    const claims = await claimsOf(String(reply.json?.["capabilities_token"]));
    const iat = Math.floor(clock / 1000);
    expect(claims).toMatchObject({
      iss: "EU.EORI.NL000000004",
      sub: "EU.EORI.NL000000004",
      iat,
      exp: iat + 30,
    });
    expect(claims).not.toHaveProperty("aud");
    expect(claims["jti"]).toEqual(expect.any(String));
    const info = claims["capabilities_info"] as {
      party_id: string;
      supported_versions: Array<{
        version: string;
        supported_features: Array<{ public: Array<{ feature: string; url: string }> }>;
      }>;
    };
    expect(info.party_id).toBe("EU.EORI.NL000000004");
    const features = info.supported_versions[0]?.supported_features[0]?.public ?? [];
    expect(features.map((f) => [f.feature, f.url])).toEqual([
      ["capabilities", `${target.baseUrl}/capabilities`],
      ["access token", `${target.baseUrl}/connect/token`],
      ["versions", `${target.baseUrl}/versions`],
    ]);
    expect(info.supported_versions[0]?.supported_features[0]).not.toHaveProperty("restricted");
  });

  it("addresses the token to the caller when a valid bearer token is given", async () => {
    const env = {
      baseUrl: target.baseUrl,
      audience: target.partyId,
      pki,
      mint: new CertificateMint(issuerMaterial(pki), now),
      now,
    };
    const token = String((await callToken(env)).json?.["access_token"]);
    const reply = await capabilities(`Bearer ${token}`);
    expect(reply.status).toBe(200);
    const claims = await claimsOf(String(reply.json?.["capabilities_token"]));
    expect(claims["aud"]).toBe("EU.EORI.NL000000001");
    const info = claims["capabilities_info"] as {
      ishare_roles: unknown;
      supported_versions: Array<{ supported_features: Array<{ restricted?: Array<{ feature: string }> }> }>;
    };
    expect(info.ishare_roles).toEqual([{ role: "AuthorisationRegistry" }, { role: "iShareSatellite" }]);
    const restricted = info.supported_versions[0]?.supported_features[0]?.restricted ?? [];
    expect(restricted.map((f) => f.feature)).toEqual(["parties", "trusted list", "dataspaces"]);

    clock += 3600_000;
    try {
      const expired = await capabilities(`Bearer ${token}`);
      expect([expired.status, expired.json?.["error_description"]]).toEqual([
        401,
        "the access token has expired",
      ]);
    } finally {
      clock -= 3600_000;
    }
  });

  it("refuses a malformed Authorization header with 400 and an unknown token with 401", async () => {
    expect((await capabilities("Basic dXNlcjpwYXNz")).status).toBe(400);
    expect((await capabilities("Bearer")).status).toBe(400);
    const unknown = await capabilities("Bearer bm90LWlzc3VlZA");
    expect([unknown.status, unknown.json?.["error"]]).toEqual([401, "invalid_token"]);
    expect(unknown.headers["www-authenticate"]).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe("reference target: 3.0 capabilities (OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0)", () => {
  let v30: ReferenceTarget;
  beforeAll(async () => {
    v30 = await startReferenceTarget({ pki, now, version: "3.0" });
  });
  afterAll(() => v30.close());

  it("answers capabilitiesToken with capabilitiesInfo: publicServices anonymously, restrictedServices with a token", async () => {
    const anonymous = await send(`${v30.baseUrl}/capabilities`, "GET", {});
    const info = (await claimsOf(String(anonymous.json?.["capabilitiesToken"])))["capabilitiesInfo"] as {
      publicServices: Array<Record<string, unknown>>;
      restrictedServices?: unknown;
    };
    expect(info.restrictedServices).toBeUndefined();
    expect(info.publicServices.map((service) => service["identifier"])).toEqual([
      "get-capabilities-token",
      "request-oauth-token",
      "get-frameworks-list-token",
    ]);
    expect(info.publicServices[1]).toMatchObject({
      endpointURL: `${v30.baseUrl}/connect/token`,
      status: "active",
      serviceType: "framework-defined",
      version: { capabilityVersion: "1.0" },
    });
    const mint = new CertificateMint(issuerMaterial(pki), now);
    const token = (await callToken({ baseUrl: v30.baseUrl, audience: v30.partyId, pki, mint, now })).json?.[
      "access_token"
    ];
    const withToken = await send(`${v30.baseUrl}/capabilities`, "GET", { authorization: `Bearer ${token}` });
    const restricted = (await claimsOf(String(withToken.json?.["capabilitiesToken"])))[
      "capabilitiesInfo"
    ] as {
      restrictedServices: Array<Record<string, unknown>>;
    };
    expect(restricted.restrictedServices.map((service) => service["endpointURL"])).toContain(
      `${v30.baseUrl}/trustedList`,
    );
  });

  it("refuses an unknown token with 401 problem details and a Bearer challenge", async () => {
    const reply = await send(`${v30.baseUrl}/capabilities`, "GET", { authorization: "Bearer unknown" });
    expect([reply.status, reply.headers["content-type"], reply.json?.["status"]]).toEqual([
      401,
      "application/problem+json",
      401,
    ]);
    expect(reply.headers["www-authenticate"]).toMatch(/^Bearer error="invalid_token"/);
  });
});
