import { beforeAll, describe, expect, test } from "vitest";
import { signCompactJws } from "../assertions/index.ts";
import { generateTestPki, type TestPki, toBase64Der } from "../pki/index.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import {
  jwtAlgAllowed,
  jwtClaimAbsent,
  jwtClaimEquals,
  jwtClaimPresent,
  jwtHeaderMembers,
  jwtLifetimeIs30s,
  jwtSignedByX5cLeaf,
  jwtTimeValid,
  jwtTypIsJwt,
  x5cChainsToTrustedRoot,
} from "./jwt.ts";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
const NOW = NOW_MS / 1000;
const from = { from: "capabilities_token" };
let pki: TestPki;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW_MS) });
});

/** A response carrying a JWT signed by the reference party, with header/payload changes. */
function respond(
  change: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: "other" } = {},
  target = checkTarget({ anchors: [pki.root.certificate] }),
) {
  const party = pki.parties.reference;
  const header = { alg: "RS256", typ: "JWT", x5c: party.chain.map(toBase64Der), ...change.header };
  const payload = {
    iss: party.partyId,
    sub: party.partyId,
    jti: "j-1",
    iat: NOW,
    exp: NOW + 30,
    ...change.payload,
  };
  const key = change.key === "other" ? pki.parties.client.privateKey : party.privateKey;
  const jwt = signCompactJws(header, payload, key, String(header.alg));
  return checkContext({ body: { capabilities_token: jwt } }, { target, nowMs: NOW_MS });
}

describe("jwt header checks", () => {
  test("jwt-header-members accepts alg/typ/x5c and names any other member", async () => {
    expect(await jwtHeaderMembers.run(respond(), from)).toMatchObject({ ok: true });
    expect(await jwtHeaderMembers.run(respond({ header: { kid: "k1" } }), from)).toEqual({
      ok: false,
      message: "expected only alg, typ, x5c in the header of body.capabilities_token, saw also kid",
    });
  });
  test("jwt-typ-is-jwt", async () => {
    expect(await jwtTypIsJwt.run(respond(), from)).toMatchObject({ ok: true });
    expect(await jwtTypIsJwt.run(respond({ header: { typ: "at+jwt" } }), from)).toMatchObject({ ok: false });
  });
  test("jwt-alg-allowed follows the target's version", async () => {
    const v20 = checkTarget({ anchors: [pki.root.certificate] });
    const v21 = checkTarget({ anchors: [pki.root.certificate], version: "2.1" });
    expect(await jwtAlgAllowed.run(respond({ header: { alg: "RS512" } }, v21), from)).toMatchObject({
      ok: true,
    });
    expect(await jwtAlgAllowed.run(respond({ header: { alg: "RS512" } }, v20), from)).toEqual({
      ok: false,
      message: 'expected header alg RS256 (iSHARE 2.0) in body.capabilities_token, saw "RS512"',
    });
  });
  test("a missing or undecodable JWT fails every JWT check with the reason", async () => {
    const context = checkContext({ body: { capabilities_token: "not.a.jwt" } });
    expect(await jwtTypIsJwt.run(context, from)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^expected a signed JWT at body\.capabilities_token: /),
    });
    expect(await jwtTypIsJwt.run(checkContext({ body: {} }), from)).toMatchObject({ ok: false });
  });
});

describe("signature and chain", () => {
  test("jwt-signed-by-x5c-leaf verifies with x5c[0] and rejects another signer", async () => {
    expect(await jwtSignedByX5cLeaf.run(respond(), from)).toMatchObject({ ok: true });
    const verdict = await jwtSignedByX5cLeaf.run(respond({ key: "other" }), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(
      /^expected body\.capabilities_token signed by x5c\[0\] \(.*iSHARE Conformance Reference.*\): /,
    );
  });
  test("x5c-chains-to-trusted-root accepts the PKI chain, rejects a reversed one and an unknown root", async () => {
    expect(await x5cChainsToTrustedRoot.run(respond(), from)).toMatchObject({ ok: true });
    const reversed = pki.parties.reference.chain.map(toBase64Der).reverse();
    expect(await x5cChainsToTrustedRoot.run(respond({ header: { x5c: reversed } }), from)).toMatchObject({
      ok: false,
    });
    const untrusting = checkTarget({ anchors: [pki.parties.client.chain[0]!] });
    const verdict = await x5cChainsToTrustedRoot.run(respond({}, untrusting), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/to lead to a trusted root/);
  });
});

describe("claims and lifetime", () => {
  test("jwt-lifetime-is-30s", async () => {
    expect(await jwtLifetimeIs30s.run(respond(), from)).toMatchObject({ ok: true });
    expect(await jwtLifetimeIs30s.run(respond({ payload: { exp: NOW + 3600 } }), from)).toEqual({
      ok: false,
      message: `expected exp - iat = 30 s in body.capabilities_token, saw 3600 s (iat ${NOW}, exp ${NOW + 3600})`,
    });
    const ms = { payload: { iat: NOW_MS, exp: NOW_MS + 30 } };
    expect(await jwtLifetimeIs30s.run(respond(ms), from)).toMatchObject({
      ok: false,
      message: expect.stringContaining("milliseconds"),
    });
  });
  test("jwt-time-valid rejects expired, future iat and future nbf", async () => {
    expect(await jwtTimeValid.run(respond(), from)).toMatchObject({ ok: true });
    expect(
      await jwtTimeValid.run(respond({ payload: { iat: NOW - 100, exp: NOW - 70 } }), from),
    ).toMatchObject({ ok: false });
    expect(
      await jwtTimeValid.run(respond({ payload: { iat: NOW + 60, exp: NOW + 90 } }), from),
    ).toMatchObject({ ok: false });
    expect(await jwtTimeValid.run(respond({ payload: { nbf: NOW + 60 } }), from)).toMatchObject({
      ok: false,
    });
  });
  test("claim equals (with placeholders), present and absent", async () => {
    const context = respond({ payload: { aud: "EU.EORI.NL000000001" } });
    expect(
      await jwtClaimEquals.run(context, { ...from, claim: "iss", value: "{{target.id}}" }),
    ).toMatchObject({ ok: true });
    expect(await jwtClaimEquals.run(context, { ...from, claim: "aud", value: "{{target.id}}" })).toEqual({
      ok: false,
      message:
        'expected claim aud = "EU.EORI.NL000000004" in body.capabilities_token, saw "EU.EORI.NL000000001"',
    });
    expect(await jwtClaimPresent.run(context, { ...from, claim: "jti" })).toMatchObject({ ok: true });
    expect(
      await jwtClaimPresent.run(respond({ payload: { jti: undefined } }), { ...from, claim: "jti" }),
    ).toMatchObject({ ok: false });
    expect(await jwtClaimAbsent.run(context, { ...from, claim: "aud" })).toMatchObject({ ok: false });
    expect(await jwtClaimAbsent.run(respond(), { ...from, claim: "aud" })).toMatchObject({ ok: true });
  });
});

describe("verdicts at the edges (mutation testing)", () => {
  const where = "body.capabilities_token";
  test("no x5c: the signature and chain checks say so instead of failing on a missing chain", async () => {
    const noX5c = respond({ header: { x5c: undefined } });
    expect(await jwtSignedByX5cLeaf.run(noX5c, from)).toEqual({
      ok: false,
      message: `expected x5c with the signing certificate in ${where}: the JWS header has no x5c certificate chain`,
    });
    expect(await x5cChainsToTrustedRoot.run(noX5c, from)).toEqual({
      ok: false,
      message: `expected an x5c chain in ${where}: the JWS header has no x5c certificate chain`,
    });
  });
  test("jwt-lifetime-is-30s: iat or exp missing, fractional or a numeric string", async () => {
    expect(await jwtLifetimeIs30s.run(respond({ payload: { iat: undefined } }), from)).toEqual({
      ok: false,
      message: `expected integer iat and exp in ${where}, saw iat (absent), exp ${NOW + 30}`,
    });
    expect(await jwtLifetimeIs30s.run(respond({ payload: { exp: undefined } }), from)).toEqual({
      ok: false,
      message: `expected integer iat and exp in ${where}, saw iat ${NOW}, exp (absent)`,
    });
    expect(
      await jwtLifetimeIs30s.run(respond({ payload: { iat: NOW + 0.5, exp: NOW + 30.5 } }), from),
    ).toEqual({
      ok: false,
      message: `expected integer iat and exp in ${where}, saw iat ${NOW + 0.5}, exp ${NOW + 30.5}`,
    });
    expect(await jwtLifetimeIs30s.run(respond({ payload: { iat: String(NOW) } }), from)).toEqual({
      ok: false,
      message: `expected integer iat and exp in ${where}, saw iat "${NOW}", exp ${NOW + 30}`,
    });
  });
  test("jwt-lifetime-is-30s: iat 10^11 is still read as seconds, one more as milliseconds", async () => {
    const limit = 100_000_000_000;
    expect(
      await jwtLifetimeIs30s.run(respond({ payload: { iat: limit, exp: limit + 30 } }), from),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await jwtLifetimeIs30s.run(respond({ payload: { iat: limit + 1, exp: limit + 31 } }), from),
    ).toEqual({
      ok: false,
      message: `expected iat in seconds in ${where}, saw ${limit + 1} (milliseconds?)`,
    });
  });
  test("jwt-time-valid: iat or exp missing or not an integer", async () => {
    expect(await jwtTimeValid.run(respond({ payload: { iat: undefined } }), from)).toEqual({
      ok: false,
      message: `expected integer iat in ${where}, saw (absent)`,
    });
    expect(await jwtTimeValid.run(respond({ payload: { exp: String(NOW + 30) } }), from)).toEqual({
      ok: false,
      message: `expected integer exp in ${where}, saw "${NOW + 30}"`,
    });
  });
  test("jwt-time-valid: 5 s of clock skew, no more, for iat, exp and nbf", async () => {
    const run = (payload: Record<string, unknown>) => jwtTimeValid.run(respond({ payload }), from);
    expect(await run({ iat: NOW + 5, exp: NOW + 35 })).toMatchObject({ ok: true });
    expect(await run({ iat: NOW + 6, exp: NOW + 36 })).toEqual({
      ok: false,
      message: `expected iat not in the future in ${where}, saw iat ${NOW + 6} > now ${NOW}`,
    });
    expect(await run({ iat: NOW - 30, exp: NOW - 4 })).toMatchObject({ ok: true });
    expect(await run({ iat: NOW - 30, exp: NOW + 1 })).toMatchObject({ ok: true });
    expect(await run({ iat: NOW - 30, exp: NOW - 5 })).toEqual({
      ok: false,
      message: `expected ${where} not expired, saw exp ${NOW - 5} <= now ${NOW}`,
    });
    expect(await run({ nbf: NOW })).toMatchObject({ ok: true });
    expect(await run({ nbf: NOW + 5 })).toMatchObject({ ok: true });
    expect(await run({ nbf: NOW + 6 })).toEqual({
      ok: false,
      message: `expected nbf not in the future in ${where}, saw nbf ${NOW + 6} (now ${NOW})`,
    });
    expect(await run({ nbf: String(NOW) })).toEqual({
      ok: false,
      message: `expected nbf not in the future in ${where}, saw nbf "${NOW}" (now ${NOW})`,
    });
  });
  test("claims: a top-level name with a dot, a dotted path, a non-string expected value", async () => {
    const context = respond({
      payload: { "a.b": "top", a: { b: "nested" }, capabilities_info: { party_id: "P1" } },
    });
    const equals = (claim: string, value: unknown) => jwtClaimEquals.run(context, { ...from, claim, value });
    expect(await equals("a.b", "top")).toMatchObject({ ok: true });
    expect(await equals("capabilities_info.party_id", "P1")).toMatchObject({ ok: true });
    expect(await jwtClaimAbsent.run(context, { ...from, claim: "capabilities_info.party_id" })).toEqual({
      ok: false,
      message: `expected no claim capabilities_info.party_id in ${where}, saw "P1"`,
    });
    expect(await equals("exp", NOW + 30)).toMatchObject({ ok: true });
    expect(await equals("exp", NOW + 31)).toEqual({
      ok: false,
      message: `expected claim exp = ${NOW + 31} in ${where}, saw ${NOW + 30}`,
    });
  });
  test("jwt-claim-present: null and the empty string are not present", async () => {
    const present = (jti: unknown) =>
      jwtClaimPresent.run(respond({ payload: { jti } }), { ...from, claim: "jti" });
    expect(await present(null)).toEqual({ ok: false, message: `expected claim jti in ${where}, saw null` });
    expect(await present("")).toEqual({ ok: false, message: `expected claim jti in ${where}, saw ""` });
    expect(await present(0)).toMatchObject({ ok: true });
  });
});
