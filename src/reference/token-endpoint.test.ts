import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateMint, createClientAssertion, signCompactJws } from "../assertions/index.ts";
import { generateTestPki, issuerMaterial, type TestPki, toBase64Der } from "../pki/index.ts";
import { type CaseEnvironment, callToken, isTokenResponse, send } from "./http-calls.fixture.ts";
import { type ReferenceTarget, startReferenceTarget } from "./index.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const now = () => NOW;

let pki: TestPki;
let target: ReferenceTarget;
let env: CaseEnvironment;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  target = await startReferenceTarget({ pki, now });
  env = {
    baseUrl: target.baseUrl,
    audience: target.partyId,
    pki,
    mint: new CertificateMint(issuerMaterial(pki), now),
    now,
  };
});
afterAll(() => target.close());

function expectInvalidClient(reply: Awaited<ReturnType<typeof callToken>>, why: RegExp): void {
  expect(reply.status).toBe(400);
  expect(reply.json?.["error"]).toBe("invalid_client");
  expect(String(reply.json?.["error_description"])).toMatch(why);
  expect(reply.headers["cache-control"]).toBe("no-store");
  expect(reply.headers["pragma"]).toBe("no-cache");
}

describe("reference target: token endpoint, conformant", () => {
  it("listens on loopback and describes itself", () => {
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(target.partyId).toBe("EU.EORI.NL000000004");
    expect(target.endpoints).toEqual({
      token: "/connect/token",
      capabilities: "/capabilities",
      delegation: "/delegation",
      parties: "/parties",
      trustedList: "/trusted_list",
      versions: "/versions",
      dataspaces: "/dataspaces",
      partyCreation: "/ep_creation",
    });
  });

  it("issues an opaque, non-cacheable bearer token for a valid request", async () => {
    const reply = await callToken(env);
    expect(isTokenResponse(reply)).toBe(true);
    expect(reply.json).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 });
    expect(Buffer.from(String(reply.json?.["access_token"]), "base64url").length).toBeGreaterThanOrEqual(32);
  });

  it("refuses an expired assertion", async () => {
    expectInvalidClient(await callToken(env, { defects: ["expired"] }), /expired 90 s ago/);
  });

  it("refuses an assertion for another audience", async () => {
    expectInvalidClient(
      await callToken(env, { defects: ["wrong-aud"] }),
      /aud is "EU\.EORI\.NL999999999", not EU\.EORI\.NL000000004/,
    );
  });

  it("refuses a party its registry does not know", async () => {
    expectInvalidClient(await callToken(env, { as: "unregistered" }), /unknown party EU\.EORI\.NL000000099/);
  });

  it("refuses a registered party whose adherence is not Active", async () => {
    expectInvalidClient(await callToken(env, { as: "notActive" }), /adherence status NotActive/);
  });

  it("accepts an assertion once and refuses its replay", async () => {
    const { jwt } = await createClientAssertion({
      identity: pki.parties.client,
      audience: target.partyId,
      nowMs: NOW,
      mint: env.mint,
    });
    expect((await callToken(env, { assertion: jwt })).status).toBe(200);
    expectInvalidClient(await callToken(env, { assertion: jwt }), /jti .* was already used/);
  });

  it("lets only one of two concurrent uses of an assertion through", async () => {
    const { jwt } = await createClientAssertion({
      identity: pki.parties.client,
      audience: target.partyId,
      nowMs: NOW,
      mint: env.mint,
    });
    const replies = await Promise.all([1, 2, 3, 4].map(() => callToken(env, { assertion: jwt })));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 400, 400, 400]);
  });

  it("refuses certificates from the trusted CA that are not registered for the party", async () => {
    expectInvalidClient(
      await callToken(env, { defects: ["unregistered-certificate"] }),
      /signing certificate is not registered for EU\.EORI\.NL000000001/,
    );
  });

  it("refuses incomplete, reversed and untrusted chains", async () => {
    expectInvalidClient(await callToken(env, { defects: ["leaf-only-chain"] }), /\(untrusted\)/);
    expectInvalidClient(await callToken(env, { defects: ["reversed-chain"] }), /\(order\)/);
    expectInvalidClient(await callToken(env, { defects: ["untrusted-root"] }), /\(untrusted\)/);
  });

  it("refuses alg none, HS256 key confusion and RS384 on a 2.0 target", async () => {
    expectInvalidClient(
      await callToken(env, { defects: ["alg-none"] }),
      /alg "none" is not allowed on version 2\.0/,
    );
    expectInvalidClient(await callToken(env, { defects: ["alg-hs256"] }), /alg "HS256" is not allowed/);
    expectInvalidClient(await callToken(env, { defects: ["alg-rs384"] }), /alg "RS384" is not allowed/);
  });

  it("refuses millisecond timestamps", async () => {
    expectInvalidClient(
      await callToken(env, { defects: ["millisecond-timestamps"] }),
      /looks like milliseconds/,
    );
  });

  it("refuses a signature by a key other than x5c[0]'s and a payload changed after signing", async () => {
    expectInvalidClient(await callToken(env, { defects: ["wrong-key"] }), /signature does not verify/);
    expectInvalidClient(await callToken(env, { defects: ["tampered-payload"] }), /signature does not verify/);
  });

  it("refuses x5c entries that are not base64 DER", async () => {
    const client = pki.parties.client;
    const payload = {
      iss: client.partyId,
      sub: client.partyId,
      aud: target.partyId,
      jti: "x",
      iat: 1,
      exp: 31,
    };
    const jwt = signCompactJws(
      { alg: "RS256", typ: "JWT", x5c: ["not base64!"] },
      payload,
      client.privateKey,
      "RS256",
    );
    expectInvalidClient(await callToken(env, { assertion: jwt }), /x5c\[0\]: not standard base64/);
    const armoured = signCompactJws(
      {
        alg: "RS256",
        typ: "JWT",
        x5c: client.chain.map((c) => `-----BEGIN CERTIFICATE-----${toBase64Der(c)}`),
      },
      payload,
      client.privateKey,
      "RS256",
    );
    expectInvalidClient(await callToken(env, { assertion: armoured }), /PEM armour/);
  });

  it("answers form errors with the RFC 6749 error codes", async () => {
    const codes = async (call: Parameters<typeof callToken>[1]) => {
      const reply = await callToken(env, call);
      return [reply.status, reply.json?.["error"]];
    };
    expect(await codes({ bodyAs: "json" })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { grant_type: null } })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { grant_type: "password" } })).toEqual([400, "unsupported_grant_type"]);
    expect(await codes({ form: { scope: null } })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { scope: "ishare" } })).toEqual([400, "invalid_scope"]);
    expect(await codes({ form: { scope: "openid iSHARE" } })).toEqual([200, undefined]);
    expect(await codes({ form: { client_id: null } })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { client_assertion_type: "x" } })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { client_assertion: null } })).toEqual([400, "invalid_request"]);
    expect(await codes({ form: { client_assertion: "not-a-jwt" } })).toEqual([400, "invalid_client"]);
    expect(await codes({ form: { client_id: "EU.EORI.NL000000003" } })).toEqual([400, "invalid_client"]);
  });

  it("refuses GET with 405 and Allow: POST", async () => {
    const reply = await callToken(env, { method: "GET", bodyAs: "query" });
    expect(reply.status).toBe(405);
    expect(reply.headers["allow"]).toBe("POST");
    expect(reply.json?.["error"]).toBe("invalid_request");
  });

  it("refuses a repeated form parameter", async () => {
    const reply = await send(
      `${target.baseUrl}/connect/token`,
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      "grant_type=client_credentials&grant_type=client_credentials&scope=iSHARE",
    );
    expect([reply.status, reply.json?.["error_description"]]).toEqual([
      400,
      "parameter grant_type is given more than once",
    ]);
  });
});
