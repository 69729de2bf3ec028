/**
 * Wrong verdicts verifyChain used to give (issue #13 §2), each pinned: a CA certificate as JWT signer, a
 * signer without a signing keyUsage, pathLenConstraint, an issuer without keyCertSign, an unknown critical
 * extension, a 2.1 chain without its root, and an anchor that sits below the chain's root.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "./certificate.ts";
import { verifyChain } from "./chain.ts";
import { generateRsaKeyPair, type RsaKeyPair, spkiDer, toWebCryptoSigningKey } from "./keys.ts";
import { parseName, partySubject } from "./names.ts";
import { generateTestPki, ISSUING_CA_SUBJECT, ROOT_CA_SUBJECT, type TestPki } from "./test-pki.ts";
import { x509 } from "./x509.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
const DAY = 86_400_000;
let pki: TestPki;
let keys: RsaKeyPair;
beforeAll(async () => {
  [pki, keys] = await Promise.all([generateTestPki({ now: NOW }), generateRsaKeyPair(2048)]);
});

const usage = (flags: number, critical = true) => new x509.KeyUsagesExtension(flags, critical);
const { digitalSignature, nonRepudiation, keyCertSign, cRLSign, keyEncipherment } = x509.KeyUsageFlags;

/** A certificate for `keys` issued by the test PKI's issuing CA with the given extensions. */
function underIssuing(extensions: x509.Extension[], subject = partySubject("EU.EORI.NL000000004", "Ref")) {
  return createCertificate({
    subject,
    subjectKeys: keys,
    issuer: pki.issuing,
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + DAY),
    extensions,
  });
}

const upper = () => [pki.issuing.certificate, pki.root.certificate];
const anchors = () => [pki.root.certificate];

describe("verifyChain: the signer is an end-entity certificate that may sign", () => {
  it("refuses x5c = [issuing CA, root]: a JWT signed with the CA's key", async () => {
    const verdict = await verifyChain(upper(), anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "signer" });
    if (!verdict.ok) expect(verdict.message).toMatch(/is a CA certificate \(basicConstraints cA\)/);
  });

  it("refuses a leaf with keyCertSign, and one with neither digitalSignature nor nonRepudiation", async () => {
    const certSign = await underIssuing([usage(digitalSignature | keyCertSign)]);
    expect(await verifyChain([certSign, ...upper()], anchors(), NOW)).toMatchObject({
      ok: false,
      problem: "signer",
      message: expect.stringContaining("keyCertSign"),
    });
    const encipher = await underIssuing([usage(keyEncipherment)]);
    expect(await verifyChain([encipher, ...upper()], anchors(), NOW)).toMatchObject({
      ok: false,
      problem: "signer",
      message: expect.stringContaining("neither digitalSignature nor nonRepudiation"),
    });
  });

  it("refuses a leaf without keyUsage: nothing says its key may sign", async () => {
    const bare = await underIssuing([new x509.BasicConstraintsExtension(false, undefined, false)]);
    expect(await verifyChain([bare, ...upper()], anchors(), NOW)).toMatchObject({
      ok: false,
      problem: "signer",
      message: expect.stringContaining("neither digitalSignature nor nonRepudiation"),
    });
  });

  it("accepts nonRepudiation alone (the eSeal profile of the 2.1 test certificates)", async () => {
    const eseal = await underIssuing([usage(nonRepudiation)]);
    expect(await verifyChain([eseal, ...upper()], anchors(), NOW)).toMatchObject({ ok: true });
  });
});

describe("verifyChain: issuers are CAs within their constraints", () => {
  it("honours pathLenConstraint: a CA under the issuing CA (pathLen 0) may not issue", async () => {
    expect(pki.issuing.certificate.getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(0);
    const subCaKeys = await generateRsaKeyPair(2048);
    const subCa = await createCertificate({
      subject: "CN=Sub CA, C=NL",
      subjectKeys: subCaKeys,
      issuer: pki.issuing,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      ca: {},
    });
    const leaf = await createCertificate({
      subject: partySubject("EU.EORI.NL000000004", "Ref"),
      subjectKeys: keys,
      issuer: { privateKey: subCaKeys.privateKey, certificate: subCa },
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
    });
    const verdict = await verifyChain([leaf, subCa, ...upper()], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "path-length" });
    if (!verdict.ok) expect(verdict.message).toContain("pathLenConstraint 0 but 1 CA certificate(s)");
  });

  it("refuses an issuer that is a CA but lacks keyCertSign", async () => {
    const caKeys = await generateRsaKeyPair(2048);
    const noCertSign = await createCertificate({
      subject: "CN=Odd CA, C=NL",
      subjectKeys: caKeys,
      issuer: pki.root,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), usage(cRLSign)],
    });
    const leaf = await createCertificate({
      subject: partySubject("EU.EORI.NL000000004", "Ref"),
      subjectKeys: keys,
      issuer: { privateKey: caKeys.privateKey, certificate: noCertSign },
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
    });
    const verdict = await verifyChain([leaf, noCertSign, pki.root.certificate], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "not-a-ca" });
    if (!verdict.ok) {
      expect(verdict.message).toMatch(
        /^certificate 1 \(CN=Odd CA, C=NL\) issues certificate 0 \(CN=Ref, .*\) but its keyUsage lacks keyCertSign$/,
      );
    }
  });

  it("accepts an issuing CA without keyUsage (RFC 5280 §4.2.1.3: no restriction)", async () => {
    const caKeys = await generateRsaKeyPair(2048);
    const plainCa = await createCertificate({
      subject: "CN=Plain CA, C=NL",
      subjectKeys: caKeys,
      issuer: pki.root,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const leaf = await createCertificate({
      subject: partySubject("EU.EORI.NL000000004", "Ref"),
      subjectKeys: keys,
      issuer: { privateKey: caKeys.privateKey, certificate: plainCa },
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
    });
    expect(await verifyChain([leaf, plainCa, pki.root.certificate], anchors(), NOW)).toMatchObject({
      ok: true,
    });
  });

  it("refuses a certificate with an unknown critical extension (RFC 5280 §4.2)", async () => {
    const odd = await underIssuing([
      new x509.BasicConstraintsExtension(false, undefined, false),
      usage(digitalSignature | nonRepudiation),
      new x509.Extension("1.3.6.1.4.1.99999.1", true, new Uint8Array([0x05, 0x00])),
    ]);
    const verdict = await verifyChain([odd, ...upper()], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "critical-extension" });
    if (!verdict.ok) expect(verdict.message).toContain("1.3.6.1.4.1.99999.1");
    const known = await underIssuing([
      usage(digitalSignature | nonRepudiation),
      new x509.Extension("1.3.6.1.4.1.99999.1", false, new Uint8Array([0x05, 0x00])),
    ]);
    expect(await verifyChain([known, ...upper()], anchors(), NOW)).toMatchObject({ ok: true });
  });
});

describe("verifyChain: where the chain ends", () => {
  it("requires the root in x5c when asked (iSHARE 2.1+), not on 2.0", async () => {
    const withoutRoot = pki.parties.client.chain.slice(0, 2);
    expect(await verifyChain(withoutRoot, anchors(), NOW)).toMatchObject({ ok: true });
    const verdict = await verifyChain(withoutRoot, anchors(), NOW, { rootRequired: true });
    expect(verdict).toMatchObject({ ok: false, problem: "root-missing" });
    if (!verdict.ok) {
      expect(verdict.message).toMatch(
        /^the chain ends at certificate 1 \(CN=iSHARE Conformance Test Issuing CA/,
      );
    }
    expect(await verifyChain(pki.parties.client.chain, anchors(), NOW, { rootRequired: true })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it("trusts a chain through an anchor that sits below its root (anchors = [issuing CA])", async () => {
    const verdict = await verifyChain(pki.parties.client.chain, [pki.issuing.certificate], NOW);
    expect(verdict).toMatchObject({ ok: true });
    if (verdict.ok) expect(verdict.anchor).toBe(pki.issuing.certificate);
  });

  it("never takes the signer's own certificate as the anchor", async () => {
    const leaf = pki.parties.client.chain[0]!;
    expect(await verifyChain([leaf], [leaf], NOW)).toMatchObject({ ok: false, problem: "untrusted" });
    expect(await verifyChain(pki.parties.client.chain, [leaf], NOW)).toMatchObject({
      ok: false,
      problem: "untrusted",
    });
  });

  it("accepts a lone certificate that is itself an anchor when it signs no JWT (signer: false)", async () => {
    const issuing = pki.issuing.certificate;
    const verdict = await verifyChain([issuing], [pki.root.certificate, issuing], NOW, { signer: false });
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.anchor).toBe(issuing);
    const root = pki.root.certificate;
    expect(await verifyChain([root], [issuing], NOW, { signer: false })).toMatchObject({
      ok: false,
      problem: "untrusted",
    });
  });
});

describe("verifyChain: issuer names", () => {
  it("refuses a certificate signed with the issuer's key but naming another issuer", async () => {
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: "02",
      subject: parseName(partySubject("EU.EORI.NL000000004", "Ref")),
      issuer: parseName("CN=Someone Else, C=NL"),
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      publicKey: spkiDer(keys.publicKey),
      signingKey: await toWebCryptoSigningKey(pki.issuing.privateKey),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions: [usage(digitalSignature)],
    });
    const verdict = await verifyChain([leaf, ...upper()], anchors(), NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "signature" });
    if (!verdict.ok)
      expect(verdict.message).toContain("its issuer (CN=Someone Else, C=NL) is not certificate 1");
  });

  it("matches an issuer DN that differs from the issuer's subject only in letter case", async () => {
    const issuing = pki.issuing.certificate;
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: "01",
      subject: parseName(partySubject("EU.EORI.NL000000004", "Ref")),
      issuer: parseName(ISSUING_CA_SUBJECT.toUpperCase()),
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      publicKey: spkiDer(keys.publicKey),
      signingKey: await toWebCryptoSigningKey(pki.issuing.privateKey),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions: [usage(digitalSignature)],
    });
    expect(leaf.issuer).not.toBe(issuing.subject);
    expect(await verifyChain([leaf, ...upper()], anchors(), NOW)).toMatchObject({ ok: true });
  });
});

describe("verifyChain: the anchor that signed the chain's last certificate", () => {
  /** The test root re-issued with its own key and name, other dates or pathLenConstraint. */
  const rootAgain = (notBefore: Date, notAfter: Date, pathLength?: number) =>
    createCertificate({
      subject: ROOT_CA_SUBJECT,
      subjectKeys: pki.root,
      notBefore,
      notAfter,
      ca: pathLength === undefined ? {} : { pathLength },
    });
  const withoutRoot = () => pki.parties.client.chain.slice(0, 2);

  it("is judged at the given time: an expired or not yet valid anchor is refused, and named", async () => {
    const expired = await rootAgain(new Date(NOW.getTime() - 2 * DAY), new Date(NOW.getTime() - DAY));
    const early = await rootAgain(new Date(NOW.getTime() + DAY), new Date(NOW.getTime() + 2 * DAY));
    const verdict = await verifyChain(withoutRoot(), [expired], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "expired" });
    if (!verdict.ok)
      expect(verdict.message).toMatch(/^trust anchor CN=iSHARE Conformance Test Root CA.* expired on /);
    expect(await verifyChain(withoutRoot(), [early], NOW)).toMatchObject({
      ok: false,
      problem: "not-yet-valid",
    });
  });

  it("trusts an anchor as configured, without basicConstraints", async () => {
    const plain = await createCertificate({
      subject: ROOT_CA_SUBJECT,
      subjectKeys: pki.root,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      extensions: [],
    });
    expect(await verifyChain(withoutRoot(), [plain], NOW)).toMatchObject({ ok: true });
  });

  it("honours the anchor's pathLenConstraint over the CA certificates of the chain", async () => {
    const [zero, one] = await Promise.all([
      rootAgain(new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY), 0),
      rootAgain(new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY), 1),
    ]);
    const verdict = await verifyChain(withoutRoot(), [zero], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "path-length" });
    if (!verdict.ok)
      expect(verdict.message).toContain("has pathLenConstraint 0 but 1 CA certificate(s) follow it");
    const accepted = await verifyChain(withoutRoot(), [zero, one].reverse(), NOW);
    expect(accepted.ok).toBe(true);
    if (accepted.ok) expect(accepted.anchor).toBe(one);
  });
});
