import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { signCompactJws } from "../assertions/index.ts";
import {
  certificateFromBase64Der,
  createCertificate,
  generateTestPki,
  issuerMaterial,
  mintCertificate,
  subjectOf,
  type TestPki,
  toBase64Der,
} from "../pki/index.ts";
import { verifyJwsWithCertificate } from "./verify.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
let pki: TestPki;
beforeAll(async () => {
  pki = await generateTestPki({ now: NOW });
});

const payload = { iss: "EU.EORI.NL000000004", capabilities_info: {} };
const signed = (alg: string, p: Record<string, unknown> = payload) =>
  signCompactJws({ alg, typ: "JWT" }, p, pki.parties.reference.privateKey, alg);

describe("verifyJwsWithCertificate", () => {
  it("accepts a signature by the certificate's key with an allowed alg", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"])).toEqual({ ok: true });
    expect(await verifyJwsWithCertificate(signed("RS512"), cert, ["RS256", "RS384", "RS512"])).toEqual({
      ok: true,
    });
  });

  it("refuses an alg outside the allowed list before verifying", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS384"), cert, ["RS256"])).toEqual({
      ok: false,
      message: 'alg "RS384" is not allowed here (allowed: RS256)',
    });
    const none = signCompactJws({ alg: "none" }, payload, null, "none");
    expect(await verifyJwsWithCertificate(none, cert, ["RS256"])).toEqual({
      ok: false,
      message: 'alg "none" is not allowed here (allowed: RS256)',
    });
  });

  it("names the certificate whose key the signature does not match", async () => {
    const cert = pki.parties.client.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"])).toEqual({
      ok: false,
      message:
        "the RS256 signature does not verify with the 2048-bit RSA key of CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL",
    });
  });

  it("detects a payload changed after signing", async () => {
    const [h, , s] = signed("RS256").split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: "EU.EORI.NL000000002" })).toString("base64url")}.${s}`;
    const verdict = await verifyJwsWithCertificate(forged, pki.parties.reference.chain[0]!, ["RS256"]);
    expect(verdict).toMatchObject({
      ok: false,
      message: expect.stringContaining("signature does not verify"),
    });
  });

  it("passes on undecodable input and jose's refusal of small keys as messages", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate("garbage", cert, ["RS256"])).toEqual({
      ok: false,
      message: "a compact JWS has 3 dot-separated parts, this has 1",
    });
    const small = await mintCertificate(issuerMaterial(pki), "small-key", "EU.EORI.NL000000004", "Ref", NOW);
    const jwt = signCompactJws({ alg: "RS256" }, payload, small.privateKey, "RS256");
    const verdict = await verifyJwsWithCertificate(jwt, small.chain[0]!, ["RS256"]);
    expect(verdict).toMatchObject({ ok: false, message: expect.stringContaining("2048") });
  });

  it("says when the header has no alg, or one that is not a string", async () => {
    const cert = pki.parties.reference.chain[0]!;
    const key = pki.parties.reference.privateKey;
    for (const header of [{ typ: "JWT" }, { alg: 256, typ: "JWT" }]) {
      const jwt = signCompactJws(header, payload, key, "RS256");
      expect(await verifyJwsWithCertificate(jwt, cert, ["RS256"])).toEqual({
        ok: false,
        message: "the JWS header has no alg",
      });
    }
  });

  it("refuses a key under 2048 bits itself, naming the key and the minimum", async () => {
    const small = pki.registeredVariants["small-key"]!;
    const jwt = signCompactJws({ alg: "RS256" }, payload, small.privateKey, "RS256");
    expect(await verifyJwsWithCertificate(jwt, small.chain[0]!, ["RS256"])).toEqual({
      ok: false,
      message: `the 1024-bit RSA key of ${subjectOf(small.chain[0]!)} is too small to verify RS256 (at least 2048 bits)`,
    });
  });

  it("says which certificate's public key cannot be read", async () => {
    // The reference leaf with its key's algorithm (rsaEncryption, 1.2.840.113549.1.1.1) changed to an unknown OID.
    const der = Buffer.from(toBase64Der(pki.parties.reference.chain[0]!), "base64");
    const oid = Buffer.from("06092a864886f70d010101", "hex");
    const at = der.indexOf(oid);
    expect(at).toBeGreaterThan(0);
    der[at + oid.length - 1] = 0x63;
    const cert = certificateFromBase64Der(der.toString("base64"));
    expect(await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"])).toEqual({
      ok: false,
      message: `the public key of ${subjectOf(cert)} cannot be read`,
    });
  });

  it("names a non-RSA key without a bit count and passes on jose's reason", async () => {
    const ec = pki.registeredVariants["alg-es256"]!.chain[0]!;
    const verdict = await verifyJwsWithCertificate(signed("RS256"), ec, ["RS256"]);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.message.startsWith(`the JWS does not verify with the key of ${subjectOf(ec)}: `)).toBe(
        true,
      );
      expect(verdict.message).not.toContain("signature does not verify");
    }
  });

  it("passes on a failure other than a wrong signature with jose's reason", async () => {
    const cert = pki.parties.reference.chain[0]!;
    const header = { alg: "RS256", crit: ["x-unknown"], "x-unknown": 1 };
    const jwt = signCompactJws(header, payload, pki.parties.reference.privateKey, "RS256");
    expect(await verifyJwsWithCertificate(jwt, cert, ["RS256"])).toEqual({
      ok: false,
      message: `the JWS does not verify with the 2048-bit RSA key of ${subjectOf(cert)}: Extension Header Parameter "x-unknown" is not recognized`,
    });
  });

  it("verifies the token as decoded, without the whitespace around it (a response body's trailing newline)", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate(`\n ${signed("RS256")}\n`, cert, ["RS256"])).toEqual({ ok: true });
  });

  it("checks the size only of an rsa key: a small RSA-PSS key is refused by jose for its type, not its size", async () => {
    // An RSA-PSS key has a modulusLength too, but RS256 needs an rsaEncryption key whatever its size.
    const issuer = issuerMaterial(pki);
    const cert = await createCertificate({
      subject: "CN=PSS Signer, serialNumber=EU.EORI.NL000000004, O=iSHARE Conformance Test, C=NL",
      subjectKeys: generateKeyPairSync("rsa-pss", { modulusLength: 1024 }),
      issuer: { privateKey: issuer.privateKey, certificate: issuer.chain[0]! },
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + 86_400_000),
    });
    const verdict = await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"]);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.message.startsWith(`the JWS does not verify with the key of ${subjectOf(cert)}: `)).toBe(
        true,
      );
      expect(verdict.message).not.toContain("too small");
    }
  });
});
