import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "./certificate.ts";
import { verifyChain } from "./chain.ts";
import { leafKeyProblems } from "./key-problems.ts";
import { keyMatchesCertificate } from "./keys.ts";
import { mintCertificate, untrustedIdentity } from "./mint.ts";
import { partyIdFromCertificate } from "./names.ts";
import { generateTestPki, issuerMaterial, type TestPki } from "./test-pki.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
const ID = "EU.EORI.NL000000001";
let pki: TestPki;
beforeAll(async () => {
  pki = await generateTestPki({ now: NOW });
});

describe("mintCertificate", () => {
  it("small-key: a valid chain whose leaf has a 1024-bit key", async () => {
    const minted = await mintCertificate(issuerMaterial(pki), "small-key", ID, "ABC Trucking", NOW);
    expect(await verifyChain(minted.chain, [pki.root.certificate], NOW)).toMatchObject({ ok: true });
    expect(leafKeyProblems(minted.chain[0]!)).toEqual([
      "the certificate's RSA key has 1024 bits, fewer than 2048",
    ]);
    expect(partyIdFromCertificate(minted.chain[0]!)).toBe(ID);
  });

  it("fresh-key: a valid chain for the same party with a key other than the registered one", async () => {
    const minted = await mintCertificate(issuerMaterial(pki), "fresh-key", ID, "ABC Trucking", NOW);
    expect(await verifyChain(minted.chain, [pki.root.certificate], NOW)).toMatchObject({ ok: true });
    expect(leafKeyProblems(minted.chain[0]!)).toEqual([]);
    expect(keyMatchesCertificate(minted.privateKey, minted.chain[0]!)).toBe(true);
    expect(keyMatchesCertificate(pki.parties.client.privateKey, minted.chain[0]!)).toBe(false);
    expect(minted.partyId).toBe(ID);
  });

  it("expired / not-yet-valid: only the validity period is wrong", async () => {
    const expired = await mintCertificate(issuerMaterial(pki), "expired", ID, "ABC Trucking", NOW);
    expect(expired.chain[0]!.notAfter.getTime()).toBeLessThan(NOW.getTime());
    expect(leafKeyProblems(expired.chain[0]!)).toEqual([]);
    const early = await mintCertificate(issuerMaterial(pki), "not-yet-valid", ID, "ABC Trucking", NOW);
    expect(early.chain[0]!.notBefore.getTime()).toBeGreaterThan(NOW.getTime());
  });
});

describe("untrustedIdentity", () => {
  it("is a well-formed chain that ends at a root nobody trusts", async () => {
    const stranger = await untrustedIdentity(ID, "ABC Trucking", NOW);
    expect(stranger.chain).toHaveLength(2);
    expect(await verifyChain(stranger.chain, [stranger.chain[1]!], NOW)).toMatchObject({ ok: true });
    expect(await verifyChain(stranger.chain, [pki.root.certificate], NOW)).toMatchObject({
      problem: "untrusted",
    });
  });
});

describe("leafKeyProblems", () => {
  it("finds nothing wrong with a test party certificate", () => {
    expect(leafKeyProblems(pki.parties.client.chain[0]!)).toEqual([]);
  });

  it("flags a CA certificate used as a signer", () => {
    expect(leafKeyProblems(pki.issuing.certificate)).toEqual([
      "the certificate's keyUsage includes keyCertSign (a CA certificate, not a party certificate)",
    ]);
  });

  it("flags a non-RSA key", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const cert = await createCertificate({
      subject: "CN=Elliptic, C=NL",
      subjectKeys: ec,
      issuer: pki.issuing,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
    });
    expect(leafKeyProblems(cert)).toEqual(["the certificate's key is ec, not RSA (iSHARE signs with RS256)"]);
  });
});
