/** The OIDC checks on good and bad input: where the flow ended, id_token claims, pseudonyms, userinfo evidence. */
import { describe, expect, test } from "vitest";
import type { LoginFlowRecord } from "../model/oidc.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import type { CheckContext } from "./check.ts";
import {
  jwtClaimDiffers,
  jwtClaimEqualsWhenPresent,
  jwtClaimOneOf,
  oidcNeverReachedReturn,
  oidcReachedReturn,
  oidcStoppedBeforeLogin,
  pseudonymNotDerived,
  userinfoEvidenceEffectIs,
} from "./oidc.ts";

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (payload: Record<string, unknown>): string =>
  `${segment({ alg: "RS256", typ: "JWT", x5c: [] })}.${segment(payload)}.c2ln`;

function withFlow(flow: Partial<LoginFlowRecord>): CheckContext {
  return {
    ...checkContext({}),
    oidc: {
      state: "s1",
      nonce: "n1",
      redirectUri: "http://127.0.0.1:1/openid_connect1.0/return",
      flow: { hops: [], loginPage: true, loggedIn: true, end: "ended", ...flow },
    },
  };
}

const returned = (params: Record<string, string>, path = "/openid_connect1.0/return") => ({
  returned: { url: `http://127.0.0.1:1${path}`, path, params },
});

describe("oidc-reached-return", () => {
  test("passes with a code and the same state at the redirect_uri", async () => {
    expect((await oidcReachedReturn.run(withFlow(returned({ code: "c", state: "s1" })), {})).ok).toBe(true);
  });
  test("fails without the state, and when the flow never got there", async () => {
    const noState = await oidcReachedReturn.run(withFlow(returned({ code: "c" })), {});
    expect(noState).toEqual({
      ok: false,
      message: 'expected state "s1" back at the redirect_uri, saw (absent)',
    });
    const never = await oidcReachedReturn.run(withFlow({ end: "the IdP answered 400" }), {});
    expect(never.message).toContain("the IdP answered 400");
  });
});

describe("oidc-never-reached-return and oidc-stopped-before-login", () => {
  test("pass when an invalid request ends at the IdP's error page", async () => {
    expect((await oidcNeverReachedReturn.run(withFlow({ loginPage: false }), {})).ok).toBe(true);
    expect((await oidcStoppedBeforeLogin.run(withFlow({ loginPage: false }), {})).ok).toBe(true);
  });
  test("fail on a redirect to the redirect_uri (an open redirector) and on a login page", async () => {
    const verdict = await oidcNeverReachedReturn.run(withFlow(returned({ error: "invalid_request" })), {});
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain("an open redirector");
    expect((await oidcStoppedBeforeLogin.run(withFlow({}), {})).ok).toBe(false);
  });
});

describe("id_token claims", () => {
  const token = checkContext({
    body: { id_token: jwt({ sub: "abc-123", acr: "urn:x", azp: "EU.EORI.NL000000001" }) },
  });
  test("jwt-claim-one-of", async () => {
    expect((await jwtClaimOneOf.run(token, { from: "id_token", claim: "acr", values: ["urn:x"] })).ok).toBe(
      true,
    );
    expect((await jwtClaimOneOf.run(token, { from: "id_token", claim: "acr", values: ["urn:y"] })).ok).toBe(
      false,
    );
  });
  test("jwt-claim-differs and jwt-claim-equals-when-present", async () => {
    expect((await jwtClaimDiffers.run(token, { from: "id_token", claim: "sub", value: "other" })).ok).toBe(
      true,
    );
    expect((await jwtClaimDiffers.run(token, { from: "id_token", claim: "sub", value: "abc-123" })).ok).toBe(
      false,
    );
    const azp = { from: "id_token", claim: "azp", value: "{{client.id}}" };
    expect((await jwtClaimEqualsWhenPresent.run(token, azp)).ok).toBe(true);
    expect((await jwtClaimEqualsWhenPresent.run(token, { ...azp, value: "EU.EORI.NL000000002" })).ok).toBe(
      false,
    );
    expect((await jwtClaimEqualsWhenPresent.run(token, { ...azp, claim: "missing" })).ok).toBe(true);
  });
  test("pseudonym-not-derived refuses a sub built from the login name", async () => {
    const target = checkTarget({
      oidc: {
        endpoints: { authorize: "/a", login: "/l", token: "/t", userinfo: "/u" },
        login: { driver: "form", fields: { username: "u", password: "p" }, username: "Alice", password: "x" },
      },
    });
    const random = checkContext({ body: { id_token: jwt({ sub: "9f1c-77" }) } }, { target });
    const derived = checkContext(
      { body: { id_token: jwt({ sub: "alice@EU.EORI.NL000000001" }) } },
      { target },
    );
    expect((await pseudonymNotDerived.run(random, { from: "id_token" })).ok).toBe(true);
    expect((await pseudonymNotDerived.run(derived, { from: "id_token" })).message).toContain(
      'login name "alice"',
    );
  });
});

describe("userinfo-evidence-effect-is", () => {
  const policy = (effect: "Permit" | "Deny") => ({
    target: {
      resource: { type: "ISHARE.PORTAL", identifiers: ["*"], attributes: ["*"] },
      actions: ["iSHARE.READ"],
    },
    rules: [{ effect }],
  });
  const mask = {
    delegationRequest: {
      policyIssuer: "EU.EORI.NL000000004",
      target: { accessSubject: "placeholder" },
      policySets: [{ policies: [policy("Permit")] }],
    },
  };
  const target = checkTarget({
    oidc: {
      endpoints: { authorize: "/a", login: "/l", token: "/t", userinfo: "/u" },
      login: { driver: "form", fields: { username: "u", password: "p" }, username: "a", password: "x" },
      userinfoMasks: { permit: mask, deny: mask },
    },
  });
  const answer = (effect: "Permit" | "Deny") =>
    checkContext(
      {
        body: {
          userinfo_token: jwt({
            delegationEvidence: {
              notBefore: 0,
              notOnOrAfter: 4_000_000_000,
              policyIssuer: "EU.EORI.NL000000004",
              target: { accessSubject: "pseudo-1" },
              policySets: [{ policies: [policy(effect)] }],
            },
          }),
        },
      },
      { target },
    );
  test("judges the evidence for the pseudonym against the mask", async () => {
    const params = { from: "userinfo_token", mask: "permit", effect: "Permit" } as const;
    expect((await userinfoEvidenceEffectIs.run(answer("Permit"), params)).ok).toBe(true);
    const denied = await userinfoEvidenceEffectIs.run(answer("Deny"), params);
    expect(denied.ok).toBe(false);
    expect(denied.message).toContain("expected Permit for the userinfo permit mask, saw Deny");
  });
});
