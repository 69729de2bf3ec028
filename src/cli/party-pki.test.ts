import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  keyMatchesCertificate,
  partyIdFromCertificate,
  readCertificateFile,
  readPrivateKeyFile,
} from "../pki/index.ts";
import { captureIo } from "./capture-io.fixture.ts";
import { main } from "./main.ts";
import { parsePartySpecs } from "./party-pki.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "party-pki-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const certs = (pem: string): X509Certificate[] =>
  (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block),
  );

describe("pki init --party", () => {
  it("parses ids with and without names, did:ishare ids included, and refuses what is not a party id", () => {
    expect(
      parsePartySpecs([
        "EU.EORI.NL000000001:ABC Trucking",
        "did:ishare:EU.NL.NTRNL-10000000:Dataspace X",
        "EU.EORI.NL000000002",
      ]),
    ).toEqual([
      { partyId: "EU.EORI.NL000000001", name: "ABC Trucking" },
      { partyId: "did:ishare:EU.NL.NTRNL-10000000", name: "Dataspace X" },
      { partyId: "EU.EORI.NL000000002", name: "EU.EORI.NL000000002" },
    ]);
    expect(() => parsePartySpecs(["ABC"])).toThrow(
      /--party "ABC": the party id must look like EU\.EORI\.NL000000001/,
    );
    expect(() => parsePartySpecs(["EU.EORI.NL1", "EU.EORI.NL1:x"])).toThrow(/given twice/);
  });

  it("certifies the user's own parties under a fresh CA pair and writes the issuer chain file", async () => {
    const io = captureIo(dir);
    const code = await main(
      [
        "pki",
        "init",
        "--dir",
        "mine",
        "--party",
        "EU.EORI.NL123456789:My Company",
        "--party",
        "EU.EORI.NL987654321",
      ],
      io,
    );
    expect(code).toBe(0);
    const folder = join(dir, "mine");
    const chainFile = join(folder, "EU.EORI.NL123456789.chain.pem");
    const [leaf, issuing, root] = certs(await readFile(chainFile, "utf8"));
    expect(leaf?.subject).toContain("CN=My Company");
    expect(partyIdFromCertificate((await readCertificateFile(chainFile))[0]!)).toBe("EU.EORI.NL123456789");
    // x5c order and real signatures: leaf by the issuing CA, issuing CA by the root, root by itself.
    expect(leaf?.verify(issuing!.publicKey)).toBe(true);
    expect(issuing?.verify(root!.publicKey)).toBe(true);
    expect(root?.verify(root.publicKey)).toBe(true);
    const key = await readPrivateKeyFile(join(folder, "EU.EORI.NL123456789.key.pem"));
    expect(keyMatchesCertificate(key, (await readCertificateFile(chainFile))[0]!)).toBe(true);
    expect((await stat(join(folder, "EU.EORI.NL123456789.key.pem"))).mode & 0o077).toBe(0);
    const issuerChain = certs(await readFile(join(folder, "issuing-ca.chain.pem"), "utf8"));
    expect(issuerChain.map((c) => c.fingerprint256)).toEqual([issuing!.fingerprint256, root!.fingerprint256]);
    expect(io.out()).toMatch(/EU\.EORI\.NL987654321\s+EU\.EORI\.NL987654321/);
    expect(io.out()).not.toContain("PRIVATE KEY");
  });
});
