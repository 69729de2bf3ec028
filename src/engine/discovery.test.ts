import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../http/client.ts";
import { checkTarget } from "../test-support/check-context.ts";
import { advertisedEndpoints, discoverEndpoints } from "./discovery.ts";
import { Limiter } from "./limiter.ts";

/** An unsigned capabilities answer (discovery reads URLs only; the capabilities suite judges the JWT). */
function capabilitiesBody(
  features: Array<[string, string]>,
  restricted: Array<[string, string]> = [],
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const list = (items: Array<[string, string]>) =>
    items.map(([feature, url], i) => ({ id: `f${i}`, feature, url }));
  const info = {
    party_id: "EU.EORI.NL000000004",
    supported_versions: [
      { version: "2.0", supported_features: [{ public: list(features), restricted: list(restricted) }] },
    ],
  };
  return JSON.stringify({
    capabilities_token: `${part({ alg: "RS256" })}.${part({ capabilities_info: info })}.c2ln`,
  });
}

const HTTP = { connectTimeoutMs: 2000, headersTimeoutMs: 2000, bodyTimeoutMs: 2000 };
let server: Server;
let base: string;
let body = "";

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("advertisedEndpoints", () => {
  test("maps feature names (any spelling) to endpoint keys, public and restricted", () => {
    const text = capabilitiesBody(
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

  test("anything that is not a readable capabilities answer yields nothing", () => {
    expect(advertisedEndpoints("<html>")).toEqual({});
    expect(advertisedEndpoints(JSON.stringify({ capabilities_token: "x.y" }))).toEqual({});
  });
});

describe("discoverEndpoints", () => {
  test("adopts same-origin URLs only: another host never receives the harness's requests", async () => {
    body = capabilitiesBody([
      ["access token", `${base}/oauth2/token`],
      ["delegation", "https://elsewhere.example/delegation"],
    ]);
    const target = checkTarget({
      name: "ar",
      baseUrl: base,
      endpoints: { capabilities: "/capabilities", token: "/connect/token" },
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
