import { beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "./certificate.ts";
import { MAX_CHAIN_LENGTH, verifyChain } from "./chain.ts";
import { generateRsaKeyPair } from "./keys.ts";
import { mintCertificate, untrustedIdentity } from "./mint.ts";
import { generateTestPki, issuerMaterial, type TestPki } from "./test-pki.ts";
import { x509 } from "./x509.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
let pki: TestPki;
let other: TestPki; // same CA names, different keys
beforeAll(async () => {
  [pki, other] = await Promise.all([generateTestPki({ now: NOW }), generateTestPki({ now: NOW })]);
});

const anchors = () => [pki.root.certificate];

describe("verifyChain", () => {
  it("accepts leaf, issuing CA, root when the root is an anchor and names that anchor", async () => {
    const verdict = await verifyChain(pki.parties.client.chain, anchors(), NOW);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.anchor).toBe(pki.root.certificate);
  });

  it("accepts a chain that stops below an anchor that signed its last certificate (v2.0 wording)", async () => {
    const verdict = await verifyChain(pki.parties.client.chain.slice(0, 2), anchors(), NOW);
    expect(verdict).toMatchObject({ ok: true });
  });

  it("rejects an empty chain", async () => {
    expect(await verifyChain([], anchors(), NOW)).toEqual({
      ok: false,
      problem: "empty",
      message: "the certificate chain is empty",
    });
  });

  it("refuses a 10,000-entry chain without examining it", async () => {
    const huge = Array.from({ length: 10_000 }, () => pki.root.certificate);
    // Refused by its length (problem "too-long"), not after checking entries: no clock needed to tell.
    const verdict = await verifyChain(huge, anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "too-long" });
    if (!verdict.ok) expect(verdict.message).toContain(`at most ${MAX_CHAIN_LENGTH}`);
  });

  it("examines a chain of exactly the maximum length", async () => {
    const longest = Array.from({ length: MAX_CHAIN_LENGTH }, () => pki.root.certificate);
    // Read, not refused unread: the repeated root chains to itself, and then signs a JWT as a CA.
    expect(await verifyChain(longest, anchors(), NOW)).toMatchObject({ ok: false, problem: "signer" });
  });

  it("reports a CA placed before the certificate it issued as an order problem", async () => {
    const [leaf, issuing, root] = pki.parties.client.chain;
    const verdict = await verifyChain([issuing!, leaf!, root!], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "order" });
    if (!verdict.ok) expect(verdict.message).toContain("issued the next certificate (CN=ABC Trucking");
  });

  it("reports a certificate issued by one before it (cross-certified CAs) as an order problem", async () => {
    const [aKeys, bKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
    const dates = { notBefore: NOW, notAfter: new Date(NOW.getTime() + 86_400_000), ca: {} };
    const bSelf = await createCertificate({ subject: "CN=CA B, C=NL", subjectKeys: bKeys, ...dates });
    const a = await createCertificate({
      subject: "CN=CA A, C=NL",
      subjectKeys: aKeys,
      issuer: { privateKey: bKeys.privateKey, certificate: bSelf },
      ...dates,
    });
    const b = await createCertificate({
      subject: "CN=CA B, C=NL",
      subjectKeys: bKeys,
      issuer: { privateKey: aKeys.privateKey, certificate: a },
      ...dates,
    });
    const verdict = await verifyChain([a, b, pki.root.certificate], anchors(), NOW, { signer: false });
    expect(verdict).toMatchObject({ ok: false, problem: "order" });
    if (!verdict.ok)
      expect(verdict.message).toContain("certificate 1 (CN=CA B, C=NL) is issued by certificate 0,");
  });

  it("reports a reversed chain as an order problem", async () => {
    const verdict = await verifyChain([...pki.parties.client.chain].reverse(), anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "order" });
    if (!verdict.ok) expect(verdict.message).toContain("self-signed");
  });

  it("reports a swapped middle as an order problem", async () => {
    const [leaf, issuing, root] = pki.parties.client.chain;
    const verdict = await verifyChain([leaf!, root!, issuing!], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "order" });
    if (!verdict.ok) expect(verdict.message).toContain("certificate 0 (CN=ABC Trucking");
  });

  it("reports a signature problem when the next certificate has the right name but the wrong key", async () => {
    const [leaf] = pki.parties.client.chain;
    const verdict = await verifyChain(
      [leaf!, other.issuing.certificate, other.root.certificate],
      anchors(),
      NOW,
    );
    expect(verdict).toMatchObject({ ok: false, problem: "signature" });
    if (!verdict.ok)
      expect(verdict.message).toContain("signature does not verify with the key of certificate 1 (");
  });

  it("names the expected issuer when the next certificate has another name", async () => {
    const [leaf] = pki.parties.client.chain;
    const stranger = await untrustedIdentity("EU.EORI.NL000000001", "ABC Trucking", NOW);
    const verdict = await verifyChain([leaf!, stranger.chain.at(-1)!], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "signature" });
    if (!verdict.ok) {
      expect(verdict.message).toMatch(
        /^certificate 0 \(CN=ABC Trucking.*\): its issuer \(CN=iSHARE Conformance Test Issuing CA.*\) is not certificate 1 \(/,
      );
    }
  });

  it("counts a certificate valid at the very instants of its notBefore and notAfter (RFC 5280 §4.1.2.5)", async () => {
    const chain = pki.parties.client.chain;
    const [leaf] = chain;
    const latestStart = Math.max(...chain.map((c) => c.notBefore.getTime()));
    const earliestEnd = Math.min(...chain.map((c) => c.notAfter.getTime()));
    expect(latestStart).toBe(leaf!.notBefore.getTime());
    expect(earliestEnd).toBe(leaf!.notAfter.getTime());
    expect(await verifyChain(chain, anchors(), leaf!.notBefore)).toMatchObject({ ok: true });
    expect(await verifyChain(chain, anchors(), leaf!.notAfter)).toMatchObject({ ok: true });
    expect(await verifyChain(chain, anchors(), new Date(leaf!.notAfter.getTime() + 1000))).toMatchObject({
      problem: "expired",
    });
  });

  it("reports a leaf alone as untrusted, naming its issuer", async () => {
    const verdict = await verifyChain(pki.parties.client.chain.slice(0, 1), anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "untrusted" });
    if (!verdict.ok) {
      expect(verdict.message).toMatch(
        /^the chain ends at certificate 0 \(CN=ABC Trucking.*\), issued by CN=iSHARE Conformance Test Issuing CA/,
      );
    }
  });

  it("reports a self-made root as untrusted", async () => {
    const stranger = await untrustedIdentity("EU.EORI.NL000000001", "ABC Trucking", NOW);
    expect(await verifyChain(stranger.chain, anchors(), NOW)).toMatchObject({
      ok: false,
      problem: "untrusted",
    });
  });

  it("reports an expired and a not-yet-valid leaf with the date", async () => {
    const issuer = issuerMaterial(pki);
    const [expired, early] = await Promise.all([
      mintCertificate(issuer, "expired", "EU.EORI.NL000000001", "ABC Trucking", NOW),
      mintCertificate(issuer, "not-yet-valid", "EU.EORI.NL000000001", "ABC Trucking", NOW),
    ]);
    expect(await verifyChain(expired.chain, anchors(), NOW)).toEqual({
      ok: false,
      problem: "expired",
      message:
        "certificate 0 (CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL) expired on 2025-01-14T12:00:00Z",
    });
    expect(await verifyChain(early.chain, anchors(), NOW)).toEqual({
      ok: false,
      problem: "not-yet-valid",
      message:
        "certificate 0 (CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL) is not valid before 2025-01-16T12:00:00Z",
    });
  });

  it("judges validity at the given time, not the wall clock", async () => {
    const later = new Date(NOW.getTime() + 3 * 365 * 86_400_000);
    const verdict = await verifyChain(pki.parties.client.chain, anchors(), later);
    expect(verdict).toMatchObject({ ok: false, problem: "expired" });
  });

  it("reports a party certificate used as an issuer as not-a-ca", async () => {
    const party = pki.parties.client;
    const keys = await generateRsaKeyPair();
    const sub = await createCertificate({
      subject: "CN=Sub-party, C=NL",
      subjectKeys: keys,
      issuer: { privateKey: party.privateKey, certificate: party.chain[0]! },
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
    });
    const verdict = await verifyChain([sub, ...party.chain], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "not-a-ca" });
    if (!verdict.ok) {
      expect(verdict.message).toMatch(
        /^certificate 1 \(CN=ABC Trucking.*\) issues certificate 0 \(CN=Sub-party, C=NL\) but is not a CA/,
      );
    }
    expect(party.chain[0]!.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
  });
});
