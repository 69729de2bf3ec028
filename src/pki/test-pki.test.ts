import { X509Certificate as NodeX509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "./chain.ts";
import { sha256Fingerprint, sha256Thumbprint } from "./fingerprint.ts";
import { keyMatchesCertificate } from "./keys.ts";
import { subjectOf } from "./names.ts";
import { generateTestPki, issuerMaterial, TEST_PARTY_ROLES, type TestPki } from "./test-pki.ts";
import { readTestPki, writeTestPki } from "./test-pki-files.ts";
import { x509 } from "./x509.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
const DAY = 86_400_000;

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  pki = await generateTestPki({ now: NOW, partyIds: { serviceProvider: "did:ishare:EU.NL.NTRNL-10000003" } });
  dir = await mkdtemp(join(tmpdir(), "pki-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generateTestPki", () => {
  it("gives every role the default id and name unless overridden", () => {
    expect(pki.parties.client.partyId).toBe("EU.EORI.NL000000001");
    expect(pki.parties.client.name).toBe("ABC Trucking");
    expect(pki.parties.reference.partyId).toBe("EU.EORI.NL000000004");
    expect(pki.parties.entitledParty.name).toBe("Banana & Co");
    expect(pki.parties.unregistered.partyId).toBe("EU.EORI.NL000000099");
    expect(pki.parties.serviceProvider.partyId).toBe("did:ishare:EU.NL.NTRNL-10000003");
  });

  it("issues party certificates that chain to the root at the given time, with their own keys", async () => {
    for (const role of TEST_PARTY_ROLES) {
      const party = pki.parties[role];
      expect(party.chain).toHaveLength(3);
      expect(party.chain[1]).toBe(pki.issuing.certificate);
      expect(party.chain[2]).toBe(pki.root.certificate);
      expect(keyMatchesCertificate(party.privateKey, party.chain[0]!)).toBe(true);
      expect(await verifyChain(party.chain, [pki.root.certificate], NOW)).toMatchObject({ ok: true });
    }
    const keys = new Set(TEST_PARTY_ROLES.map((r) => sha256Thumbprint(pki.parties[r].chain[0]!)));
    expect(keys.size).toBe(TEST_PARTY_ROLES.length);
  });

  it("uses the documented validity periods", () => {
    expect(pki.root.certificate.notBefore.getTime()).toBe(NOW.getTime() - DAY);
    expect(pki.issuing.certificate.notAfter.getTime()).toBe(NOW.getTime() + 10 * 365 * DAY);
    const leaf = pki.parties.client.chain[0]!;
    expect(leaf.notBefore.getTime()).toBe(NOW.getTime() - DAY);
    expect(leaf.notAfter.getTime()).toBe(NOW.getTime() + 2 * 365 * DAY);
  });

  it("marks CAs as CAs and party certificates as iSHARE signing certificates", () => {
    const issuing = pki.issuing.certificate;
    expect(issuing.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    expect(issuing.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    );
    const leaf = pki.parties.client.chain[0]!;
    const usage = leaf.getExtension(x509.KeyUsagesExtension)!;
    expect(usage.critical).toBe(true);
    expect(usage.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      issuing.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    // OpenSSL (via node:crypto) reads the signature algorithm and the subject the same way.
    const node = new NodeX509Certificate(Buffer.from(leaf.rawData));
    expect(node.subject).toContain("serialNumber=EU.EORI.NL000000001");
    expect(leaf.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
  });

  it("names the CAs as documented", () => {
    expect(subjectOf(pki.root.certificate)).toBe(
      "CN=iSHARE Conformance Test Root CA, O=iSHARE Conformance Test, C=NL",
    );
    expect(subjectOf(pki.issuing.certificate)).toBe(
      "CN=iSHARE Conformance Test Issuing CA, O=iSHARE Conformance Test, C=NL",
    );
  });

  it("exposes the issuing CA as issuer material", () => {
    const issuer = issuerMaterial(pki);
    expect(issuer.privateKey).toBe(pki.issuing.privateKey);
    expect(issuer.chain).toEqual([pki.issuing.certificate, pki.root.certificate]);
  });
});

describe("fingerprints", () => {
  it("gives the trusted_list form upper-case and the x5t#s256 form lower-case, both SHA-256 of the DER", () => {
    const cert = pki.root.certificate;
    const node = new NodeX509Certificate(Buffer.from(cert.rawData));
    expect(sha256Fingerprint(cert)).toBe(node.fingerprint256.replace(/:/g, ""));
    expect(sha256Thumbprint(cert)).toBe(sha256Fingerprint(cert).toLowerCase());
    expect(sha256Thumbprint(cert)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("writeTestPki / readTestPki", () => {
  it("writes the documented files, keys private to the user, and loads them back unchanged", async () => {
    const written = await writeTestPki(pki, dir);
    const names = written.map((p) => p.slice(dir.length + 1));
    expect(names).toEqual(
      expect.arrayContaining([
        "root.pem",
        "issuing-ca.pem",
        "issuing-ca.key.pem",
        "client.key.pem",
        "client.chain.pem",
        "serviceProvider.chain.pem",
        "README.txt",
      ]),
    );
    expect((await stat(join(dir, "client.key.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "issuing-ca.key.pem"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "client.key.pem"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const chainPem = await readFile(join(dir, "client.chain.pem"), "utf8");
    expect(chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    const readme = await readFile(join(dir, "README.txt"), "utf8");
    expect(readme).toContain("EU.EORI.NL000000001");
    expect(readme).toContain("did:ishare:EU.NL.NTRNL-10000003");

    const loaded = await readTestPki(dir);
    expect(sha256Fingerprint(loaded.root.certificate)).toBe(sha256Fingerprint(pki.root.certificate));
    for (const role of TEST_PARTY_ROLES) {
      const a = loaded.parties[role];
      const b = pki.parties[role];
      expect(a.partyId).toBe(b.partyId);
      expect(a.name).toBe(b.name);
      expect(a.chain.map(sha256Thumbprint)).toEqual(b.chain.map(sha256Thumbprint));
      expect(keyMatchesCertificate(a.privateKey, a.chain[0]!)).toBe(true);
    }
  });
});
