/**
 * Every malformed input a user can give (targets.yaml, suites, keys, certificates, command line) ends with
 * exit code 2 and one line on stderr that names the file, the key path and the fix, before any case runs.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { checkRunOptions } from "../engine/index.ts";
import { generateTestPki, privateKeyToPem, toPem, writeTestPki } from "../pki/index.ts";
import { referenceMasks } from "../reference/index.ts";
import { captureIo } from "./capture-io.fixture.ts";
import { main } from "./main.ts";
import { PACKAGE_ROOT } from "./package-info.ts";

let dir: string;
let pki: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bad-config-"));
  pki = join(dir, "pki");
  const generated = await generateTestPki();
  await writeTestPki(generated, pki);
  const { client, serviceProvider } = generated.parties;
  const put = (name: string, text: string) => writeFile(join(pki, name), text, { mode: 0o600 });
  await put(
    "client.encrypted.key.pem",
    client.privateKey
      .export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "open-sesame" })
      .toString(),
  );
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  await put("ec.key.pem", ec.privateKey.export({ format: "pem", type: "pkcs8" }).toString());
  await put("damaged.key.pem", "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n");
  await put("client.reversed.chain.pem", [...client.chain].reverse().map(toPem).join(""));
  await put("service-provider-key-as-client.pem", privateKeyToPem(serviceProvider.privateKey));
  await put("not-a-certificate.pem", "this is not PEM at all\n");
  const masks = referenceMasks(generated);
  await put("permit-mask.json", JSON.stringify(masks.permit));
  await put("deny-mask.json", JSON.stringify(masks.deny));
  await put("broken-mask.json", '{"delegationRequest": {');
  execFileSync("mkfifo", [join(pki, "fifo.pem")]);
  const root = await readFile(join(pki, "root.pem"), "utf8");
  await put(
    "client.10000.chain.pem",
    (await readFile(join(pki, "client.chain.pem"), "utf8")) + root.repeat(10_000 - client.chain.length),
  );
  const foreign = structuredClone(masks.deny) as { delegationRequest: { target: { accessSubject: string } } };
  foreign.delegationRequest.target.accessSubject = "EU.EORI.NL000000099";
  await put("foreign-mask.json", JSON.stringify(foreign));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Doc = Record<string, unknown> & { targets: Record<string, Record<string, unknown>> };

/** `${NAME}`: a targets.yaml environment placeholder (written so, not a template literal). */
const placeholder = (name: string): string => `\${${name}}`;

/** A valid external target; each row breaks one thing in a copy of it. */
function validDoc(): Doc {
  return {
    defaults: { concurrency: 2 },
    targets: {
      ext: {
        partyId: "EU.EORI.NL000000004",
        baseUrl: "http://127.0.0.1:9",
        roles: ["AuthorisationRegistry"],
        client: {
          partyId: "EU.EORI.NL000000001",
          key: join(pki, "client.key.pem"),
          certificates: join(pki, "client.chain.pem"),
        },
        identities: {
          notActive: {
            partyId: "EU.EORI.NL000000006",
            key: join(pki, "notActive.key.pem"),
            certificates: join(pki, "notActive.chain.pem"),
          },
        },
        trust: { anchors: join(pki, "root.pem") },
      },
      ref: { builtin: "reference" },
    },
  };
}

const ext = (doc: Doc): Record<string, unknown> => doc.targets["ext"]!;
const client = (doc: Doc): Record<string, unknown> => ext(doc)["client"] as Record<string, unknown>;

interface Row {
  /** Changes the valid document (targets rows) — or nothing, for command-line and suite rows. */
  readonly edit?: (doc: Doc) => void;
  /** Raw text of targets.yaml instead of the edited document. */
  readonly text?: string;
  /** Extra arguments after `run --targets <file>` (default `--target ext`). */
  readonly args?: (file: string) => string[];
  /** Builds a broken suites folder and returns it (passed as --suites-dir). */
  readonly suites?: (folder: string) => Promise<void>;
  readonly env?: Record<string, string>;
  /** What the one line must contain: the file, the key path, the fix. */
  readonly expect: (file: string) => ReadonlyArray<string | RegExp>;
}

/** A copy of the shipped suites in `folder`, then `change` applied to one file's text. */
async function brokenSuites(folder: string, file: string, change: (text: string) => string): Promise<void> {
  await cp(join(PACKAGE_ROOT, "suites"), folder, { recursive: true });
  const path = join(folder, file);
  await writeFile(path, change(await readFile(path, "utf8")));
}

/** A file of the test PKI (written relative to the targets file, as users do). */
const key = (name: string) => join(pki, name);

/** A YAML "billion laughs": each level repeats the one before nine times. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
    (name, i) => `${name}: &${name} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`,
  ),
  "targets:\n  ext: { builtin: reference }",
].join("\n");

/** A row that gives the external target this baseUrl. */
const baseUrlRow = (baseUrl: string, ...expected: string[]): Row => ({
  edit: (doc) => {
    ext(doc)["baseUrl"] = baseUrl;
  },
  expect: (file) => [file, "targets.ext.baseUrl", ...expected],
});

const ROWS: Readonly<Record<string, Row>> = {
  "targets file missing": {
    args: () => ["--targets", "no-such-targets.yaml", "--target", "ext"],
    expect: () => ["no-such-targets.yaml: targets file not found", "pass --targets FILE"],
  },
  "YAML syntax error": {
    text: "targets:\n  ext: [\n",
    expect: (file) => [`${file}:`, "invalid YAML", "fix the syntax at that line"],
  },
  "unknown top-level key": {
    edit: (doc) => {
      doc["target"] = {};
    },
    expect: (file) => [file, '(top level): unknown key "target"', "check the spelling"],
  },
  "baseUrl not a URL": {
    edit: (doc) => {
      ext(doc)["baseUrl"] = "ar.example.com";
    },
    expect: (file) => [file, "targets.ext.baseUrl", "must match pattern"],
  },
  "unknown role": {
    edit: (doc) => {
      ext(doc)["roles"] = ["AuthorizationRegistry"];
    },
    expect: (file) => [file, "targets.ext.roles[0]", 'must be one of "ServiceProvider"'],
  },
  "concurrency out of range": {
    edit: (doc) => {
      ext(doc)["concurrency"] = 0;
    },
    expect: (file) => [file, "targets.ext.concurrency", "must be >= 1"],
  },
  "timeout not a number": {
    edit: (doc) => {
      ext(doc)["http"] = { headersTimeoutMs: "fast" };
    },
    expect: (file) => [file, "targets.ext.http.headersTimeoutMs", "must be integer"],
  },
  "negative rate limit": {
    edit: (doc) => {
      doc["defaults"] = { rateLimit: -1 };
    },
    expect: (file) => [file, "defaults.rateLimit", "must be >= 0"],
  },
  "too many retries": {
    edit: (doc) => {
      ext(doc)["http"] = { retries: 9 };
    },
    expect: (file) => [file, "targets.ext.http.retries", "must be <= 5"],
  },
  "unknown fault in targets.yaml": {
    edit: (doc) => {
      doc.targets["ref"] = { builtin: "reference", faults: ["chaos.slow-header"] };
    },
    args: () => ["--target", "ref"],
    expect: (file) => [
      file,
      "targets.ref.faults",
      'unknown fault "chaos.slow-header"',
      "ishare-conformance faults",
    ],
  },
  "unknown fault on the command line": {
    args: () => ["--target", "ref", "--fault", "token.accepts-everything"],
    expect: (file) => [file, "--fault", 'unknown fault "token.accepts-everything"', "to list them"],
  },
  "unknown target name": {
    args: () => ["--target", "my-ar"],
    expect: (file) => [file, 'no target named "my-ar" under targets', "known: ext, ref"],
  },
  "environment variable not set": {
    edit: (doc) => {
      client(doc)["key"] = placeholder("CLIENT_KEY_FILE_UNSET");
    },
    expect: (file) => [file, "targets.ext.client.key", "export CLIENT_KEY_FILE_UNSET="],
  },
  "key file missing": {
    edit: (doc) => {
      client(doc)["key"] = key("missing.key.pem");
    },
    expect: (file) => [
      key("missing.key.pem"),
      `targets.ext.client.key in ${file}`,
      "(file not found); check the path",
    ],
  },
  "key file holds a certificate": {
    edit: (doc) => {
      client(doc)["key"] = key("client.chain.pem");
    },
    expect: () => [
      "targets.ext.client.key",
      "it holds a certificate",
      "point the key setting at the private key file",
    ],
  },
  "key file damaged": {
    edit: (doc) => {
      client(doc)["key"] = key("damaged.key.pem");
    },
    expect: () => ["damaged.key.pem (targets.ext.client.key", "damaged or truncated", "check the file"],
  },
  "EC key instead of RSA": {
    edit: (doc) => {
      client(doc)["key"] = key("ec.key.pem");
    },
    expect: () => ["ec.key.pem (targets.ext.client.key", "is ec", "supply an RSA private key"],
  },
  "encrypted key without passphrase": {
    edit: (doc) => {
      client(doc)["key"] = key("client.encrypted.key.pem");
    },
    expect: () => [
      "client.encrypted.key.pem (targets.ext.client.key",
      "encrypted and no passphrase",
      "set the key's passphrase",
    ],
  },
  "encrypted key with a wrong passphrase from the environment": {
    edit: (doc) => {
      client(doc)["key"] = key("client.encrypted.key.pem");
      client(doc)["keyPassphrase"] = placeholder("BAD_CONFIG_PASSPHRASE");
    },
    env: { BAD_CONFIG_PASSPHRASE: "wrong" },
    expect: () => ["targets.ext.client.key", "the passphrase is wrong", "check the file and passphrase"],
  },
  "key does not match the certificate": {
    edit: (doc) => {
      client(doc)["key"] = key("service-provider-key-as-client.pem");
    },
    expect: () => [
      "(targets.ext.client.key in",
      "does not match the first certificate",
      "put the signing certificate first",
    ],
  },
  "chain out of order": {
    edit: (doc) => {
      client(doc)["certificates"] = key("client.reversed.chain.pem");
    },
    expect: () => ["(targets.ext.client.certificates in", "out of order", "list the leaf first"],
  },
  "certificates file holds a key": {
    edit: (doc) => {
      client(doc)["certificates"] = key("client.key.pem");
    },
    expect: () => [
      "(targets.ext.client.certificates in",
      "holds a private key",
      "point the certificate setting",
    ],
  },
  "certificates file not PEM": {
    edit: (doc) => {
      client(doc)["certificates"] = key("not-a-certificate.pem");
    },
    expect: () => ["(targets.ext.client.certificates in", "no certificate found", "supply PEM certificates"],
  },
  "trust anchor missing": {
    edit: (doc) => {
      ext(doc)["trust"] = { anchors: key("no-root.pem") };
    },
    expect: () => ["no-root.pem (targets.ext.trust.anchors in", "file not found", "check the path"],
  },
  "identity key missing": {
    edit: (doc) => {
      ((ext(doc)["identities"] as Record<string, Record<string, unknown>>)["notActive"] ?? {})["key"] =
        key("gone.key.pem");
    },
    expect: () => [
      "gone.key.pem (targets.ext.identities.notActive.key in",
      "file not found",
      "check the path",
    ],
  },
  "issuer key not matching its certificate": {
    edit: (doc) => {
      client(doc)["issuer"] = { key: key("root.key.pem"), certificates: key("issuing-ca.pem") };
    },
    expect: () => [
      "(targets.ext.client.issuer.key in",
      "does not match",
      "point targets.ext.client.issuer.key at its key",
    ],
  },
  "delegation mask file missing": {
    edit: (doc) => {
      ext(doc)["delegation"] = { permitMask: key("no-mask.json"), denyMask: key("deny-mask.json") };
    },
    expect: () => ["no-mask.json (targets.ext.delegation.permitMask)", "file not found", "check the path"],
  },
  "delegation mask not JSON": {
    edit: (doc) => {
      ext(doc)["delegation"] = { permitMask: key("permit-mask.json"), denyMask: key("broken-mask.json") };
    },
    expect: () => [
      "broken-mask.json (targets.ext.delegation.denyMask)",
      "the mask is not JSON",
      "fix the JSON",
    ],
  },
  "delegation mask about another party": {
    edit: (doc) => {
      ext(doc)["delegation"] = { permitMask: key("foreign-mask.json"), denyMask: key("deny-mask.json") };
    },
    expect: () => [
      "foreign-mask.json (targets.ext.delegation.permitMask)",
      'accessSubject is "EU.EORI.NL000000099"',
      "make the mask's accessSubject the client's party id",
    ],
  },
  "extra CA file is not a certificate": {
    edit: (doc) => {
      ext(doc)["http"] = { extraCa: key("not-a-certificate.pem") };
    },
    expect: () => [
      "not-a-certificate.pem (targets.ext.http.extraCa in",
      "no certificate found",
      "supply PEM",
    ],
  },
  "mutual-TLS certificate missing": {
    edit: (doc) => {
      ext(doc)["http"] = { tls: { certificate: key("tls-client.pem"), key: key("client.key.pem") } };
    },
    expect: () => ["tls-client.pem (targets.ext.http.tls.certificate in", "file not found", "check the path"],
  },
  "mutual-TLS key not matching": {
    edit: (doc) => {
      ext(doc)["http"] = { tls: { certificate: key("client.chain.pem"), key: key("root.key.pem") } };
    },
    expect: () => ["(targets.ext.http.tls.key in", "does not match", "put the TLS client certificate first"],
  },
  "mutual-TLS on the built-in target with a missing key": {
    edit: (doc) => {
      doc.targets["ref"] = {
        builtin: "reference",
        http: { tls: { certificate: key("client.chain.pem"), key: key("x.pem") } },
      };
    },
    args: () => ["--target", "ref"],
    expect: () => ["x.pem (targets.ref.http.tls.key in", "file not found", "check the path"],
  },
  "--timeout not a duration": {
    args: () => ["--target", "ref", "--timeout", "soon"],
    expect: () => ["run: --timeout must be a duration", "such as 90s, 10m or 500ms", 'got "soon"'],
  },
  "--case-timeout zero": {
    args: () => ["--target", "ref", "--case-timeout", "0"],
    expect: () => ["run: --case-timeout must be a duration", 'got "0"'],
  },
  "suites folder missing": {
    args: () => ["--target", "ref", "--suites-dir", join(dir, "no-suites")],
    expect: () => [join(dir, "no-suites"), "cannot read the suites folder"],
  },
  "suite YAML syntax error": {
    suites: (folder) => brokenSuites(folder, "token.yaml", (text) => `${text}\n  - id: [\n`),
    expect: () => ["token.yaml:", "invalid YAML", "fix the syntax at that line"],
  },
  "suite names an unknown check": {
    suites: (folder) =>
      brokenSuites(folder, "token.yaml", (text) =>
        text.replace("check: status-is, with: 200", "check: status-was, with: 200"),
      ),
    expect: () => [
      "token.yaml: cases[0] (TOKEN-001).steps[0].expect[0]",
      'unknown check "status-was"',
      "(known: status-is",
    ],
  },
  "suite names an unknown ref": {
    suites: (folder) =>
      brokenSuites(folder, "token.yaml", (text) => text.replace("ref: token.response", "ref: token.respons")),
    expect: () => [
      "token.yaml: cases[0] (TOKEN-001).ref",
      'unknown ref "token.respons"',
      "add it to suites/refs.yaml",
    ],
  },
  "suite check with invalid parameters": {
    suites: (folder) =>
      brokenSuites(folder, "token.yaml", (text) =>
        text.replace("check: status-is, with: 200", "check: status-is, with: OK"),
      ),
    expect: () => ["token.yaml: cases[0] (TOKEN-001).steps[0].expect[0].with", "invalid for status-is"],
  },
  "suite names an unknown defect": {
    suites: (folder) =>
      brokenSuites(folder, "token.yaml", (text) =>
        text.replace("defects: [missing-jti]", "defects: [missing-jit]"),
      ),
    expect: () => ["token.yaml: cases[", ".assertion.defects", 'unknown defect "missing-jit"'],
  },
  "duplicate case id": {
    suites: (folder) =>
      brokenSuites(folder, "token.yaml", (text) => text.replace("id: TOKEN-044", "id: TOKEN-043")),
    expect: () => ["token.yaml: case id TOKEN-043 is also used in"],
  },
  "targets file is a FIFO": {
    args: () => ["--targets", key("fifo.pem"), "--target", "ext"],
    expect: () => [key("fifo.pem"), "not a regular file (a FIFO)", "point it at a regular file"],
  },
  "targets file is /dev/zero": {
    args: () => ["--targets", "/dev/zero", "--target", "ext"],
    expect: () => ["/dev/zero", "not a regular file (a character device)"],
  },
  "key file is a FIFO": {
    edit: (doc) => {
      client(doc)["key"] = key("fifo.pem");
    },
    expect: () => ["fifo.pem (targets.ext.client.key in", "not a regular file (a FIFO)"],
  },
  "key file is /dev/zero": {
    edit: (doc) => {
      client(doc)["key"] = "/dev/zero";
    },
    expect: () => ["/dev/zero (targets.ext.client.key in", "not a regular file (a character device)"],
  },
  "delegation mask is /dev/zero": {
    edit: (doc) => {
      ext(doc)["delegation"] = { permitMask: "/dev/zero", denyMask: key("deny-mask.json") };
    },
    expect: () => [
      "/dev/zero (targets.ext.delegation.permitMask)",
      "not a regular file (a character device)",
    ],
  },
  "YAML alias bomb": {
    text: ALIAS_BOMB,
    expect: (file) => [file, "a YAML alias bomb?", "write the values out"],
  },
  "--target constructor": {
    args: () => ["--target", "constructor"],
    expect: (file) => [file, 'no target named "constructor" under targets', "known: ext, ref"],
  },
  "--target toString": {
    args: () => ["--target", "toString"],
    expect: (file) => [file, 'no target named "toString" under targets'],
  },
  "--target __proto__": {
    args: () => ["--target", "__proto__"],
    expect: (file) => [file, 'no target named "__proto__" under targets'],
  },
  "--out is a file": {
    args: (file) => ["--target", "ref", "--out", file],
    expect: (file) => [`--out ${file} is a file, not a folder`, "pass a folder for the reports"],
  },
  "baseUrl with port 0": baseUrlRow(
    "http://127.0.0.1:0",
    "has port 0",
    "give the port the target listens on",
  ),
  "baseUrl with port 99999": baseUrlRow("http://127.0.0.1:99999", "is not a valid URL", "write it like"),
  "baseUrl http://@": baseUrlRow("http://@", "carries credentials", "remove them"),
  "baseUrl with a query": baseUrlRow("https://ar.example.com/api?x=1", "has a query or a fragment"),
  "baseUrl with a fragment": baseUrlRow("https://ar.example.com/#top", "has a query or a fragment"),
  "baseUrl with credentials": baseUrlRow(
    "https://user:pass@ar.example.com",
    "carries credentials (user:password@)",
    "remove them",
  ),
  "client chain of 10,000 certificates": {
    edit: (doc) => {
      client(doc)["certificates"] = key("client.10000.chain.pem");
    },
    expect: () => [
      "(targets.ext.client.certificates in",
      "holds 10000 certificates; an x5c chain carries at most 10",
      "keep only the signing certificate's own chain",
    ],
  },
  "client certificate of another party": {
    edit: (doc) => {
      client(doc)["key"] = key("serviceProvider.key.pem");
      client(doc)["certificates"] = key("serviceProvider.chain.pem");
    },
    expect: () => [
      "(targets.ext.client.certificates in",
      "the signing certificate is of party EU.EORI.NL000000003",
      "but targets.ext.client.partyId is EU.EORI.NL000000001",
      "set targets.ext.client.partyId to EU.EORI.NL000000003",
    ],
  },
  "refs.yaml missing": {
    suites: async (folder) => {
      await brokenSuites(folder, "token.yaml", (text) => text);
      await rm(join(folder, "refs.yaml"));
    },
    expect: () => ["refs.yaml: cannot read (file not found); check the path"],
  },
};

describe("bad configuration: exit 2 and one line naming the file, the key path and the fix", () => {
  test("the table covers at least 25 inputs", () => {
    expect(Object.keys(ROWS).length).toBeGreaterThanOrEqual(25);
  });

  test.each(Object.entries(ROWS))("%s", async (name, row) => {
    const caseDir = join(dir, name.replace(/[^a-z0-9]+/gi, "-"));
    await mkdir(caseDir, { recursive: true });
    const file = join(caseDir, "targets.yaml");
    const doc = validDoc();
    row.edit?.(doc);
    const text = row.text ?? stringify(doc).replaceAll(`${pki}/`, "../pki/");
    await writeFile(file, text);
    const suitesArgs: string[] = [];
    if (row.suites) {
      await row.suites(join(caseDir, "suites"));
      suitesArgs.push("--target", "ref", "--suites-dir", join(caseDir, "suites"));
    }
    const io = captureIo(caseDir);
    const saved = { ...process.env };
    Object.assign(process.env, row.env ?? {});
    let code: number;
    try {
      const args = row.args?.(file) ?? (row.suites ? [] : ["--target", "ext"]);
      code = await main(
        ["run", "--targets", file, "--out", join(caseDir, "out"), ...suitesArgs, ...args],
        io,
      );
    } finally {
      for (const variable of Object.keys(row.env ?? {})) {
        if (saved[variable] === undefined) delete process.env[variable];
        else process.env[variable] = saved[variable];
      }
    }
    const err = io.err();
    expect({ code, out: io.out() }).toEqual({ code: 2, out: "" });
    expect(err.endsWith("\n") && err.split("\n").length === 2, `one line expected, got:\n${err}`).toBe(true);
    for (const part of row.expect(file)) {
      if (typeof part === "string") expect(err).toContain(part);
      else expect(err).toMatch(part);
    }
    expect(err).not.toContain("PRIVATE KEY-----");
  });
});

describe("keys that are right", () => {
  test("an encrypted PKCS#8 key opens with the passphrase from the environment", async () => {
    const doc = validDoc();
    client(doc)["key"] = join(pki, "client.encrypted.key.pem");
    client(doc)["keyPassphrase"] = placeholder("BAD_CONFIG_GOOD_PASSPHRASE");
    const file = join(dir, "encrypted-ok.yaml");
    await writeFile(file, stringify(doc));
    process.env["BAD_CONFIG_GOOD_PASSPHRASE"] = "open-sesame";
    try {
      await expect(checkRunOptions({ targetsFile: file, targetName: "ext" })).resolves.toMatchObject({
        targetName: "ext",
      });
    } finally {
      delete process.env["BAD_CONFIG_GOOD_PASSPHRASE"];
    }
  });
});
