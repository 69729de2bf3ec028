import { createHash, createHmac, createPublicKey, type JsonWebKey, verify } from "node:crypto";
import { compactVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { NotApplicableError } from "../errors.ts";
import {
  certificateFromBase64Der,
  generateTestPki,
  issuerMaterial,
  keyMatchesCertificate,
  leafKeyProblems,
  sha256Thumbprint,
  type TestPki,
  toBase64Der,
  verifyChain,
} from "../pki/index.ts";
import { CertificateMint } from "./certificate-mint.ts";
import { createClientAssertion } from "./client-assertion.ts";
import { ASSERTION_DEFECT_NAMES, type AssertionDefect, CERTIFICATE_DEFECTS } from "./defects.ts";

const NOW_MS = Date.parse("2025-01-15T12:00:00.750Z");
const NOW_S = Math.floor(NOW_MS / 1000);
const AUD = "EU.EORI.NL000000004";
const JTI = "2b0f3c7e-0000-4000-8000-000000000001";

let pki: TestPki;
let mint: CertificateMint;
beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW_MS) });
  // The one variant that cannot be minted from the issuing CA is given ready-made, as targets.yaml would.
  mint = new CertificateMint(issuerMaterial(pki), () => NOW_MS, {
    "expired-intermediate": pki.registeredVariants["expired-intermediate"]!,
  });
});

type Json = Record<string, unknown>;
const segments = (jwt: string) => jwt.split(".") as [string, string, string];
const decode = (segment: string): Json => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

function assertion(defects: AssertionDefect[] = [], extra: { alg?: "RS256" | "RS384" | "RS512" } = {}) {
  return createClientAssertion({
    identity: pki.parties.client,
    audience: AUD,
    nowMs: NOW_MS,
    jti: JTI,
    defects,
    mint,
    ...extra,
  });
}

async function verifiesWithX5c0(jwt: string, alg = "RS256"): Promise<boolean> {
  const header = decode(segments(jwt)[0]);
  const leaf = certificateFromBase64Der((header["x5c"] as string[])[0]!);
  const key = createPublicKey({ key: Buffer.from(leaf.publicKey.rawData), format: "der", type: "spki" });
  return compactVerify(jwt, key, { algorithms: [alg] }).then(
    () => true,
    () => false,
  );
}

describe("a correct client assertion", () => {
  it("has exactly the iSHARE header and payload", async () => {
    const a = await assertion();
    const [h, p] = segments(a.jwt);
    expect(decode(h)).toEqual({ alg: "RS256", typ: "JWT", x5c: pki.parties.client.chain.map(toBase64Der) });
    expect(decode(p)).toEqual({
      iss: "EU.EORI.NL000000001",
      sub: "EU.EORI.NL000000001",
      aud: AUD,
      jti: JTI,
      iat: NOW_S,
      nbf: NOW_S,
      exp: NOW_S + 30,
    });
    expect(a.header).toEqual(decode(h));
    expect(a.payload).toEqual(decode(p));
    expect(a.jti).toBe(JTI);
  });

  it("verifies with jose using the key of x5c[0]", async () => {
    expect(await verifiesWithX5c0((await assertion()).jwt)).toBe(true);
  });

  it("uses a fresh random jti each time unless one is given", async () => {
    const base = { identity: pki.parties.client, audience: AUD, nowMs: NOW_MS, mint };
    const [a, b] = await Promise.all([createClientAssertion(base), createClientAssertion(base)]);
    expect(a.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.jti).not.toBe(b.jti);
    expect(a.payload["jti"]).toBe(a.jti);
  });

  it("takes sub, alg and extra claims from the caller", async () => {
    const a = await createClientAssertion({
      identity: pki.parties.client,
      audience: AUD,
      nowMs: NOW_MS,
      mint,
      alg: "RS512",
      subject: "EU.EORI.NL000000003",
      claims: { scope: "iSHARE" },
    });
    expect(a.header["alg"]).toBe("RS512");
    expect(a.payload).toMatchObject({
      iss: "EU.EORI.NL000000001",
      sub: "EU.EORI.NL000000003",
      scope: "iSHARE",
    });
    expect(await verifiesWithX5c0(a.jwt, "RS512")).toBe(true);
  });
});

/** For each claim/header defect: the correct header and payload, changed as the defect promises. */
const EXPECTED: Partial<Record<AssertionDefect, (h: Json, p: Json) => void>> = {
  expired: (_h, p) => Object.assign(p, { iat: NOW_S - 120, nbf: NOW_S - 120, exp: NOW_S - 90 }),
  "not-yet-valid": (_h, p) => Object.assign(p, { nbf: NOW_S + 120 }),
  "iat-in-future": (_h, p) => Object.assign(p, { iat: NOW_S + 120, exp: NOW_S + 150 }),
  "lifetime-60s": (_h, p) => Object.assign(p, { exp: NOW_S + 60 }),
  "millisecond-timestamps": (_h, p) =>
    Object.assign(p, { iat: NOW_S * 1000, nbf: NOW_S * 1000, exp: (NOW_S + 30) * 1000 }),
  "wrong-aud": (_h, p) => Object.assign(p, { aud: "EU.EORI.NL999999999" }),
  "aud-array": (_h, p) => Object.assign(p, { aud: [AUD] }),
  "missing-aud": (_h, p) => delete p["aud"],
  "iss-not-sub": (_h, p) => Object.assign(p, { sub: "EU.EORI.NL000000002" }),
  "missing-jti": (_h, p) => delete p["jti"],
  "missing-iat": (_h, p) => delete p["iat"],
  "missing-exp": (_h, p) => delete p["exp"],
  "alg-none": (h) => Object.assign(h, { alg: "none" }),
  "alg-hs256": (h) => Object.assign(h, { alg: "HS256" }),
  "alg-rs384": (h) => Object.assign(h, { alg: "RS384" }),
  "alg-rs512": (h) => Object.assign(h, { alg: "RS512" }),
  "extra-header-kid": (h) => Object.assign(h, { kid: sha256Thumbprint(pki.parties.client.chain[0]!) }),
  "extra-header-x5u": (h) => Object.assign(h, { x5u: "https://127.0.0.1:9/" }),
  "missing-x5c": (h) => delete h["x5c"],
  "empty-x5c": (h) => Object.assign(h, { x5c: [] }),
  "leaf-only-chain": (h) => Object.assign(h, { x5c: (h["x5c"] as string[]).slice(0, 1) }),
  "reversed-chain": (h) => Object.assign(h, { x5c: [...(h["x5c"] as string[])].reverse() }),
  "x5c-pem-armour": (h) =>
    Object.assign(h, {
      x5c: (h["x5c"] as string[]).map(
        (b64) =>
          `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})(?!$)/g, "$1\n")}\n-----END CERTIFICATE-----`,
      ),
    }),
  "wrong-key": () => undefined,
  "tampered-payload": (_h, p) => Object.assign(p, { jti: `${String(p["jti"])}-tampered` }),
  "extra-header-jku": (h) => Object.assign(h, { jku: "https://127.0.0.1:9/jwks" }),
  "extra-header-x5t": (h) =>
    Object.assign(h, {
      x5t: createHash("sha1").update(Buffer.from(pki.parties.client.chain[0]!.rawData)).digest("base64url"),
    }),
  "extra-header-x5t-s256": (h) =>
    Object.assign(h, {
      "x5t#S256": createHash("sha256")
        .update(Buffer.from(pki.parties.client.chain[0]!.rawData))
        .digest("base64url"),
    }),
  "extra-header-crit": (h) =>
    Object.assign(h, { crit: ["urn:example:unknown"], "urn:example:unknown": true }),
  "alg-ps256": (h) => Object.assign(h, { alg: "PS256" }),
  "alg-none-capitalised": (h) => Object.assign(h, { alg: "None" }),
  "alg-none-uppercase": (h) => Object.assign(h, { alg: "NONE" }),
  "typ-not-jwt": (h) => Object.assign(h, { typ: "JOSE" }),
};

describe("each defect makes exactly its one change", () => {
  it("covers every defect in this test or the certificate tests", () => {
    const covered = new Set<string>([...Object.keys(EXPECTED), ...CERTIFICATE_DEFECTS, "extra-header-jwk"]);
    expect(ASSERTION_DEFECT_NAMES.filter((d) => !covered.has(d))).toEqual([]);
  });

  it.each(Object.keys(EXPECTED) as AssertionDefect[])("%s", async (defect) => {
    const correct = await assertion();
    const h = structuredClone(correct.header);
    const p = structuredClone(correct.payload);
    EXPECTED[defect]!(h, p);
    const planted = await assertion([defect]);
    const [hs, ps] = segments(planted.jwt);
    expect(decode(hs)).toEqual(h);
    expect(decode(ps)).toEqual(p);
    expect(planted.header).toEqual(h);
    expect(planted.payload).toEqual(p);
  });

  it("combines several defects", async () => {
    const planted = await assertion(["wrong-aud", "missing-jti", "extra-header-kid"]);
    expect(planted.payload["aud"]).toBe("EU.EORI.NL999999999");
    expect(planted.payload).not.toHaveProperty("jti");
    expect(planted.header).toHaveProperty("kid");
    expect(planted.jti).toBe(JTI);
  });
});

describe("signatures under defects", () => {
  it("extra-header-jwk carries the attacker's public key and is signed with it, not with x5c[0]'s", async () => {
    const planted = await assertion(["extra-header-jwk"]);
    const jwk = createPublicKey({ key: planted.header["jwk"] as JsonWebKey, format: "jwk" });
    const [h, p, s] = segments(planted.jwt);
    expect(verify("sha256", Buffer.from(`${h}.${p}`), jwk, Buffer.from(s, "base64url"))).toBe(true);
    expect(await verifiesWithX5c0(planted.jwt)).toBe(false);
    expect(jwk.export({ format: "jwk" })).not.toHaveProperty("d");
  });

  it("wrong-key and tampered-payload do not verify with x5c[0]; alg-rs384/rs512 do, with their alg", async () => {
    expect(await verifiesWithX5c0((await assertion(["wrong-key"])).jwt)).toBe(false);
    expect(await verifiesWithX5c0((await assertion(["tampered-payload"])).jwt)).toBe(false);
    expect(await verifiesWithX5c0((await assertion(["alg-rs384"])).jwt, "RS384")).toBe(true);
    expect(await verifiesWithX5c0((await assertion(["alg-rs512"])).jwt, "RS512")).toBe(true);
  });

  it("alg-hs256 is an HMAC keyed with the signer certificate's public key PEM", async () => {
    const [h, p, s] = segments((await assertion(["alg-hs256"])).jwt);
    const pem = createPublicKey(pki.parties.client.privateKey).export({ format: "pem", type: "spki" });
    expect(s).toBe(createHmac("sha256", pem).update(`${h}.${p}`).digest("base64url"));
  });

  it("alg-none has an empty signature", async () => {
    expect(segments((await assertion(["alg-none"])).jwt)[2]).toBe("");
  });
});

describe("certificate defects", () => {
  const leafOf = (a: { header: Json }) => certificateFromBase64Der((a.header["x5c"] as string[])[0]!);
  const anchors = () => [pki.root.certificate];
  const now = new Date(NOW_MS);

  it("keep the payload and swap only the chain, signing with the matching key", async () => {
    const correct = await assertion();
    for (const defect of CERTIFICATE_DEFECTS) {
      const planted = await assertion([defect]);
      expect(planted.payload).toEqual(correct.payload);
      expect(planted.header["x5c"]).not.toEqual(correct.header["x5c"]);
      const [h, p, s] = segments(planted.jwt);
      const leaf = leafOf(planted);
      const key = createPublicKey({ key: Buffer.from(leaf.publicKey.rawData), format: "der", type: "spki" });
      const signer = defect === "alg-es256" ? { key, dsaEncoding: "ieee-p1363" as const } : key;
      expect([
        defect,
        verify("sha256", Buffer.from(`${h}.${p}`), signer, Buffer.from(s, "base64url")),
      ]).toEqual([defect, true]);
    }
  });

  it("each breaks exactly the certificate property it names", async () => {
    const chain = async (d: AssertionDefect) =>
      ((await assertion([d])).header["x5c"] as string[]).map(certificateFromBase64Der);
    expect(await verifyChain(await chain("untrusted-root"), anchors(), now)).toMatchObject({
      problem: "untrusted",
    });
    expect(await verifyChain(await chain("expired-certificate"), anchors(), now)).toMatchObject({
      problem: "expired",
    });
    expect(await verifyChain(await chain("not-yet-valid-certificate"), anchors(), now)).toMatchObject({
      problem: "not-yet-valid",
    });
    const small = await chain("small-key");
    expect(await verifyChain(small, anchors(), now)).toMatchObject({ ok: true });
    expect(leafKeyProblems(small[0]!)).toEqual(["the certificate's RSA key has 1024 bits, fewer than 2048"]);
    const fresh = await chain("unregistered-certificate");
    expect(await verifyChain(fresh, anchors(), now)).toMatchObject({ ok: true });
    expect(leafKeyProblems(fresh[0]!)).toEqual([]);
    expect(keyMatchesCertificate(pki.parties.client.privateKey, fresh[0]!)).toBe(false);
  });
});

describe("CertificateMint", () => {
  it("mints each variant once per party, sharing one promise between concurrent callers", async () => {
    const own = new CertificateMint(issuerMaterial(pki), () => NOW_MS);
    const client = pki.parties.client;
    const p1 = own.identityFor("small-key", client);
    const p2 = own.identityFor("small-key", client);
    expect(p1).toBe(p2);
    const other = await own.identityFor("small-key", pki.parties.serviceProvider);
    expect(other.partyId).toBe("EU.EORI.NL000000003");
    expect((await p1).chain[0]).not.toBe(other.chain[0]);
    expect(await own.identityFor("wrong-aud", client)).toBe(client);
  });

  it("says which setting to add when a defect needs a trusted CA", async () => {
    const own = new CertificateMint(undefined, () => NOW_MS);
    const attempt = own.identityFor("expired-certificate", pki.parties.client);
    await expect(attempt).rejects.toBeInstanceOf(NotApplicableError);
    await expect(attempt).rejects.toMatchObject({
      code: "NOT_APPLICABLE",
      message:
        "expired-certificate needs a CA the target trusts: set client.issuer (key and certificate) in targets.yaml",
    });
    const stranger = await own.identityFor("untrusted-root", pki.parties.client);
    expect(stranger.chain).toHaveLength(2);
  });
});
