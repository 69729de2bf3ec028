import type { KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { X509Certificate } from "@peculiar/x509";
import { CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../http/client.ts";
import type { CaMaterial } from "../pki/index.ts";
import { createCertificate, generateRsaKeyPair, toBase64Der } from "../pki/index.ts";
import { checkTarget } from "../test-support/check-context.ts";
import { advertisedEndpoints, discoverEndpoints } from "./discovery.ts";
import { Limiter } from "./limiter.ts";

/** The target's signing identity under a test root, and a stranger's key (for a signature that fails). */
let root: CaMaterial;
let signer: { key: KeyObject; chain: X509Certificate[] };
let stranger: KeyObject;

/** A capabilities answer whose token is signed by the target (or, with `forged`, by a stranger's key). */
async function capabilitiesBody(
  features: Array<[string, string]>,
  restricted: Array<[string, string]> = [],
  forged = false,
): Promise<string> {
  const list = (items: Array<[string, string]>) =>
    items.map(([feature, url], i) => ({ id: `f${i}`, feature, url }));
  const info = {
    party_id: "EU.EORI.NL000000004",
    supported_versions: [
      { version: "2.0", supported_features: [{ public: list(features), restricted: list(restricted) }] },
    ],
  };
  const token = await new CompactSign(new TextEncoder().encode(JSON.stringify({ capabilities_info: info })))
    .setProtectedHeader({ alg: "RS256", typ: "JWT", x5c: signer.chain.map(toBase64Der) })
    .sign(forged ? stranger : signer.key);
  return JSON.stringify({ capabilities_token: token });
}

// Generous: a loaded machine is slow, not wrong (no test here waits out a timeout).
const HTTP = {
  connectTimeoutMs: 20_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 20_000,
  maxBodyBytes: 1_000_000,
};
let server: Server;
let base: string;
let body = "";

beforeAll(async () => {
  const now = Date.now();
  const [rootKeys, signerKeys, strangerKeys] = await Promise.all([
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
  ]);
  const validity = { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000) };
  root = {
    privateKey: rootKeys.privateKey,
    certificate: await createCertificate({
      subject: "CN=Discovery Root, O=Test, C=NL",
      subjectKeys: rootKeys,
      ca: {},
      ...validity,
    }),
  };
  const leaf = await createCertificate({
    subject: "CN=Target, O=Test, C=NL",
    subjectKeys: signerKeys,
    issuer: root,
    ...validity,
  });
  signer = { key: signerKeys.privateKey, chain: [leaf, root.certificate] };
  stranger = strangerKeys.privateKey;
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("advertisedEndpoints", () => {
  test("maps feature names (any spelling) to endpoint keys, public and restricted", async () => {
    const text = await capabilitiesBody(
      [
        ["Access Token", "https://ar.example/oauth/token"],
        ["capabilities", "https://ar.example/capabilities"],
        ["something else", "https://ar.example/x"],
      ],
      [["trusted_list", "https://ar.example/tl"]],
    );
    expect(advertisedEndpoints(text)).toEqual({
      token: "https://ar.example/oauth/token",
      capabilities: "https://ar.example/capabilities",
      trustedList: "https://ar.example/tl",
    });
  });

  test("3.0: capabilitiesToken services map by identifier (the OpenAPI 3.0 operationId) to their endpointURL", () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const service = (identifier: string, endpointURL: string) => ({
      identifier,
      title: identifier,
      endpointURL,
      status: "active",
      serviceType: "framework-defined",
      version: { capabilityVersion: "1.0" },
    });
    const info = {
      publicServices: [
        service("request-oauth-token", "https://ar.example/oauth/token"),
        service("get-frameworks-list-token", "https://ar.example/frameworks"),
      ],
      restrictedServices: [service("get-trusted-list", "https://ar.example/trustedList")],
    };
    const text = JSON.stringify({
      capabilitiesToken: `${part({ alg: "RS256" })}.${part({ capabilitiesInfo: info })}.c2ln`,
    });
    expect(advertisedEndpoints(text)).toEqual({
      token: "https://ar.example/oauth/token",
      frameworks: "https://ar.example/frameworks",
      trustedList: "https://ar.example/trustedList",
    });
  });

  test("anything that is not a readable capabilities answer yields nothing", () => {
    expect(advertisedEndpoints("<html>")).toEqual({});
    expect(advertisedEndpoints(JSON.stringify({ capabilities_token: "x.y" }))).toEqual({});
  });
});

describe("discoverEndpoints", () => {
  test("adopts same-origin URLs only: another host never receives the harness's requests", async () => {
    body = await capabilitiesBody([
      ["access token", `${base}/oauth2/token`],
      ["delegation", "https://elsewhere.example/delegation"],
    ]);
    const target = checkTarget({
      name: "ar",
      baseUrl: base,
      endpoints: { capabilities: "/capabilities", token: "/connect/token" },
      anchors: [root.certificate],
    });
    const http = new HttpClient({ ...target.http, ...HTTP }, 1);
    try {
      const found = await discoverEndpoints(target, {}, http, new Limiter(1));
      expect(found.target.endpoints).toEqual({
        capabilities: "/capabilities",
        token: `${base}/oauth2/token`,
      });
      expect(found.notices).toEqual([
        `the capabilities advertise delegation at https://elsewhere.example/delegation, outside ${base}; not used (set targets.ar.endpoints.delegation to use it)`,
      ]);
    } finally {
      await http.close();
    }
  });

  test("a capabilities endpoint that does not answer 200 leaves the configuration as it is, with a notice", async () => {
    const target = checkTarget({
      name: "ar",
      baseUrl: "http://127.0.0.1:9",
      endpoints: { capabilities: "/capabilities" },
    });
    const http = new HttpClient({ ...target.http, ...HTTP }, 1);
    try {
      const found = await discoverEndpoints(target, {}, http, new Limiter(1));
      expect(found.target).toBe(target);
      expect(found.notices[0]).toMatch(
        /^endpoint discovery failed \(GET http:\/\/127\.0\.0\.1:9\/capabilities: connection refused \(ECONNREFUSED\)/,
      );
    } finally {
      await http.close();
    }
  });
});

describe("discovery trusts only what it has verified", () => {
  const target = () =>
    checkTarget({
      name: "ar",
      baseUrl: base,
      endpoints: { capabilities: "/capabilities", token: "/connect/token" },
      anchors: [root.certificate],
    });

  async function discover(): Promise<Awaited<ReturnType<typeof discoverEndpoints>>> {
    const http = new HttpClient({ ...target().http, ...HTTP }, 1);
    try {
      return await discoverEndpoints(target(), {}, http, new Limiter(1));
    } finally {
      await http.close();
    }
  }

  test("a capabilities_token whose signature does not verify: nothing is adopted, the notice says why", async () => {
    body = await capabilitiesBody([["access token", `${base}/stolen/token`]], [], true);
    const found = await discover();
    expect(found.target.endpoints).toEqual(target().endpoints);
    expect(found.notices).toEqual([
      expect.stringMatching(
        /^endpoint discovery: the capabilities_token of GET http:\/\/127\.0\.0\.1:\d+\/capabilities does not verify \(the RS256 signature does not verify with .*\); nothing adopted from it/,
      ),
    ]);
  });

  test("a token signed by a chain that ends at no trust anchor: nothing is adopted", async () => {
    body = await capabilitiesBody([["access token", `${base}/other/token`]]);
    const http = new HttpClient({ ...target().http, ...HTTP }, 1);
    try {
      const found = await discoverEndpoints({ ...target(), anchors: [] }, {}, http, new Limiter(1));
      expect(found.target.endpoints).toEqual(target().endpoints);
      expect(found.notices[0]).toContain("nothing adopted from it");
    } finally {
      await http.close();
    }
  });

  test("URLs are read as the WHATWG parser reads them: upper-case scheme kept on the host, backslashes and userinfo tricks refused", async () => {
    const { host } = new URL(base);
    body = await capabilitiesBody([
      ["access token", `HTTP://${host}/Upper/token`],
      ["delegation", `http:\\\\evil.example\\${host}/delegation`],
      ["parties", `http://${host}@evil.example/parties`],
      ["trusted_list", `http://evil.example\\@${host}/tl`],
    ]);
    const found = await discover();
    expect(found.target.endpoints["token"]).toBe(`http://${host}/Upper/token`);
    expect(found.target.endpoints["delegation"]).toBeUndefined();
    expect(found.target.endpoints["parties"]).toBeUndefined();
    expect(found.target.endpoints["trustedList"]).toBeUndefined();
    expect(found.notices).toHaveLength(3);
    for (const notice of found.notices) expect(notice).toContain("; not used (set targets.ar.endpoints.");
  });
});
