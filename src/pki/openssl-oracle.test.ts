/**
 * The harness's judge against vectors it did not make: certificate chains and a JWT signature made with the
 * `openssl` CLI in a temp folder, with `openssl verify -x509_strict -attime` (and `openssl dgst -verify`) as
 * the oracle. verifyChain must agree with OpenSSL on every chain, and with the certificate's own extensions
 * (as OpenSSL prints them) where iSHARE asks more than RFC 5280 path validation (the signer's profile).
 * Skipped, with the reason, only when no openssl binary is installed (it is on Debian and in CI).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyJwsWithCertificate } from "../jwt/verify.ts";
import { type ChainOptions, verifyChain } from "./chain.ts";
import { parseCertificatesPem } from "./pem.ts";

const probe = spawnSync("openssl", ["version"], { encoding: "utf8" });
const skipReason = probe.status === 0 ? "" : "(skipped: no openssl binary on PATH)";

let dir = "";
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: "pipe" });

/** Issue `name` for key `key` signed by `issuer` (or self-signed), with an extensions section. */
function issue(
  name: string,
  subject: string,
  key: string,
  issuer: string | undefined,
  ext: string,
  days = 365,
) {
  writeFileSync(file(`${name}.ext`), `[v3]\n${ext}\nsubjectKeyIdentifier=hash\n`);
  if (key !== file(`${name}.key`)) writeFileSync(file(`${name}.key`), readFileSync(key));
  openssl("req", "-new", "-key", key, "-subj", subject, "-out", file(`${name}.csr`));
  const signing = issuer
    ? ["-CA", file(`${issuer}.pem`), "-CAkey", file(`${issuer}.key`), "-set_serial", String(Date.now() % 1e9)]
    : ["-signkey", key];
  openssl(
    "x509",
    "-req",
    "-in",
    file(`${name}.csr`),
    ...signing,
    "-days",
    String(days),
    "-sha256",
    "-extfile",
    file(`${name}.ext`),
    "-extensions",
    "v3",
    "-out",
    file(`${name}.pem`),
  );
}

const cert = (name: string) => parseCertificatesPem(readFileSync(file(`${name}.pem`), "utf8"), name)[0]!;

/** OpenSSL's verdict on `leaf` with `intermediates` under the root, at `atS` (Unix seconds). */
function opensslVerify(leaf: string, intermediates: string[], atS: number): boolean {
  const untrusted = intermediates.length > 0 ? ["-untrusted", file("bundle.pem")] : [];
  writeFileSync(
    file("bundle.pem"),
    intermediates.map((n) => readFileSync(file(`${n}.pem`), "utf8")).join(""),
  );
  const result = spawnSync(
    "openssl",
    [
      "verify",
      "-x509_strict",
      "-attime",
      String(atS),
      "-CAfile",
      file("root.pem"),
      ...untrusted,
      file(`${leaf}.pem`),
    ],
    { cwd: dir, encoding: "utf8" },
  );
  return result.status === 0;
}

const LEAF_EXT =
  "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityKeyIdentifier=keyid";
const CA_EXT = (pathlen?: number) =>
  `basicConstraints=critical,CA:TRUE${pathlen === undefined ? "" : `,pathlen:${pathlen}`}\nkeyUsage=critical,keyCertSign,cRLSign\nauthorityKeyIdentifier=keyid`;

/** "Now" for the vectors: a little after they are made (openssl starts validity at the moment of issue). */
const NOW_S = Math.floor(Date.now() / 1000) + 600;

describe.skipIf(skipReason !== "")(`openssl as the oracle ${skipReason}`, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ishare-openssl-oracle-"));
    for (const key of ["root", "inter", "leaf", "attacker"]) {
      openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file(`${key}.key`));
    }
    issue(
      "root",
      "/C=NL/O=Oracle/CN=Oracle Root",
      file("root.key"),
      undefined,
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign",
      3650,
    );
    // The attacker's root under the genuine root's name: what signs the forged intermediate.
    writeFileSync(file("fake-root.key"), readFileSync(file("attacker.key")));
    issue(
      "fake-root",
      "/C=NL/O=Oracle/CN=Oracle Root",
      file("fake-root.key"),
      undefined,
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign",
      3650,
    );
    issue("inter", "/C=NL/O=Oracle/CN=Oracle Issuing CA", file("inter.key"), "root", CA_EXT(0), 3650);
    const party = "/C=NL/O=Oracle/serialNumber=EU.EORI.NL000000004/CN=Oracle Party";
    issue("leaf", party, file("leaf.key"), "inter", LEAF_EXT);
    issue("short", party, file("leaf.key"), "inter", LEAF_EXT, 1);
    issue(
      "ca-leaf",
      party,
      file("leaf.key"),
      "inter",
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyCertSign\nauthorityKeyIdentifier=keyid",
    );
    issue(
      "encipher-leaf",
      party,
      file("leaf.key"),
      "inter",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nauthorityKeyIdentifier=keyid",
    );
    issue(
      "odd-leaf",
      party,
      file("leaf.key"),
      "inter",
      `${LEAF_EXT}\n1.3.6.1.4.1.99999.1=critical,ASN1:NULL`,
    );
    issue("sub", "/C=NL/O=Oracle/CN=Oracle Sub CA", file("attacker.key"), "inter", CA_EXT());
    issue("under-sub", party, file("leaf.key"), "sub", LEAF_EXT);
    issue(
      "crl-only",
      "/C=NL/O=Oracle/CN=Oracle CRL CA",
      file("attacker.key"),
      "root",
      "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,cRLSign\nauthorityKeyIdentifier=keyid",
      3650,
    );
    issue("under-crl-only", party, file("leaf.key"), "crl-only", LEAF_EXT);
    // An impostor: the genuine party's name under the genuine issuing CA's name, signed by the attacker's key.
    // (fake-inter is self-signed by the attacker, not by the root: the forged intermediate.)
    issue(
      "fake-inter",
      "/C=NL/O=Oracle/CN=Oracle Issuing CA",
      file("attacker.key"),
      "fake-root",
      CA_EXT(0),
      3650,
    );
    issue("impostor", party, file("attacker.key"), "fake-inter", LEAF_EXT);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Our verdict on [leaf, ...intermediates, root] with the root as anchor. */
  async function ours(leaf: string, intermediates: string[], atS: number, options: ChainOptions = {}) {
    const chain = [leaf, ...intermediates, "root"].map(cert);
    return verifyChain(chain, [cert("root")], new Date(atS * 1000), options);
  }

  it.each([
    ["a sound chain", "leaf", ["inter"], NOW_S, true],
    ["a leaf past its notAfter", "short", ["inter"], NOW_S + 3 * 86_400, false],
    ["a leaf before its notBefore", "leaf", ["inter"], NOW_S - 3 * 86_400, false],
    ["a CA below a pathlen:0 issuing CA", "under-sub", ["sub", "inter"], NOW_S, false],
    ["an issuer without keyCertSign", "under-crl-only", ["crl-only"], NOW_S, false],
    ["an unknown critical extension", "odd-leaf", ["inter"], NOW_S, false],
    ["an impostor leaf under a forged issuing CA", "impostor", ["fake-inter"], NOW_S, false],
    ["an impostor leaf presented with the genuine issuing CA", "impostor", ["inter"], NOW_S, false],
  ] as const)("agrees with openssl verify on %s", async (_what, leaf, intermediates, atS, valid) => {
    // The same verdict from both judges; the oracle's is pinned too, so a broken vector cannot pass silently.
    expect(opensslVerify(leaf, [...intermediates], atS)).toBe(valid);
    expect((await ours(leaf, [...intermediates], atS, { signer: false })).ok).toBe(valid);
    expect((await ours(leaf, [...intermediates], atS)).ok).toBe(valid);
  });

  it("refuses as JWT signer what openssl accepts as a chain but prints as a CA or a non-signing key", async () => {
    for (const leaf of ["ca-leaf", "encipher-leaf"]) {
      expect([leaf, opensslVerify(leaf, ["inter"], NOW_S)]).toEqual([leaf, true]);
      expect([leaf, (await ours(leaf, ["inter"], NOW_S, { signer: false })).ok]).toEqual([leaf, true]);
      expect([leaf, await ours(leaf, ["inter"], NOW_S)]).toEqual([
        leaf,
        expect.objectContaining({ ok: false, problem: "signer" }),
      ]);
    }
    expect(openssl("x509", "-in", file("ca-leaf.pem"), "-noout", "-ext", "basicConstraints")).toContain(
      "CA:TRUE",
    );
    expect(openssl("x509", "-in", file("encipher-leaf.pem"), "-noout", "-ext", "keyUsage")).toMatch(
      /Key Encipherment\s*$/,
    );
  });

  it("verifies an RS256 JWT that openssl signed, and refuses it changed, as openssl dgst -verify does", async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ iss: "EU.EORI.NL000000004", iat: NOW_S })}`;
    writeFileSync(file("input.txt"), input);
    openssl("dgst", "-sha256", "-sign", file("leaf.key"), "-out", file("sig.bin"), file("input.txt"));
    openssl("x509", "-in", file("leaf.pem"), "-pubkey", "-noout", "-out", file("leaf.pub"));
    const oracle = (data: string) => {
      writeFileSync(file("check.txt"), data);
      return (
        spawnSync("openssl", [
          "dgst",
          "-sha256",
          "-verify",
          file("leaf.pub"),
          "-signature",
          file("sig.bin"),
          file("check.txt"),
        ]).status === 0
      );
    };
    const signature = readFileSync(file("sig.bin")).toString("base64url");
    const forged = `${input.split(".")[0]}.${b64({ iss: "EU.EORI.NL000000001", iat: NOW_S })}`;
    expect([oracle(input), oracle(forged)]).toEqual([true, false]);
    expect(await verifyJwsWithCertificate(`${input}.${signature}`, cert("leaf"), ["RS256"])).toEqual({
      ok: true,
    });
    expect((await verifyJwsWithCertificate(`${forged}.${signature}`, cert("leaf"), ["RS256"])).ok).toBe(
      false,
    );
    expect((await verifyJwsWithCertificate(`${input}.${signature}`, cert("impostor"), ["RS256"])).ok).toBe(
      false,
    );
  });
});
