import { beforeAll, describe, expect, it } from "vitest";
import { generateTestPki, type TestPki, toBase64Der, toPem } from "../pki/index.ts";
import { x5cCertificates } from "./x5c.ts";

let pki: TestPki;
beforeAll(async () => {
  pki = await generateTestPki({ now: new Date("2025-01-15T12:00:00Z") });
});

describe("x5cCertificates", () => {
  it("parses the chain in order", () => {
    const x5c = pki.parties.client.chain.map(toBase64Der);
    const result = x5cCertificates({ alg: "RS256", x5c });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.certs.map(toBase64Der)).toEqual(x5c);
  });

  it("says what is wrong with a missing, mistyped, empty or oversized x5c", () => {
    const root = toBase64Der(pki.root.certificate);
    expect(x5cCertificates({ alg: "RS256" })).toEqual({
      ok: false,
      message: "the JWS header has no x5c certificate chain",
    });
    expect(x5cCertificates({ x5c: root })).toEqual({
      ok: false,
      message: "x5c must be an array of base64 DER certificates, got a string",
    });
    expect(x5cCertificates({ x5c: [] })).toEqual({
      ok: false,
      message: "x5c is an empty array; it must hold the signer's chain",
    });
    expect(x5cCertificates({ x5c: Array(10_000).fill(root) })).toEqual({
      ok: false,
      message: "x5c has 10000 entries; at most 10 are examined",
    });
  });

  it("names the entry that is not a certificate", () => {
    const leaf = toBase64Der(pki.parties.client.chain[0]!);
    expect(x5cCertificates({ x5c: [leaf, 7] })).toEqual({
      ok: false,
      message: "x5c[1] must be a base64 DER string, got a number",
    });
    expect(x5cCertificates({ x5c: [leaf, "AAAA"] })).toEqual({
      ok: false,
      message: "x5c[1] is not a certificate: base64 decodes to 3 bytes that are not a DER X.509 certificate",
    });
    const armoured = x5cCertificates({ x5c: [toPem(pki.parties.client.chain[0]!)] });
    expect(armoured).toMatchObject({ ok: false });
    if (!armoured.ok) expect(armoured.message).toMatch(/^x5c\[0\] is not a certificate: PEM armour/);
  });

  it("examines a chain of exactly the maximum length and refuses one entry more", () => {
    const root = toBase64Der(pki.root.certificate);
    const at = x5cCertificates({ x5c: Array(10).fill(root) });
    expect(at.ok && at.certs.length).toBe(10);
    expect(x5cCertificates({ x5c: Array(11).fill(root) })).toEqual({
      ok: false,
      message: "x5c has 11 entries; at most 10 are examined",
    });
  });

  it("names the JSON type of a mistyped x5c or entry: null, an array, an object", () => {
    expect(x5cCertificates({ x5c: null })).toEqual({
      ok: false,
      message: "x5c must be an array of base64 DER certificates, got null",
    });
    expect(x5cCertificates({ x5c: {} })).toEqual({
      ok: false,
      message: "x5c must be an array of base64 DER certificates, got an object",
    });
    const leaf = toBase64Der(pki.parties.client.chain[0]!);
    expect(x5cCertificates({ x5c: [[leaf]] })).toEqual({
      ok: false,
      message: "x5c[0] must be a base64 DER string, got an array",
    });
    expect(x5cCertificates({ x5c: [leaf, null] })).toEqual({
      ok: false,
      message: "x5c[1] must be a base64 DER string, got null",
    });
  });

  it("reads only the header's own x5c, not an inherited one", () => {
    const inherited = Object.create({ x5c: [toBase64Der(pki.root.certificate)] }) as Record<string, unknown>;
    expect(x5cCertificates(inherited)).toEqual({
      ok: false,
      message: "the JWS header has no x5c certificate chain",
    });
  });
});
