import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { generateRsaKeyPair, keyMatchesCertificate } from "./keys.ts";
import {
  certificateFromBase64Der,
  parseCertificatesPem,
  parsePrivateKeyPem,
  readCertificateFile,
  readPrivateKeyFile,
  toBase64Der,
  toPem,
} from "./pem.ts";
import { generateTestPki, type TestPki } from "./test-pki.ts";

let pki: TestPki;
let key: KeyObject;
let dir: string;
beforeAll(async () => {
  pki = await generateTestPki({ now: new Date("2025-01-15T12:00:00Z") });
  key = pki.parties.client.privateKey;
  dir = await mkdtemp(join(tmpdir(), "pem-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts a ConfigError by code and message, and that the message leaks no PEM body. */
function expectConfigError(fn: () => unknown, code: string, message: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe(code);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
    return;
  }
  throw new Error("expected a ConfigError");
}

describe("parsePrivateKeyPem", () => {
  it("reads PKCS#8 and PKCS#1 RSA keys", () => {
    const pkcs8 = key.export({ format: "pem", type: "pkcs8" }).toString();
    const pkcs1 = key.export({ format: "pem", type: "pkcs1" }).toString();
    const leaf = pki.parties.client.chain[0]!;
    expect(keyMatchesCertificate(parsePrivateKeyPem(pkcs8, "client.key.pem"), leaf)).toBe(true);
    expect(keyMatchesCertificate(parsePrivateKeyPem(pkcs1, "client.key.pem"), leaf)).toBe(true);
  });

  it("reads an encrypted PKCS#8 key with its passphrase, and says what is missing or wrong otherwise", () => {
    const pem = key
      .export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "correct horse" })
      .toString();
    expect(parsePrivateKeyPem(pem, "enc.pem", "correct horse").asymmetricKeyType).toBe("rsa");
    expectConfigError(
      () => parsePrivateKeyPem(pem, "enc.pem"),
      "KEY",
      /^enc\.pem: the private key is encrypted and no passphrase/,
    );
    expectConfigError(
      () => parsePrivateKeyPem(pem, "enc.pem", "wrong"),
      "KEY",
      /^enc\.pem: .*passphrase is wrong/,
    );
  });

  it("explains a certificate given where a key belongs", () => {
    expectConfigError(
      () => parsePrivateKeyPem(toPem(pki.root.certificate), "targets.yaml client.key"),
      "KEY",
      /^targets\.yaml client\.key: not a PEM private key: it holds a certificate/,
    );
  });

  it("rejects a damaged key and a non-RSA key", () => {
    const pkcs8 = key.export({ format: "pem", type: "pkcs8" }).toString();
    const damaged = pkcs8.replace(/\n[A-Za-z0-9+/]{64}\n/, "\nAAAA\n");
    expectConfigError(
      () => parsePrivateKeyPem(damaged, "bad.pem"),
      "KEY",
      /^bad\.pem: cannot read the private key/,
    );
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      format: "pem",
      type: "pkcs8",
    });
    expectConfigError(
      () => parsePrivateKeyPem(ec.toString(), "ec.pem"),
      "KEY",
      /^ec\.pem: the private key is ec, but iSHARE requires RSA/,
    );
  });
});

describe("certificate PEM", () => {
  it("round-trips a chain in order", () => {
    const chain = pki.parties.client.chain;
    const parsed = parseCertificatesPem(chain.map(toPem).join("\n"), "chain.pem");
    expect(parsed.map(toBase64Der)).toEqual(chain.map(toBase64Der));
  });

  it("explains a file without certificates and a damaged certificate", () => {
    const keyPem = key.export({ format: "pem", type: "pkcs8" }).toString();
    expectConfigError(
      () => parseCertificatesPem(keyPem, "x.pem"),
      "CERTIFICATE",
      /^x\.pem: no certificate found: it holds a private key/,
    );
    const bad = `${toPem(pki.root.certificate)}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    expectConfigError(
      () => parseCertificatesPem(bad, "y.pem"),
      "CERTIFICATE",
      /^y\.pem: certificate 2 of 2 cannot be parsed/,
    );
  });

  it("reads files and names a missing one", async () => {
    const path = join(dir, "chain.pem");
    await writeFile(path, pki.parties.client.chain.map(toPem).join(""));
    expect(await readCertificateFile(path)).toHaveLength(3);
    const keyPath = join(dir, "k.pem");
    await writeFile(
      keyPath,
      (await generateRsaKeyPair(1024)).privateKey.export({ format: "pem", type: "pkcs8" }),
    );
    expect((await readPrivateKeyFile(keyPath)).asymmetricKeyDetails?.modulusLength).toBe(1024);
    const missing = join(dir, "nope.pem");
    await expect(readPrivateKeyFile(missing)).rejects.toMatchObject({
      code: "KEY",
      message: `${missing}: cannot read the private key file (file not found); check the path in the configuration`,
    });
    await expect(readCertificateFile(missing)).rejects.toMatchObject({ code: "CERTIFICATE" });
  });
});

describe("certificateFromBase64Der", () => {
  it("round-trips the x5c form", () => {
    const b64 = toBase64Der(pki.root.certificate);
    expect(toBase64Der(certificateFromBase64Der(b64))).toBe(b64);
  });

  it.each([
    ["", /empty/],
    ["not base64!", /not standard base64/],
    ["AAAA", /not a DER X\.509 certificate/],
    ["-----BEGIN CERTIFICATE-----MIIB", /PEM armour/],
  ])("refuses %j with a clear message", (input, message) => {
    expect(() => certificateFromBase64Der(input)).toThrow(message);
  });

  it("refuses trailing bytes after the certificate", () => {
    const der = Buffer.concat([Buffer.from(pki.root.certificate.rawData), Buffer.from([0, 0, 0])]);
    expect(() => certificateFromBase64Der(der.toString("base64"))).toThrow(/trailing bytes/);
  });
});
