/**
 * The reference Identity Provider over real HTTP: a valid authorization request leads to its HTML login
 * page, an invalid one to its own error page (never the redirect_uri), the login issues a single-use code,
 * the 3.0 IdP opens JWE request objects with its own key and refuses plain ones.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CertificateMint } from "../../assertions/index.ts";
import { buildRequestObject } from "../../engine/oidc/request-object.ts";
import { LOA_URNS } from "../../model/oidc.ts";
import { generateTestPki, issuerMaterial, type TestPki } from "../../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../index.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const now = () => NOW;
const REDIRECT = "http://127.0.0.1:9/openid_connect1.0/return";
const user = { username: "test.user", password: "correct horse" };

let pki: TestPki;
let v20: ReferenceTarget;
let v30: ReferenceTarget;
beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  [v20, v30] = await Promise.all([
    startReferenceTarget({ pki, now, testUser: user }),
    startReferenceTarget({ pki, now, testUser: user, version: "3.0" }),
  ]);
});
afterAll(async () => {
  await Promise.all([v20.close(), v30.close()]);
});

async function requestObject(claims: Record<string, unknown> = {}, encrypt = false): Promise<string> {
  const client = pki.parties.client;
  const built = await buildRequestObject({
    signer: client,
    audience: pki.parties.reference.partyId,
    nowMs: NOW,
    claims: {
      response_type: "code",
      client_id: client.partyId,
      scope: "openid iSHARE",
      redirect_uri: REDIRECT,
      state: "st4te",
      nonce: "n0nce",
      acr_values: LOA_URNS[0],
      ...claims,
    },
    mint: new CertificateMint(issuerMaterial(pki), now),
    ...(encrypt ? { encryptTo: pki.parties.reference.chain[0]! } : {}),
  });
  return built.value;
}

async function authorize(
  target: ReferenceTarget,
  request: string,
  scope = "openid iSHARE",
): Promise<Response> {
  return fetch(`${target.baseUrl}/connect/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      response_type: "code",
      client_id: pki.parties.client.partyId,
      scope,
      request,
    }),
  });
}

describe("reference Identity Provider", () => {
  test("a valid request goes to the login page; the login redirects to the redirect_uri with code and state", async () => {
    const started = await authorize(v20, await requestObject());
    expect(started.status).toBe(302);
    const loginUrl = new URL(started.headers.get("location")!);
    expect(loginUrl.pathname).toBe("/login");
    const page = await (await fetch(loginUrl)).text();
    expect(page).toContain('type="password" name="password"');

    const returnUrl = loginUrl.searchParams.get("returnUrl")!;
    const wrong = await fetch(`${v20.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: user.username, password: "wrong", returnUrl }),
    });
    expect(wrong.status).toBe(401);

    const login = await fetch(`${v20.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...user, returnUrl }),
    });
    expect(login.status).toBe(302);
    const callback = await fetch(login.headers.get("location")!, {
      redirect: "manual",
      headers: { cookie: login.headers.get("set-cookie")!.split(";")[0]! },
    });
    const back = new URL(callback.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("st4te");
    expect(back.searchParams.get("code")?.length).toBeGreaterThan(20);
  });

  test("an invalid request goes to the IdP's own error page, never to the redirect_uri", async () => {
    const tampered = (await requestObject()).replace(/\.[^.]+\./, (payload) => `${payload.slice(0, -2)}A.`);
    for (const response of [
      await authorize(v20, tampered),
      await authorize(v20, await requestObject(), "openid ishare"),
      await authorize(v20, await requestObject({ aud: "EU.EORI.NL999999999" })),
    ]) {
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(`${v20.baseUrl}/error`);
    }
  });

  test("on iSHARE 3.0 the request object must be a JWE for the IdP's key", async () => {
    const plain = await authorize(v30, await requestObject());
    expect(new URL(plain.headers.get("location")!).searchParams.get("reason")).toContain("not encrypted");
    const encrypted = await authorize(v30, await requestObject({}, true));
    expect(new URL(encrypted.headers.get("location")!).pathname).toBe("/login");
  });
});
