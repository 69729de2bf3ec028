/**
 * The secret-scan of the OIDC suite: a CLI run of suite oidc against the reference Identity Provider (as an
 * external target, its PKI on disk and its test user in targets.yaml) through a wiretap that records every
 * authorization code, id_token and access token it issued. No output of the run (console, every file of the
 * output folder) may contain one of them, nor the test user's password.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { captureIo } from "../cli/capture-io.fixture.ts";
import { main } from "../cli/main.ts";
import { targetsEntryYaml, writeDelegationMasks, writeUnregisteredCertificate } from "../cli/serve.ts";
import { generateTestPki, TEST_PARTY_ROLES, toPem, writeTestPki } from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import { filesUnder, leaks, readAll } from "./output-scan.fixture.ts";

const PASSWORD = "pw-of-the-test-user-9f3k2";
const issued = new Set<string>();

let dir: string;
let reference: ReferenceTarget;
let wiretap: Server;
let targetsFile: string;
let tapOrigin: string;

/** Forwards to the reference IdP, recording codes (in redirects) and tokens (in token answers). */
async function tap(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readAll(req);
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)),
  ) as Record<string, string>;
  const upstream = await request(`${reference.baseUrl}${req.url ?? "/"}`, {
    method: (req.method ?? "GET") as "GET",
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
  const answer = Buffer.from(await upstream.body.arrayBuffer());
  for (const match of answer.toString("utf8").matchAll(/"(?:access_token|id_token)":"([^"]+)"/g))
    issued.add(match[1] ?? "");
  const { "transfer-encoding": _chunked, connection: _connection, ...passed } = upstream.headers;
  const location = passed["location"];
  if (typeof location === "string") {
    const code = new URL(location, reference.baseUrl).searchParams.get("code");
    if (code) issued.add(code);
    // The IdP names its own (upstream) origin in redirects; the harness must stay on the tapped one.
    passed["location"] = location.replace(reference.baseUrl, tapOrigin);
  }
  res.writeHead(upstream.statusCode, passed);
  res.end(answer);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oidc-secret-scan-"));
  const pkiDir = join(dir, "pki");
  const pki = await generateTestPki();
  await writeTestPki(pki, pkiDir);
  await writeFile(
    join(pkiDir, "issuing-ca.chain.pem"),
    toPem(pki.issuing.certificate) + toPem(pki.root.certificate),
  );
  reference = await startReferenceTarget({ pki, testUser: { username: "test.user", password: PASSWORD } });
  await writeDelegationMasks(pkiDir, reference.delegationMasks);
  await writeUnregisteredCertificate(pki, pkiDir);
  wiretap = createServer((req, res) => {
    tap(req, res).catch(() => res.destroy());
  });
  wiretap.listen(0, "127.0.0.1");
  await new Promise((resolve) => wiretap.once("listening", resolve));
  tapOrigin = `http://127.0.0.1:${(wiretap.address() as AddressInfo).port}`;
  const entry = parse(
    targetsEntryYaml({
      name: "tapped",
      baseUrl: tapOrigin,
      partyId: reference.partyId,
      version: "2.0",
      roles: ["IdentityProvider"],
      endpoints: reference.endpoints,
      pkiDir,
      parties: Object.fromEntries(TEST_PARTY_ROLES.map((role) => [role, pki.parties[role].partyId])),
    }),
  ) as { targets: { tapped: Record<string, unknown> } };
  const masks = reference.identityProvider.userinfoMasks;
  await writeFile(join(dir, "permit.json"), JSON.stringify(masks.permit));
  await writeFile(join(dir, "deny.json"), JSON.stringify(masks.deny));
  entry.targets.tapped["roles"] = ["IdentityProvider"];
  entry.targets.tapped["oidc"] = {
    login: { username: "test.user", password: `$\{IDP_PASSWORD}` },
    userinfo: { permitMask: "./permit.json", denyMask: "./deny.json" },
  };
  targetsFile = join(dir, "targets.yaml");
  await writeFile(targetsFile, `defaults:\n  rateLimit: 0\n${stringify(entry, { lineWidth: 0 })}`);
  process.env["IDP_PASSWORD"] = PASSWORD;
}, 300_000);

afterAll(async () => {
  delete process.env["IDP_PASSWORD"];
  await new Promise((resolve) => wiretap?.close(resolve));
  await reference?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("OIDC secrets never leak", () => {
  test("a run of the OIDC login, token and userinfo cases writes no code, id_token, access token or the test user's password", async () => {
    const out = join(dir, "reports");
    const io = captureIo(dir);
    const code = await main(
      [
        "run",
        "--targets",
        targetsFile,
        "--target",
        "tapped",
        "--suite",
        "oidc",
        "--grep",
        "OIDC-00",
        "--out",
        out,
      ],
      io,
    );
    expect(io.err()).not.toContain("ishare-conformance: ");
    const files = await filesUnder(out);
    const outputs = [{ path: "stdout", text: io.out() }, { path: "stderr", text: io.err() }, ...files];
    const results = files.find((f) => f.path.endsWith("results.jsonl"))?.text ?? "";
    // The run did log in and redeem codes: the scan has something to look for.
    expect(code, io.out()).toBe(0);
    expect(results).toContain('"status":"passed"');
    expect(issued.size).toBeGreaterThan(10);
    const needles = [...issued, PASSWORD].filter((secret) => secret.length >= 16);
    expect(leaks(outputs, needles)).toEqual([]);
    // A whole CLI run with logins: generous, so that a loaded machine slows it down without failing it.
  }, 300_000);
});
