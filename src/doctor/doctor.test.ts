/**
 * The pre-flight against the reference target started on loopback as an external target: the correct
 * configuration passes every check, and each mistake real users make (local and live) is one finding of the
 * right kind whose sentence names the key to fix.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { captureIo } from "../cli/capture-io.fixture.ts";
import { main } from "../cli/main.ts";
import { generateTestPki, toPem, writeTestPki } from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import { doctorExitCode, type FindingKind, runDoctor } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "doctor-"));
let reference: ReferenceTarget;
let closedPort: number;

beforeAll(async () => {
  const pki = await generateTestPki();
  await writeTestPki(pki, join(dir, "pki"));
  writeFileSync(join(dir, "pki", "client-leaf-only.pem"), toPem(pki.parties.client.chain[0]!));
  const untrusted = pki.registeredVariants["untrusted-root"]!.chain;
  writeFileSync(join(dir, "pki", "other-root.pem"), toPem(untrusted[untrusted.length - 1]!));
  reference = await startReferenceTarget({ pki });
  // A port nothing listens on: bound once, then released.
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 9));
    });
  });
}, 300_000);
afterAll(() => reference.close());

type Entry = Record<string, unknown> & { client: Record<string, unknown> };

function goodEntry(): Entry {
  return {
    partyId: "EU.EORI.NL000000004",
    version: "2.0",
    baseUrl: reference.baseUrl,
    roles: ["AuthorisationRegistry"],
    endpoints: { token: "/connect/token" },
    client: {
      partyId: "EU.EORI.NL000000001",
      key: "./pki/client.key.pem",
      certificates: "./pki/client.chain.pem",
    },
    trust: { anchors: "./pki/root.pem" },
  };
}

let fileCount = 0;
/** Writes targets.yaml with the entry as target `t` and runs the pre-flight. */
async function doctor(entry: Entry) {
  const file = join(dir, `targets-${fileCount++}.yaml`);
  writeFileSync(file, stringify({ targets: { t: entry } }));
  return { file, report: await runDoctor({ targetsFile: file, targetName: "t" }) };
}

interface Mistake {
  readonly edit: (entry: Entry) => void;
  readonly kind: FindingKind;
  /** The sentence, naming the key. */
  readonly sentence: RegExp;
}

const MISTAKES: Record<string, Mistake> = {
  // local
  "client.partyId of another party": {
    edit: (e) => {
      e.client["partyId"] = "EU.EORI.NL000000003";
    },
    kind: "config",
    sentence:
      /the signing certificate is of party EU\.EORI\.NL000000001 \(subject serialNumber\), but targets\.t\.client\.partyId is EU\.EORI\.NL000000003; set targets\.t\.client\.partyId to EU\.EORI\.NL000000001/,
  },
  "a leaf-only certificate chain": {
    edit: (e) => {
      e.client["certificates"] = "./pki/client-leaf-only.pem";
    },
    kind: "config",
    sentence:
      /targets\.t\.client\.certificates holds only the signing certificate \(issued by ".*"\): add the issuing CA\(s\) and the root after it/,
  },
  "an expired client certificate": {
    edit: (e) => {
      e.client["key"] = "./pki/client-expired-certificate.key.pem";
      e.client["certificates"] = "./pki/client-expired-certificate.chain.pem";
    },
    kind: "config",
    sentence:
      /targets\.t\.client\.certificates: the certificate .* expired on \d{4}-\d\d-\d\d; configure a certificate that is valid now/,
  },
  "a 1024-bit client key": {
    edit: (e) => {
      e.client["key"] = "./pki/client-small-key.key.pem";
      e.client["certificates"] = "./pki/client-small-key.chain.pem";
    },
    kind: "config",
    sentence: /targets\.t\.client\.key is a 1024-bit RSA key; RS256 needs 2048 bits or more/,
  },
  "another party's key with the client's certificate": {
    edit: (e) => {
      e.client["key"] = "./pki/serviceProvider.key.pem";
    },
    kind: "config",
    sentence: /\(targets\.t\.client\.key in .*\): this key does not match the first certificate/,
  },
  "a certificates file that does not exist": {
    edit: (e) => {
      e.client["certificates"] = "./pki/no-such-chain.pem";
    },
    kind: "config",
    sentence: /no-such-chain\.pem \(targets\.t\.client\.certificates in .*\): .*file not found/,
  },
  "an endpoint key spelt like the path (trusted_list)": {
    edit: (e) => {
      e["roles"] = ["iShareSatellite"];
      e["endpoints"] = { trusted_list: "/trusted_list" };
    },
    kind: "config",
    sentence: /targets\.t\.endpoints\.trusted_list: unknown endpoint key; did you mean trustedList\?/,
  },
  // live
  "a wrong token path": {
    edit: (e) => {
      e["endpoints"] = { token: "/oauth2.0/token" };
    },
    kind: "config",
    sentence:
      /targets\.t\.endpoints\.token: POST http:\/\/127\.0\.0\.1:\d+\/oauth2\.0\/token answered 404; the target's capabilities advertise http:\/\/127\.0\.0\.1:\d+\/connect\/token: set targets\.t\.endpoints\.token to it/,
  },
  "a path prefix in baseUrl": {
    edit: (e) => {
      e["baseUrl"] = `${reference.baseUrl}/api`;
    },
    kind: "config",
    sentence:
      /targets\.t\.baseUrl: POST .*\/api\/connect\/token answered 404; GET \/capabilities is not found either: check targets\.t\.baseUrl/,
  },
  "a wrong target partyId": {
    edit: (e) => {
      e["partyId"] = "EU.EORI.NL000000005";
    },
    kind: "config",
    sentence:
      /targets\.t\.partyId is EU\.EORI\.NL000000005, but the target's capabilities name EU\.EORI\.NL000000004; set targets\.t\.partyId: EU\.EORI\.NL000000004/,
  },
  "a wrong trust anchor": {
    edit: (e) => {
      e["trust"] = { anchors: "./pki/other-root.pem" };
    },
    kind: "config",
    sentence:
      /targets\.t\.trust\.anchors: the target signs with a chain ending at .*, which none of the configured anchors .* is or issued; point targets\.t\.trust\.anchors at the target's root CA/,
  },
  'version "3.0" against a 2.0 target': {
    edit: (e) => {
      e["version"] = "3.0";
    },
    kind: "config",
    sentence:
      /targets\.t\.version is "3\.0", but the target's capabilities list version 2\.0; set targets\.t\.version/,
  },
  "a port nothing listens on": {
    edit: (e) => {
      e["baseUrl"] = `http://127.0.0.1:${closedPort}`;
    },
    kind: "config",
    sentence:
      /targets\.t\.baseUrl: nothing answers at http:\/\/127\.0\.0\.1:\d+ \(GET .* connection refused\); check the host and port/,
  },
  "https:// on a port that speaks plain HTTP": {
    edit: (e) => {
      e["baseUrl"] = reference.baseUrl.replace("http:", "https:");
    },
    kind: "config",
    sentence:
      /targets\.t\.baseUrl is https:\/\/127\.0\.0\.1:\d+, but that port speaks plain HTTP, not TLS; use http:\/\/127\.0\.0\.1:\d+/,
  },
  "another party's credentials (not registered at the target)": {
    edit: (e) => {
      e["client"] = {
        partyId: "EU.EORI.NL000000099",
        key: "./pki/unregistered.key.pem",
        certificates: "./pki/unregistered.chain.pem",
      };
    },
    kind: "target",
    sentence:
      /the target refused the valid token request of EU\.EORI\.NL000000099 \(.*saw 400.*\); if targets\.t\.client \(partyId, key, certificates\) is a party registered and Active for this target, the target is at fault/,
  },
};

describe("doctor", () => {
  test("the correct configuration passes every local and live check", async () => {
    const { report } = await doctor(goodEntry());
    expect(report.findings.filter((f) => f.kind !== "ok")).toEqual([]);
    expect(report.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining([
        "certificate validity",
        "party id in the certificate",
        "certificate chain",
        "key type and size",
        "target party id",
        "iSHARE version",
        "trust anchors",
        "access token",
      ]),
    );
    expect(doctorExitCode(report.findings)).toBe(0);
  });

  test(`covers ${Object.keys(MISTAKES).length} distinct mistakes`, () => {
    expect(Object.keys(MISTAKES).length).toBeGreaterThanOrEqual(12);
  });

  test.each(Object.entries(MISTAKES))("%s: one sentence naming the key", async (_name, mistake) => {
    const entry = goodEntry();
    mistake.edit(entry);
    const { report } = await doctor(entry);
    const problems = report.findings.filter((f) => f.kind === "config" || f.kind === "target");
    expect(problems.map((f) => f.kind)).toEqual([mistake.kind]);
    expect(problems[0]?.message).toMatch(mistake.sentence);
    expect(doctorExitCode(report.findings)).toBe(mistake.kind === "config" ? 2 : 1);
  });

  test("the CLI prints each check and exits 2 on a configuration that cannot work", async () => {
    const entry = goodEntry();
    entry["partyId"] = "EU.EORI.NL000000005";
    const { file } = await doctor(entry);
    const io = captureIo(dir);
    expect(await main(["doctor", "--targets", file, "--target", "t"], io)).toBe(2);
    expect(io.out()).toMatch(/^ {2}ok {4}certificate validity: /m);
    expect(io.out()).toMatch(/^ {2}FIX {3}target party id: targets\.t\.partyId is EU\.EORI\.NL000000005/m);
    expect(io.out()).toContain("the configuration cannot work");
    expect(io.out()).not.toContain("PRIVATE KEY");
  });
});
